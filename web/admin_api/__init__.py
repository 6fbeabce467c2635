"""The admin API at ``/api/admin``: jobs and the CMS webhook, for scripts and other systems.

Authenticated by a bearer token (``Authorization: Bearer <token>``), never by the console's
session cookie, so it needs no CSRF token and a browser cannot be tricked into using it.
"""

from web.admin_api.views import bp

__all__ = ["bp"]
