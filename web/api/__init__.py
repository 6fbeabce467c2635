"""The JSON API: search, autocomplete, health, its OpenAPI description, OpenSearch."""

from web.api.views import bp

__all__ = ["bp"]
