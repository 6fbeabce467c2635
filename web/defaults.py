"""Flask configuration defaults, the first layer under the pagesift settings and overrides."""

from redis.backoff import NoBackoff
from redis.retry import Retry

# "module:attribute" of each blueprint, in registration order; the console adds its own here.
PAGESIFT_BLUEPRINTS = ["web.search:bp", "web.api:bp", "web.admin:bp", "web.admin_api:bp", "web.metrics:bp",
                       "web.searchlog:bp"]
PAGESIFT_LANGUAGES = ["en"]
BABEL_DEFAULT_LOCALE = "en"
BABEL_TRANSLATION_DIRECTORIES = "translations"
# Rate limits live in Redis so that every gunicorn worker shares one count per client.
# No X-RateLimit-* headers on every answer: each would cost one more Redis round trip per
# search. A 429 still says when to come back (Retry-After, see web/errors.py).
RATELIMIT_HEADERS_ENABLED = False
# If Redis is down, searching goes on rather than failing for everyone: each process counts
# on its own meanwhile (in-memory fallback), and any other storage error lets the request
# through. The storage's client gives up at once: the default one retries with backoff for
# seconds on every request while Redis is away (see web/reader_redis.py).
RATELIMIT_SWALLOW_ERRORS = True
RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 0.25, "socket_timeout": 0.25,
                             "retry": Retry(NoBackoff(), 0)}
RATELIMIT_STRATEGY = "fixed-window"
SESSION_COOKIE_HTTPONLY = True
# The only session is the operator console's: Strict keeps the browser from sending it on any
# request another site starts, links included.
SESSION_COOKIE_SAMESITE = "Strict"
