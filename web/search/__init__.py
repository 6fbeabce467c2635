"""The reader's search page: one GET form, every state in the URL."""

from web.search.views import bp

__all__ = ["bp"]
