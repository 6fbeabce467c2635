"""The search log's web side: the hook reader searches call, click reports, the visit cookie."""

from web.searchlog.recording import record_search
from web.searchlog.views import bp

__all__ = ["bp", "record_search"]
