"""The one place that declares and reads configuration.

Each setting is declared once, as a field of its section (:class:`ElasticsearchSettings`,
:class:`FetchSettings`, ...) with its variable, default and meaning; a function is handed the
section it needs (``make_client(settings.es)``), the whole :class:`Settings` only when it
spans several. Precedence: an explicit override (a command-line flag) beats the environment
(``PAGESIFT_*``), which beats the home's settings file, which beats the default. Nothing is read
at import time: callers ask for :func:`load` when they need settings.

Overrides and the variable names are flat (``es_url`` is ``PAGESIFT_ES_URL``, the section's
``url``): flags, the settings file and ``docs/configuration.md`` (generated from
:data:`FIELDS` by ``pagesift config --markdown``, a unit test keeps the two in step) name a
setting the way an operator does.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, get_type_hints
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _bool(value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"not a boolean: {value!r}")


def _list(value: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in value.split(",") if item.strip())


ACCESS_LOGS = ("private", "off", "full")


def _access_log(value: str) -> str:
    chosen = value.strip().lower()
    if chosen not in ACCESS_LOGS:
        raise ValueError(f"one of {', '.join(ACCESS_LOGS)}")
    return chosen


def _networks(value: str) -> tuple[str, ...]:
    """Addresses or CIDR networks, checked here so a typo names its variable at start-up."""
    entries = _list(value)
    for entry in entries:
        ipaddress.ip_network(entry, strict=False)
    return entries


def _origins(value: str) -> tuple[str, ...]:
    """Web origins (scheme, host, optional port; no path), checked here so that a typo such as a
    trailing slash, which no browser would ever send, names its variable at start-up."""
    entries = _list(value)
    for entry in entries:
        parts = urlsplit(entry)
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.path or parts.query:
            raise ValueError(f"not an origin: {entry!r} (scheme://host[:port], nothing after)")
    return entries


def _home_default() -> Path:
    return PROJECT_ROOT / ".pagesift"


def setting(env: str, default: Any, doc: str, parse: Callable[[str], Any] | None = None) -> Any:
    """A section's field that is a setting: read from ``env``, ``default`` when unset (a callable
    for values derived at load time), parsed by ``parse`` or by the field's type."""
    return field(metadata={SETTING: (env, default, doc, parse)})


# Dataclass field metadata keys: a setting (env, default, doc, parse), a section (its heading).
SETTING = "pagesift.setting"
SECTION = "pagesift.section"


@dataclass(frozen=True)
class ElasticsearchSettings:
    """Elasticsearch: the cluster every part talks to, and the embedded node."""

    url: str = setting(
            "PAGESIFT_ES_URL", "http://127.0.0.1:9200",
            "Elasticsearch URL the app, workers and CLI talk to; several nodes of one cluster "
            "comma-separated (requests spread over them, and retried on another when one is down).")
    username: str = setting(
            "PAGESIFT_ES_USERNAME", "",
            "Elasticsearch user (production, security on).")
    password: str = setting(
            "PAGESIFT_ES_PASSWORD", "",
            "Elasticsearch password.")
    ca_certs: str = setting(
            "PAGESIFT_ES_CA_CERTS", "",
            "CA bundle to verify Elasticsearch's TLS certificate.")
    timeout: float = setting(
            "PAGESIFT_ES_TIMEOUT", 30.0,
            "Client request timeout in seconds (searches have their own, shorter budget).")
    heap: str = setting(
            "PAGESIFT_ES_HEAP", "1g",
            "Heap of the embedded Elasticsearch node (`-Xms`/`-Xmx`).")
    port: int = setting(
            "PAGESIFT_ES_PORT", 9200,
            "HTTP port of the embedded Elasticsearch node.")
    java_home: str = setting(
            "PAGESIFT_ES_JAVA_HOME", "",
            "JDK for the embedded node (default: the JDK that `java` on PATH belongs to).")


@dataclass(frozen=True)
class RedisSettings:
    """Redis: the Celery broker, results and the job store."""

    url: str = setting(
            "PAGESIFT_REDIS_URL", "redis://127.0.0.1:6379/0",
            "Redis for the Celery broker; the result backend and job store use the next DBs.")
    port: int = setting(
            "PAGESIFT_REDIS_PORT", 6379,
            "Port of the local redis-server that `pagesift up` starts.")
    namespace: str = setting(
            "PAGESIFT_REDIS_NAMESPACE", "pagesift",
            "Prefix of every Redis key and the Celery queue name, so deployments can share a Redis.")


@dataclass(frozen=True)
class IndexSettings:
    """Indices: names, bulk writes and reindexing."""

    prefix: str = setting(
            "PAGESIFT_INDEX_PREFIX", "pages",
            "Name of the read alias; concrete indices are `<prefix>-v<version>-<timestamp>`.")
    bulk_chunk_docs: int = setting(
            "PAGESIFT_BULK_CHUNK_DOCS", 500,
            "Most documents in one bulk request.")
    bulk_chunk_bytes: int = setting(
            "PAGESIFT_BULK_CHUNK_BYTES", 10 * 1024 * 1024,
            "Most bytes in one bulk request (a chunk ends at whichever limit comes first).")
    bulk_max_retries: int = setting(
            "PAGESIFT_BULK_MAX_RETRIES", 5,
            "Retries of a document Elasticsearch refused with 429 (backoff doubles from 2 s).")
    reindex_max_failure_share: float = setting(
            "PAGESIFT_REINDEX_MAX_FAILURE_SHARE", 0.005,
            "Largest share of pages a reindex may fail to index and still swap the alias (0.005 = 0.5%).")
    reindex_keep: int = setting(
            "PAGESIFT_REINDEX_KEEP", 1,
            "Indices kept after a reindex besides the live one (the newest is the rollback target).")


@dataclass(frozen=True)
class WebSettings:
    """The reader search app."""

    host: str = setting(
            "PAGESIFT_WEB_HOST", "127.0.0.1",
            "Address the web server binds.")
    port: int = setting(
            "PAGESIFT_WEB_PORT", 8000,
            "Port of the search page.")
    workers: int = setting(
            "PAGESIFT_WEB_WORKERS", 2,
            "gunicorn worker processes.")
    image_sources: tuple[str, ...] = setting(
            "PAGESIFT_WEB_IMAGE_SOURCES", (),
            "Extra origins the page may load thumbnails from besides https (e.g. a site on plain http).")
    search_timeout: float = setting(
            "PAGESIFT_SEARCH_TIMEOUT", 2.0,
            "Seconds a reader search may take in Elasticsearch before partial results are returned.")
    rate_limit: str = setting(
            "PAGESIFT_WEB_RATE_LIMIT", "120/minute;2000/hour",
            "Per-client limit on the search page and `/api/search` (Flask-Limiter syntax).")
    suggest_rate_limit: str = setting(
            "PAGESIFT_SUGGEST_RATE_LIMIT", "600/minute",
            "Per-client limit on autocomplete (`/api/suggest`), which fires as readers type.")
    trusted_proxies: tuple[str, ...] = setting(
            "PAGESIFT_TRUSTED_PROXIES", (),
            "Addresses or networks of the reverse proxies in front of the web app, comma-separated. "
            "From these peers only, `X-Forwarded-For`/`-Proto`/`-Host` give the client, scheme and host "
            "(rate limits key on that client); from any other peer they are ignored.", parse=_networks)
    embed_origins: tuple[str, ...] = setting(
            "PAGESIFT_EMBED_ORIGINS", (),
            "Origins allowed to show `/embed/related` in an iframe (the site's own, e.g. "
            "`https://example.org`), comma-separated; empty: none may frame it.")
    cors_origins: tuple[str, ...] = setting(
            "PAGESIFT_CORS_ORIGINS", (),
            "Origins whose pages may call `/api/search` and `/api/suggest` from the browser (CORS), "
            "comma-separated, e.g. `https://example.org` for the WordPress plugin's live search; empty: "
            "none, and those answers carry no CORS headers.", parse=_origins)
    access_log: str = setting(
            "PAGESIFT_WEB_ACCESS_LOG", "private",
            "gunicorn's access log: `private` (time, method, path without the query string, status, "
            "size, duration: no address, query, referrer or user agent), `off`, or `full` (gunicorn's "
            "default: address, whole URL with the query, referrer, user agent; for debugging only, "
            "as it records what readers searched for whatever they asked).", parse=_access_log)
    secret_key: str = setting(
            "PAGESIFT_SECRET_KEY", "",
            "Flask secret key (sessions, CSRF). Generated and kept under the home when empty.")


def _search_mode(value: str) -> str:
    mode = value.strip().lower()
    if mode not in SEARCH_MODES:
        raise ValueError(f"not a search mode: {value!r} (one of {', '.join(SEARCH_MODES)})")
    return mode


# The reader search's ways of ranking (indexer/searching.py): words only, or words and meaning.
SEARCH_MODES = ("hybrid", "lexical")


@dataclass(frozen=True)
class SearchSettings:
    """Meaning as well as words: the embedding model and the reader search's default mode."""

    mode: str = setting(
            "PAGESIFT_SEARCH_MODE", "hybrid",
            "Default ranking of reader searches: `hybrid` (BM25 and nearest articles by vector, fused) "
            "or `lexical` (BM25 only); a reader's `mode=` overrides it. Hybrid needs an embedding model.",
            parse=_search_mode)
    embedding_model: str = setting(
            "PAGESIFT_EMBEDDING_MODEL", "wordllama:256",
            "Model the workers embed articles with and the search embeds queries with: `wordllama:256` "
            "(in its wheel, CPU), `sentence-transformers:NAME_OR_PATH`, `fastembed:NAME`, or `none` (no "
            "vectors; searches are lexical). Changing it means a new mapping and a reclean "
            "(docs/search.md, \"Hybrid search\").")
    site_words_cache_seconds: float = setting(
            "PAGESIFT_SITE_WORDS_CACHE_SECONDS", 60.0,
            "Seconds a web process keeps its copy of the site's category, tag and author names (and "
            "their counts), which searches offer and rank by, before reading them again (docs/search.md, "
            "\"The site's own words\").")


@dataclass(frozen=True)
class WorkerSettings:
    """Celery workers and their tasks."""

    concurrency: int = setting(
            "PAGESIFT_WORKER_CONCURRENCY", 2,
            "Celery worker processes.")
    visibility_timeout: int = setting(
            "PAGESIFT_WORKER_VISIBILITY_TIMEOUT", 3600,
            "Seconds before an unacknowledged task is redelivered; longer than the longest task.")
    task_soft_time_limit: int = setting(
            "PAGESIFT_TASK_SOFT_TIME_LIMIT", 600,
            "Seconds a task may run before it is asked to stop (reindex jobs are exempt).")
    task_time_limit: int = setting(
            "PAGESIFT_TASK_TIME_LIMIT", 660,
            "Seconds after which a task's process is killed.")
    ingest_batch_size: int = setting(
            "PAGESIFT_INGEST_BATCH_SIZE", 20,
            "Pages per pipeline task (one bulk request each).")
    ingest_local_batch_size: int = setting(
            "PAGESIFT_INGEST_LOCAL_BATCH_SIZE", 100,
            "Pages per pipeline task for local files and web archives (no network waits, so larger "
            "batches share Elasticsearch's per-request cost).")
    reconcile_after: int = setting(
            "PAGESIFT_RECONCILE_AFTER", 1800,
            "Seconds after which a page accepted but not finished is re-enqueued by the reconciler.")
    schedules_file: str = setting(
            "PAGESIFT_SCHEDULES_FILE", "",
            "Re-crawl schedules for `pagesift beat` (TOML); empty for none.")


@dataclass(frozen=True)
class CleanSettings:
    """The cleaner's limits and per-site rules."""

    max_bytes: int = setting(
            "PAGESIFT_CLEAN_MAX_BYTES", 10 * 1024 * 1024,
            "Largest page the cleaner accepts, in bytes.")
    time_budget: float = setting(
            "PAGESIFT_CLEAN_TIME_BUDGET", 5.0,
            "Seconds the cleaner may spend on one page.")
    rules_file: str = setting(
            "PAGESIFT_RULES_FILE", "",
            "Per-site extraction rules (TOML); empty for none.")


@dataclass(frozen=True)
class FetchSettings:
    """The fetcher: politeness, safety and limits."""

    user_agent: str = setting(
            "PAGESIFT_FETCH_USER_AGENT", "pagesift/0.1 (+https://github.com/pagesift)",
            "User-Agent of the fetcher; also the agent robots.txt rules are matched against.")
    delay: float = setting(
            "PAGESIFT_FETCH_DELAY", 1.0,
            "Seconds between two requests to one host, across all workers (robots Crawl-delay may raise it).")
    host_delays: tuple[str, ...] = setting(
            "PAGESIFT_FETCH_HOST_DELAYS", (),
            "Per-host delays overriding the default, `host[:port]=seconds` separated by commas.")
    allowlist: tuple[str, ...] = setting(
            "PAGESIFT_FETCH_ALLOWLIST", (),
            "`host[:port]` entries the SSRF guard admits although they resolve to private addresses, "
            "only for a job whose source is on that entry (never through a redirect or a sitemap entry "
            "from another host).")
    connect_timeout: float = setting(
            "PAGESIFT_FETCH_CONNECT_TIMEOUT", 5.0,
            "Seconds to open a connection.")
    timeout: float = setting(
            "PAGESIFT_FETCH_TIMEOUT", 30.0,
            "Seconds for a whole response, headers and body.")
    max_bytes: int = setting(
            "PAGESIFT_FETCH_MAX_BYTES", 10 * 1024 * 1024,
            "Largest response body kept, counted after decompression.")


@dataclass(frozen=True)
class AdminSettings:
    """The operator console and admin API."""

    password_hash: str = setting(
            "PAGESIFT_ADMIN_PASSWORD_HASH", "",
            "Hash of the operator console password (`pagesift admin hash-password`); empty: no sign-in.")
    token_hash: str = setting(
            "PAGESIFT_ADMIN_TOKEN_HASH", "",
            "SHA-256 (hex) of the admin API token (`pagesift admin new-token`); empty: the API refuses all.")
    upload_max_bytes: int = setting(
            "PAGESIFT_ADMIN_UPLOAD_MAX_BYTES", 200 * 1024 * 1024,
            "Largest console upload (HTML files, a zip or a WARC); larger requests get 413.")


@dataclass(frozen=True)
class SearchLogSettings:
    """The search and click log (no IP address kept), its analytics and past-query suggestions."""

    enabled: bool = setting(
            "PAGESIFT_SEARCHLOG_ENABLED", True,
            "Log reader searches and result clicks to `<prefix>-searchlog-YYYY.MM.DD` indices "
            "(docs/analytics.md); off: nothing is logged and no visit cookie is set.")
    retention_days: int = setting(
            "PAGESIFT_SEARCHLOG_RETENTION_DAYS", 90,
            "Days of search log kept; older daily indices are deleted (by the web app once a day, "
            "or `pagesift analytics prune`).")
    visit_cookie: bool = setting(
            "PAGESIFT_SEARCHLOG_VISIT_COOKIE", True,
            "Tie a visit's searches and clicks together with a random id in a 30-minute cookie "
            "(never set for a browser sending `Sec-GPC: 1` or `DNT: 1`). Past-query suggestions "
            "count readers by a daily key, not by this cookie (docs/analytics.md).")
    flush_seconds: float = setting(
            "PAGESIFT_SEARCHLOG_FLUSH_SECONDS", 1.0,
            "Most seconds a logged event waits in the web process before its bulk write.")
    queue_max: int = setting(
            "PAGESIFT_SEARCHLOG_QUEUE_MAX", 10_000,
            "Events a web process holds while Elasticsearch is slow or down; past it new ones are "
            "dropped (and counted), never waited for.")
    timeout: float = setting(
            "PAGESIFT_SEARCHLOG_TIMEOUT", 2.0,
            "Seconds one bulk write of the log may take.")
    suggest_min_count: int = setting(
            "PAGESIFT_SEARCHLOG_SUGGEST_MIN_COUNT", 5,
            "Distinct visits in which a query must have been searched (and found results) to be "
            "offered in autocomplete; searches without a visit id count as one visit together.")
    suggest_max: int = setting(
            "PAGESIFT_SEARCHLOG_SUGGEST_MAX", 3,
            "Most past queries offered in autocomplete, above the article titles; 0 for none.")


@dataclass(frozen=True)
class CurationSettings:
    """Editors' best bets, synonyms and judgments (`<prefix>-curation`, docs/curation.md)."""

    cache_seconds: float = setting(
            "PAGESIFT_CURATION_CACHE_SECONDS", 5.0,
            "Seconds a web process keeps its copy of the best bets and synonyms before reading them "
            "again: a rule saved in the console applies to reader searches within this time.")
    gate_max_queries: int = setting(
            "PAGESIFT_CURATION_GATE_MAX_QUERIES", 200,
            "Most judged queries the gate runs before and after a rule is saved (the most recently "
            "judged first).")


@dataclass(frozen=True)
class Settings:
    """Every section, and the two settings that belong to the whole deployment."""

    es: ElasticsearchSettings = field(metadata={SECTION: "Elasticsearch"})
    redis: RedisSettings = field(metadata={SECTION: "Redis"})
    index: IndexSettings = field(metadata={SECTION: "Indices"})
    web: WebSettings = field(metadata={SECTION: "Reader search"})
    search: SearchSettings = field(metadata={SECTION: "Hybrid search"})
    worker: WorkerSettings = field(metadata={SECTION: "Workers"})
    clean: CleanSettings = field(metadata={SECTION: "Cleaning"})
    fetch: FetchSettings = field(metadata={SECTION: "Fetching"})
    admin: AdminSettings = field(metadata={SECTION: "Operator console"})
    searchlog: SearchLogSettings = field(metadata={SECTION: "Search log and analytics"})
    curation: CurationSettings = field(metadata={SECTION: "Curation"})
    # A Path is mutable to ruff's eye, but the default here is a function the loader calls.
    home: Path = setting(  # noqa: RUF009
        "PAGESIFT_HOME", _home_default,
        "Where local services keep data, logs and pid files (default `.pagesift/` at the project root).")
    production: bool = setting(
        "PAGESIFT_PRODUCTION", False, "Production mode: Secure cookies, no debug, secrets required.")

    @property
    def logs_dir(self) -> Path:
        return self.home / "logs"

    @property
    def cache_dir(self) -> Path:
        """Files derived from installed packages (the inflated language model): safe to delete."""
        return self.home / "cache"

    @property
    def run_dir(self) -> Path:
        return self.home / "run"


_PARSERS: dict[Any, Callable[[str], Any]] = {bool: _bool, tuple[str, ...]: _list, Path: Path}


@dataclass(frozen=True)
class Field:
    """One setting as an operator names it: ``name`` is the flat key (flags, overrides),
    ``section``/``attr`` where it lives in :class:`Settings` (``section`` empty at the top)."""

    name: str
    env: str
    default: Any
    parse: Callable[[str], Any]
    doc: str
    section: str
    attr: str
    heading: str

    def value_in(self, settings: Settings) -> Any:
        holder = getattr(settings, self.section) if self.section else settings
        return getattr(holder, self.attr)


def _fields_of(cls: type, section: str, heading: str) -> list[Field]:
    hints = get_type_hints(cls)
    found = []
    for spec in fields(cls):
        if SETTING not in spec.metadata:
            continue
        env, default, doc, parse = spec.metadata[SETTING]
        kind = hints[spec.name]
        found.append(Field(env.removeprefix("PAGESIFT_").lower(), env, default,
                           parse or _PARSERS.get(kind, kind), doc, section, spec.name, heading))
    return found


def _all_fields() -> tuple[Field, ...]:
    hints = get_type_hints(Settings)
    table = _fields_of(Settings, "", "Deployment")
    for spec in fields(Settings):
        if SECTION in spec.metadata:
            table += _fields_of(hints[spec.name], spec.name, spec.metadata[SECTION])
    return tuple(table)


# Every setting, derived from the sections above: the table docs, flags and the settings file use.
FIELDS: tuple[Field, ...] = _all_fields()
NAMES = frozenset(f.name for f in FIELDS)


def _build(values: Mapping[str, Any]) -> Settings:
    """Settings from flat values (one per field of :data:`FIELDS`)."""
    hints = get_type_hints(Settings)
    sections = {
        spec.name: hints[spec.name](**{f.attr: values[f.name] for f in FIELDS if f.section == spec.name})
        for spec in fields(Settings) if SECTION in spec.metadata
    }
    top = {f.attr: values[f.name] for f in FIELDS if not f.section}
    return Settings(**top, **sections)


def flat(settings: Settings) -> dict[str, Any]:
    """Every setting by its flat name."""
    return {f.name: f.value_in(settings) for f in FIELDS}


def replaced(settings: Settings, **changes: Any) -> Settings:
    """A copy with some settings changed, named flat (``replaced(s, es_url=...)``)."""
    unknown = set(changes) - NAMES
    if unknown:
        raise ConfigError(f"unknown settings: {', '.join(sorted(unknown))}")
    return _build({**flat(settings), **changes})


class ConfigError(ValueError):
    """A setting has a value that cannot be parsed."""


# Settings kept with a home (``PAGESIFT_*=value`` lines): `pagesift demo` writes its own there,
# so `pagesift down` then `pagesift up` (or any other command) gives the same stack again.
HOME_SETTINGS_FILE = "pagesift.env"


def read_env_file(path: Path) -> dict[str, str]:
    """``KEY=value`` lines (blank lines and ``#`` comments ignored; no quoting or expansion, so
    a password hash's ``$`` stays as it is). A missing file is no settings."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    values: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, sep, value = line.partition("=")
        if not sep or not key.strip():
            raise ConfigError(f"{path}:{number}: not KEY=value: {line!r}")
        values[key.strip()] = value.strip()
    return values


def update_env_file(path: Path, values: Mapping[str, str], header: str = "") -> None:
    """Set ``values`` in the settings file at ``path``: their lines replaced or added, every
    other line (an operator's own settings and comments) kept. Owner-only: it may hold hashes."""
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else [
        f"# {line}" if line else "#" for line in header.splitlines()]
    pending = dict(values)
    kept = []
    for line in lines:
        key = line.partition("=")[0].strip()
        if not line.lstrip().startswith("#") and key in pending:
            kept.append(f"{key}={pending.pop(key)}")
        else:
            kept.append(line)
    kept += [f"{key}={value}" for key, value in pending.items()]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text("\n".join(kept) + "\n", encoding="utf-8")
    tmp.chmod(0o600)
    tmp.replace(path)


def _home_settings(env: Mapping[str, str], overrides: Mapping[str, Any]) -> dict[str, str]:
    """The settings file of the home these settings will have (where it is cannot come from
    the file itself, so its PAGESIFT_HOME is ignored)."""
    home = overrides.get("home") or env.get("PAGESIFT_HOME") or _home_default()
    found = read_env_file(Path(home) / HOME_SETTINGS_FILE)
    found.pop("PAGESIFT_HOME", None)
    return found


def load(env: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Build settings from defaults, then the home's settings file, then ``env`` (default
    ``os.environ``), then overrides.

    The home's file (:data:`HOME_SETTINGS_FILE`) is read only with the process environment:
    a caller handing its own ``env`` (tests, a child's environment) gets exactly that.
    Overrides whose value is None are ignored, so argparse results can be passed as they are.
    """
    source = {**_home_settings(os.environ, overrides), **os.environ} if env is None else env
    values: dict[str, Any] = {}
    for spec in FIELDS:
        if overrides.get(spec.name) is not None:
            values[spec.name] = overrides[spec.name]
        elif spec.env in source:
            try:
                values[spec.name] = spec.parse(source[spec.env])
            except ValueError as exc:
                raise ConfigError(f"{spec.env}: {exc}") from exc
        else:
            values[spec.name] = spec.default() if callable(spec.default) else spec.default
    unknown = set(overrides) - NAMES
    if unknown:
        raise ConfigError(f"unknown settings: {', '.join(sorted(unknown))}")
    return _build(values)


# Settings whose values are credentials: shown as set or not, never printed.
_SECRET_WORDS = ("password", "secret", "token")


def effective_lines(settings: Settings) -> list[str]:
    """``PAGESIFT_X = value`` for every setting, credentials masked: what `pagesift config` shows."""
    lines = []
    for spec in FIELDS:
        value = spec.value_in(settings)
        if isinstance(value, tuple):
            value = ",".join(value)
        if any(word in spec.name for word in _SECRET_WORDS) and value:
            value = "***"
        lines.append(f"{spec.env} = {value}")
    return lines


def markdown_table() -> str:
    """The configuration reference, as the Markdown table in docs/configuration.md."""
    rows: list[str] = []
    previous = ""
    for spec in FIELDS:
        if not rows or spec.heading != previous:
            rows += [*([""] if rows else []), f"### {spec.heading}", "",
                     "| Variable | Default | Meaning |", "| --- | --- | --- |"]
            previous = spec.heading
        default = "`.pagesift/`" if spec.name == "home" else f"`{spec.default}`"
        rows.append(f"| `{spec.env}` | {default} | {spec.doc} |")
    return "\n".join(rows) + "\n"
