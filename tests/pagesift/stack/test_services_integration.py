"""The services `make test` started are the real ones."""

import urllib.request

import pytest
from elasticsearch import Elasticsearch

from indexer.config import Settings
from pagesift.stack import services

pytestmark = pytest.mark.integration


def test_real_elasticsearch_8_answers(es: Elasticsearch, settings: Settings) -> None:
    info = es.info()  # the client's product check runs on this call
    assert info["version"]["number"].startswith("8.")
    assert info["tagline"] == "You Know, for Search"
    with urllib.request.urlopen(settings.es.url) as resp:
        assert resp.headers["X-Elastic-Product"] == "Elasticsearch"


def test_language_analyzers_are_elasticsearch_s_own_names(es: Elasticsearch) -> None:
    english = es.indices.analyze(analyzer="english", text="Running massacres")
    assert [t["token"] for t in english["tokens"]] == ["run", "massacr"]
    # Persian normalisation folds Persian yeh/keheh and Arabic yeh/kaf to one form.
    persian_form = es.indices.analyze(analyzer="persian", text="ایران کتاب")
    arabic_form = es.indices.analyze(analyzer="persian", text="ايران كتاب")
    assert [t["token"] for t in persian_form["tokens"]] == [t["token"] for t in arabic_form["tokens"]]


def test_status_reports_running_services(settings: Settings, redis_client: object) -> None:
    lines: list[str] = []
    assert services.status(settings, ["elasticsearch", "redis"], report=lines.append)
    assert all(" up " in line for line in lines)
