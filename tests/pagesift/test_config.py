from pathlib import Path

import pytest

from indexer import config

pytestmark = pytest.mark.unit


def test_defaults_then_env_then_override() -> None:
    assert config.load(env={}).es.url == "http://127.0.0.1:9200"
    env = {"PAGESIFT_ES_URL": "http://es:9200", "PAGESIFT_WEB_PORT": "8123"}
    loaded = config.load(env=env)
    assert (loaded.es.url, loaded.web.port) == ("http://es:9200", 8123)
    assert config.load(env=env, es_url="http://flag:1", web_port=None).es.url == "http://flag:1"


def test_home_defaults_to_project_dot_pagesift() -> None:
    assert config.load(env={}).home == config.PROJECT_ROOT / ".pagesift"
    assert config.load(env={"PAGESIFT_HOME": "/srv/x"}).home == Path("/srv/x")


def test_bad_values_name_the_variable() -> None:
    with pytest.raises(config.ConfigError, match="PAGESIFT_WEB_PORT"):
        config.load(env={"PAGESIFT_WEB_PORT": "eighty"})
    with pytest.raises(config.ConfigError, match="PAGESIFT_PRODUCTION"):
        config.load(env={"PAGESIFT_PRODUCTION": "maybe"})


def test_every_setting_is_in_the_table_and_the_docs() -> None:
    table = config.markdown_table()
    names = [f.name for f in config.FIELDS]
    assert len(names) == len(set(names)) == len({f.env for f in config.FIELDS})
    assert all(f.env == f"PAGESIFT_{f.name.upper()}" for f in config.FIELDS)
    # Every field of every section is a setting: nothing in Settings escapes the table.
    loaded = config.load(env={})
    sections = {f.section for f in config.FIELDS if f.section}
    attrs = {(f.section, f.attr) for f in config.FIELDS}
    for section in sections:
        assert {(section, a) for a in vars(getattr(loaded, section))} <= attrs
    assert set(config.flat(loaded)) == set(names)
    docs = (config.PROJECT_ROOT / "docs" / "configuration.md").read_text()
    assert table in docs, "docs/configuration.md is stale: regenerate with `pagesift config --markdown`"


def test_sections_and_flat_names_agree() -> None:
    loaded = config.load(env={"PAGESIFT_FETCH_TIMEOUT": "7", "PAGESIFT_INDEX_PREFIX": "site"}, es_url="http://x:1")
    assert (loaded.fetch.timeout, loaded.index.prefix, loaded.es.url) == (7.0, "site", "http://x:1")
    changed = config.replaced(loaded, redis_namespace="other", web_port=9)
    assert (changed.redis.namespace, changed.web.port, changed.fetch.timeout) == ("other", 9, 7.0)
    with pytest.raises(config.ConfigError, match="unknown settings: es_uri"):
        config.replaced(loaded, es_uri="http://typo")


def test_the_effective_configuration_masks_every_credential() -> None:
    loaded = config.load(env={"PAGESIFT_ES_PASSWORD": "hunter2", "PAGESIFT_SECRET_KEY": "s3",
                              "PAGESIFT_ADMIN_TOKEN_HASH": "abc", "PAGESIFT_FETCH_ALLOWLIST": "a:1, b:2"})
    lines = config.effective_lines(loaded)
    text = "\n".join(lines)
    assert "hunter2" not in text and "s3" not in text and "abc" not in text
    assert "PAGESIFT_ES_PASSWORD = ***" in lines and "PAGESIFT_ES_USERNAME = " in lines
    assert "PAGESIFT_FETCH_ALLOWLIST = a:1,b:2" in lines
    assert len(lines) == len(config.FIELDS)
