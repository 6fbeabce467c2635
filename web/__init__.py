"""The reader-facing Flask app: search page, JSON API, and room for the console.

``create_app`` layers configuration: :mod:`web.defaults`, then the pagesift settings
(:func:`indexer.config.load`, the environment), then ``config_overrides``. An override whose
key is a pagesift setting name (``index_prefix``, ``es_url``...) goes into the settings;
upper-case keys are Flask configuration. Nothing connects anywhere until a request needs it.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

from flask import Flask
from flask_babel import get_locale

from indexer import config
from indexer.config import Settings
from web import cors, errors, security
from web.extensions import babel, limiter, select_locale
from web.proxies import TrustedProxies
from web.secret import secret_key

SETTINGS_KEY = "pagesift_settings"


def create_app(config_overrides: Mapping[str, Any] | None = None) -> Flask:
    overrides = dict(config_overrides or {})
    settings = config.load(**{k: overrides.pop(k) for k in list(overrides) if k in config.NAMES})
    app = Flask(__name__)
    app.config.from_object("web.defaults")
    app.config.update(_from_settings(settings))
    app.config.update(overrides)
    # Keys in the order the API documents them, not alphabetical.
    app.json.sort_keys = False  # type: ignore[attr-defined]
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = secret_key(settings)
    app.extensions[SETTINGS_KEY] = settings
    if settings.web.trusted_proxies:
        app.wsgi_app = TrustedProxies(app.wsgi_app, settings.web.trusted_proxies)  # type: ignore[method-assign]

    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["get_locale"] = get_locale
    limiter.init_app(app)
    security.init_app(app, settings.web.image_sources)
    cors.init_app(app, settings.web.cors_origins)
    errors.init_app(app)
    for spec in app.config["PAGESIFT_BLUEPRINTS"]:
        module, _, attribute = spec.partition(":")
        app.register_blueprint(getattr(importlib.import_module(module), attribute))
    return app


def _from_settings(settings: Settings) -> dict[str, Any]:
    return {
        "RATELIMIT_STORAGE_URI": settings.redis.url,
        "RATELIMIT_KEY_PREFIX": f"{settings.redis.namespace}:ratelimit",
        "PAGESIFT_WEB_RATE_LIMIT": settings.web.rate_limit,
        "PAGESIFT_SUGGEST_RATE_LIMIT": settings.web.suggest_rate_limit,
        "PAGESIFT_SEARCH_TIMEOUT": settings.web.search_timeout,
        "SESSION_COOKIE_SECURE": settings.production,
        "SECRET_KEY": settings.web.secret_key or None,
    }


def settings_of(app: Flask) -> Settings:
    settings: Settings = app.extensions[SETTINGS_KEY]
    return settings
