"""The console's views; importing them attaches their routes to the blueprint."""

from web.admin.views import dashboard, jobs, reindex, rules, session, submit, takedown

__all__ = ["dashboard", "jobs", "reindex", "rules", "session", "submit", "takedown"]
