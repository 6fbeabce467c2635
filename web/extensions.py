"""Flask extensions, created unbound and attached to each app by ``create_app``."""

from __future__ import annotations

from flask import current_app, request
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

babel = Babel()
limiter = Limiter(get_remote_address)


def select_locale() -> str | None:
    languages = current_app.config.get("PAGESIFT_LANGUAGES", ["en"])
    return request.accept_languages.best_match(languages) or languages[0]


def search_limit() -> str:
    return str(current_app.config["PAGESIFT_WEB_RATE_LIMIT"])


def suggest_limit() -> str:
    return str(current_app.config["PAGESIFT_SUGGEST_RATE_LIMIT"])


# The page and /api/search draw on one budget per client: the same work, two representations.
search_rate_limited = limiter.shared_limit(search_limit, scope="search")
suggest_rate_limited = limiter.limit(suggest_limit)
