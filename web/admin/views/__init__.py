"""The console's views; importing them attaches their routes to the blueprint."""

from web.admin.views import (
    analytics,
    best_bets,
    curation,
    dashboard,
    jobs,
    judgments,
    reindex,
    rules,
    session,
    submit,
    synonyms,
    takedown,
)

__all__ = ["analytics", "best_bets", "curation", "dashboard", "jobs", "judgments", "reindex", "rules",
           "session", "submit", "synonyms", "takedown"]
