"""The one place that reads configuration.

Precedence: an explicit override (a command-line flag) beats the environment
(``PAGESIFT_*``), which beats the default. Nothing is read at import time: callers
ask for :func:`load` when they need settings.

``docs/configuration.md`` is generated from :data:`FIELDS` (``pagesift config --markdown``)
and a unit test keeps the two in step.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

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


def _networks(value: str) -> tuple[str, ...]:
    """Addresses or CIDR networks, checked here so a typo names its variable at start-up."""
    entries = _list(value)
    for entry in entries:
        ipaddress.ip_network(entry, strict=False)
    return entries


@dataclass(frozen=True)
class Field:
    name: str
    env: str
    default: Any
    parse: Callable[[str], Any]
    doc: str


def _home_default() -> Path:
    return PROJECT_ROOT / ".pagesift"


# The single table of settings. `default` may be a callable for values derived at load time.
FIELDS: tuple[Field, ...] = (
    Field("home", "PAGESIFT_HOME", _home_default, Path,
          "Where local services keep data, logs and pid files (default `.pagesift/` at the project root)."),
    Field("es_url", "PAGESIFT_ES_URL", "http://127.0.0.1:9200", str,
          "Elasticsearch URL the app, workers and CLI talk to; several nodes of one cluster "
          "comma-separated (requests spread over them, and retried on another when one is down)."),
    Field("es_username", "PAGESIFT_ES_USERNAME", "", str,
          "Elasticsearch user (production, security on)."),
    Field("es_password", "PAGESIFT_ES_PASSWORD", "", str, "Elasticsearch password."),
    Field("es_ca_certs", "PAGESIFT_ES_CA_CERTS", "", str,
          "CA bundle to verify Elasticsearch's TLS certificate."),
    Field("es_timeout", "PAGESIFT_ES_TIMEOUT", 30.0, float,
          "Client request timeout in seconds (searches have their own, shorter budget)."),
    Field("es_heap", "PAGESIFT_ES_HEAP", "1g", str,
          "Heap of the embedded Elasticsearch node (`-Xms`/`-Xmx`)."),
    Field("es_port", "PAGESIFT_ES_PORT", 9200, int, "HTTP port of the embedded Elasticsearch node."),
    Field("es_java_home", "PAGESIFT_ES_JAVA_HOME", "", str,
          "JDK for the embedded node (default: the JDK that `java` on PATH belongs to)."),
    Field("redis_url", "PAGESIFT_REDIS_URL", "redis://127.0.0.1:6379/0", str,
          "Redis for the Celery broker; the result backend and job store use the next DBs."),
    Field("redis_port", "PAGESIFT_REDIS_PORT", 6379, int,
          "Port of the local redis-server that `pagesift up` starts."),
    Field("index_prefix", "PAGESIFT_INDEX_PREFIX", "pages", str,
          "Name of the read alias; concrete indices are `<prefix>-v<version>-<timestamp>`."),
    Field("bulk_chunk_docs", "PAGESIFT_BULK_CHUNK_DOCS", 500, int,
          "Most documents in one bulk request."),
    Field("bulk_chunk_bytes", "PAGESIFT_BULK_CHUNK_BYTES", 10 * 1024 * 1024, int,
          "Most bytes in one bulk request (a chunk ends at whichever limit comes first)."),
    Field("bulk_max_retries", "PAGESIFT_BULK_MAX_RETRIES", 5, int,
          "Retries of a document Elasticsearch refused with 429 (backoff doubles from 2 s)."),
    Field("reindex_max_failure_share", "PAGESIFT_REINDEX_MAX_FAILURE_SHARE", 0.005, float,
          "Largest share of pages a reindex may fail to index and still swap the alias (0.005 = 0.5%)."),
    Field("reindex_keep", "PAGESIFT_REINDEX_KEEP", 1, int,
          "Indices kept after a reindex besides the live one (the newest is the rollback target)."),
    Field("web_host", "PAGESIFT_WEB_HOST", "127.0.0.1", str, "Address the web server binds."),
    Field("web_port", "PAGESIFT_WEB_PORT", 8000, int, "Port of the search page."),
    Field("web_workers", "PAGESIFT_WEB_WORKERS", 2, int, "gunicorn worker processes."),
    Field("web_image_sources", "PAGESIFT_WEB_IMAGE_SOURCES", (), _list,
          "Extra origins the page may load thumbnails from besides https (e.g. a site on plain http)."),
    Field("search_timeout", "PAGESIFT_SEARCH_TIMEOUT", 2.0, float,
          "Seconds a reader search may take in Elasticsearch before partial results are returned."),
    Field("web_rate_limit", "PAGESIFT_WEB_RATE_LIMIT", "120/minute;2000/hour", str,
          "Per-client limit on the search page and `/api/search` (Flask-Limiter syntax)."),
    Field("suggest_rate_limit", "PAGESIFT_SUGGEST_RATE_LIMIT", "600/minute", str,
          "Per-client limit on autocomplete (`/api/suggest`), which fires as readers type."),
    Field("trusted_proxies", "PAGESIFT_TRUSTED_PROXIES", (), _networks,
          "Addresses or networks of the reverse proxies in front of the web app, comma-separated. "
          "From these peers only, `X-Forwarded-For`/`-Proto`/`-Host` give the client, scheme and host "
          "(rate limits key on that client); from any other peer they are ignored."),
    Field("secret_key", "PAGESIFT_SECRET_KEY", "", str,
          "Flask secret key (sessions, CSRF). Generated and kept under the home when empty."),
    Field("worker_concurrency", "PAGESIFT_WORKER_CONCURRENCY", 2, int, "Celery worker processes."),
    Field("clean_max_bytes", "PAGESIFT_CLEAN_MAX_BYTES", 10 * 1024 * 1024, int,
          "Largest page the cleaner accepts, in bytes."),
    Field("clean_time_budget", "PAGESIFT_CLEAN_TIME_BUDGET", 5.0, float,
          "Seconds the cleaner may spend on one page."),
    Field("rules_file", "PAGESIFT_RULES_FILE", "", str,
          "Per-site extraction rules (TOML); empty for none."),
    Field("production", "PAGESIFT_PRODUCTION", False, _bool,
          "Production mode: Secure cookies, no debug, secrets required."),
    Field("redis_namespace", "PAGESIFT_REDIS_NAMESPACE", "pagesift", str,
          "Prefix of every Redis key and the Celery queue name, so deployments can share a Redis."),
    Field("worker_visibility_timeout", "PAGESIFT_WORKER_VISIBILITY_TIMEOUT", 3600, int,
          "Seconds before an unacknowledged task is redelivered; longer than the longest task."),
    Field("task_soft_time_limit", "PAGESIFT_TASK_SOFT_TIME_LIMIT", 600, int,
          "Seconds a task may run before it is asked to stop (reindex jobs are exempt)."),
    Field("task_time_limit", "PAGESIFT_TASK_TIME_LIMIT", 660, int,
          "Seconds after which a task's process is killed."),
    Field("ingest_batch_size", "PAGESIFT_INGEST_BATCH_SIZE", 20, int,
          "Pages per pipeline task (one bulk request each)."),
    Field("ingest_local_batch_size", "PAGESIFT_INGEST_LOCAL_BATCH_SIZE", 100, int,
          "Pages per pipeline task for local files and web archives (no network waits, so larger "
          "batches share Elasticsearch's per-request cost)."),
    Field("reconcile_after", "PAGESIFT_RECONCILE_AFTER", 1800, int,
          "Seconds after which a page accepted but not finished is re-enqueued by the reconciler."),
    Field("schedules_file", "PAGESIFT_SCHEDULES_FILE", "", str,
          "Re-crawl schedules for `pagesift beat` (TOML); empty for none."),
    Field("fetch_user_agent", "PAGESIFT_FETCH_USER_AGENT", "pagesift/0.1 (+https://github.com/pagesift)",
          str, "User-Agent of the fetcher; also the agent robots.txt rules are matched against."),
    Field("fetch_delay", "PAGESIFT_FETCH_DELAY", 1.0, float,
          "Seconds between two requests to one host, across all workers (robots Crawl-delay may raise it)."),
    Field("fetch_host_delays", "PAGESIFT_FETCH_HOST_DELAYS", (), _list,
          "Per-host delays overriding the default, `host[:port]=seconds` separated by commas."),
    Field("fetch_allowlist", "PAGESIFT_FETCH_ALLOWLIST", (), _list,
          "`host[:port]` entries the SSRF guard admits although they resolve to private addresses, "
          "only for a job whose source is on that entry (never through a redirect or a sitemap entry "
          "from another host)."),
    Field("fetch_connect_timeout", "PAGESIFT_FETCH_CONNECT_TIMEOUT", 5.0, float,
          "Seconds to open a connection."),
    Field("fetch_timeout", "PAGESIFT_FETCH_TIMEOUT", 30.0, float,
          "Seconds for a whole response, headers and body."),
    Field("fetch_max_bytes", "PAGESIFT_FETCH_MAX_BYTES", 10 * 1024 * 1024, int,
          "Largest response body kept, counted after decompression."),
    Field("admin_password_hash", "PAGESIFT_ADMIN_PASSWORD_HASH", "", str,
          "Hash of the operator console password (`pagesift admin hash-password`); empty: no sign-in."),
    Field("admin_token_hash", "PAGESIFT_ADMIN_TOKEN_HASH", "", str,
          "SHA-256 (hex) of the admin API token (`pagesift admin new-token`); empty: the API refuses all."),
    Field("admin_upload_max_bytes", "PAGESIFT_ADMIN_UPLOAD_MAX_BYTES", 200 * 1024 * 1024, int,
          "Largest console upload (HTML files, a zip or a WARC); larger requests get 413."),
)


@dataclass(frozen=True)
class Settings:
    home: Path
    es_url: str
    es_username: str
    es_password: str
    es_ca_certs: str
    es_timeout: float
    es_heap: str
    es_port: int
    es_java_home: str
    redis_url: str
    redis_port: int
    index_prefix: str
    bulk_chunk_docs: int
    bulk_chunk_bytes: int
    bulk_max_retries: int
    reindex_max_failure_share: float
    reindex_keep: int
    web_host: str
    web_port: int
    web_workers: int
    web_image_sources: tuple[str, ...]
    search_timeout: float
    web_rate_limit: str
    suggest_rate_limit: str
    trusted_proxies: tuple[str, ...]
    secret_key: str
    worker_concurrency: int
    clean_max_bytes: int
    clean_time_budget: float
    rules_file: str
    production: bool
    redis_namespace: str
    worker_visibility_timeout: int
    task_soft_time_limit: int
    task_time_limit: int
    ingest_batch_size: int
    ingest_local_batch_size: int
    reconcile_after: int
    schedules_file: str
    fetch_user_agent: str
    fetch_delay: float
    fetch_host_delays: tuple[str, ...]
    fetch_allowlist: tuple[str, ...]
    fetch_connect_timeout: float
    fetch_timeout: float
    fetch_max_bytes: int
    admin_password_hash: str
    admin_token_hash: str
    admin_upload_max_bytes: int

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
    for field in FIELDS:
        if overrides.get(field.name) is not None:
            values[field.name] = overrides[field.name]
        elif field.env in source:
            try:
                values[field.name] = field.parse(source[field.env])
            except ValueError as exc:
                raise ConfigError(f"{field.env}: {exc}") from exc
        else:
            values[field.name] = field.default() if callable(field.default) else field.default
    unknown = set(overrides) - {f.name for f in fields(Settings)}
    if unknown:
        raise ConfigError(f"unknown settings: {', '.join(sorted(unknown))}")
    return Settings(**values)


def markdown_table() -> str:
    """The configuration reference, as the Markdown table in docs/configuration.md."""
    rows = ["| Variable | Default | Meaning |", "| --- | --- | --- |"]
    for field in FIELDS:
        default = "`.pagesift/`" if field.name == "home" else f"`{field.default}`"
        rows.append(f"| `{field.env}` | {default} | {field.doc} |")
    return "\n".join(rows) + "\n"
