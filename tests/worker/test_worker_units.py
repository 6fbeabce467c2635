"""Pure parts of the worker: Celery configuration, Redis databases, schedules."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from indexer import config
from worker import beat, redis_dbs
from worker.app import celery_config
from worker.batch import backoff
from worker.fetch.politeness import Politeness
from worker.jobs import Job

pytestmark = pytest.mark.unit


def test_redis_databases_follow_the_configured_one() -> None:
    assert redis_dbs.database_url("redis://h:1/3", redis_dbs.JOBS) == "redis://h:1/5"
    assert redis_dbs.database_url("redis://:pw@h:1", redis_dbs.RESULTS) == "redis://:pw@h:1/1"
    with pytest.raises(ValueError, match="lower"):
        redis_dbs.database_url("redis://h/14", redis_dbs.JOBS)


def test_redacted_redis_urls_keep_no_password() -> None:
    assert redis_dbs.redacted("redis://:s3cret@h:6379/0") == "redis://:***@h:6379/0"
    assert redis_dbs.redacted("rediss://app:s3cret@h/2?ssl_cert_reqs=none") == \
        "rediss://app:***@h/2?ssl_cert_reqs=none"
    # A lone user part is most often a password written without its colon.
    assert redis_dbs.redacted("redis://s3cret@h:6379") == "redis://***@h:6379"
    assert redis_dbs.redacted("redis://h:6379/0") == "redis://h:6379/0"


def test_celery_configuration_is_safe_and_bound_to_settings() -> None:
    settings = config.load(env={}, redis_url="redis://r:7/2", redis_namespace="ns",
                           worker_visibility_timeout=30)
    conf = celery_config(settings)
    assert (conf["broker_url"], conf["result_backend"]) == ("redis://r:7/2", "redis://r:7/3")
    assert conf["accept_content"] == ["json"] and conf["task_serializer"] == "json"
    assert conf["task_acks_late"] and conf["task_reject_on_worker_lost"]
    assert conf["worker_prefetch_multiplier"] == 1 and conf["task_default_queue"] == "ns"
    transport = conf["broker_transport_options"]
    assert transport["visibility_timeout"] == 30 and transport["global_keyprefix"] == "ns:"
    assert transport["unacked_restore_interval"] == 6, "short timeouts are swept often"
    assert "unacked_restore_interval" not in celery_config(config.load(env={}))["broker_transport_options"]


def test_importing_the_app_module_reads_nothing() -> None:
    sys.modules.pop("worker.app", None)
    import worker.app as module

    assert module._app is None


def test_schedules_file(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_text('[[recrawl]]\nsource = "https://a.test/sitemap.xml"\nevery = "6h"\n'
                    '[[recrawl]]\nsource = "https://b.test/"\nevery = 90\n')
    settings = config.load(env={}, schedules_file=str(path), reconcile_after=600)
    schedule = beat.beat_schedule(settings)
    assert schedule["reconcile"]["schedule"] == 150
    assert schedule["recrawl-1"] == {"task": beat.RECRAWL_TASK, "schedule": 21600.0,
                                     "args": ["https://a.test/sitemap.xml"]}
    assert schedule["recrawl-2"]["schedule"] == 90.0
    path.write_text('[[recrawl]]\nevery = "1d"\n')
    with pytest.raises(beat.ScheduleError, match="no source"):
        beat.load(path)
    for bad in ("soon", "0", "-5m"):
        with pytest.raises(beat.ScheduleError):
            beat.seconds(bad)


def test_backoff_grows_with_jitter_and_obeys_retry_after() -> None:
    assert 2.5 <= backoff(1) <= 7.5 and 10 <= backoff(3) <= 30
    assert backoff(20) <= 450
    assert backoff(1, retry_after=42) == 42


def test_delay_for_prefers_the_operator_then_crawl_delay() -> None:
    polite = Politeness.__new__(Politeness)
    polite._default, polite._per_host = 1.0, {"a.test": 0.0, "b.test:8080": 5.0}
    assert polite.delay_for("a.test:443", crawl_delay=20) == 0.0
    assert polite.delay_for("b.test:8080") == 5.0
    assert polite.delay_for("c.test:80", crawl_delay=10) == 10.0
    assert polite.delay_for("c.test:80", crawl_delay=120) == 30.0
    assert polite.delay_for("c.test:80") == 1.0


def test_final_status_is_read_from_the_counts() -> None:
    from worker.jobs.model import final_status

    assert final_status(533, 46, 0) == "succeeded"
    assert final_status(533, 46, 1) == "partial"
    assert final_status(0, 3, 1) == "partial"
    assert final_status(0, 0, 4) == "failed"
    assert final_status(533, 46, 0, error="the new index was not swapped in") == "failed"
    # Jobs stored before "partial" existed are read by the same rule.
    raw = {"id": "a", "type": "ingest", "status": "failed", "created": "1", "indexed": "533",
           "skipped": "46", "failed": "1"}
    assert Job.from_hash(raw).status == "partial"
    assert Job.from_hash({**raw, "status": "ended"}).status_label == "finished with 1 failure"
    assert Job.from_hash({**raw, "status": "running"}).status == "running"
    assert Job.from_hash({**raw, "status": "failed", "error": "source: gone"}).status == "failed"


