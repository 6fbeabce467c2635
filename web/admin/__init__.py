"""The operator console at ``/admin``: sign-in, dashboard, jobs, submit, rules, takedowns."""

from web.admin import views
from web.admin.blueprint import bp

__all__ = ["bp", "views"]
