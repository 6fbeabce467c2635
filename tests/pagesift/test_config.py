from pathlib import Path

import pytest

from indexer import config

pytestmark = pytest.mark.unit


def test_defaults_then_env_then_override() -> None:
    assert config.load(env={}).es_url == "http://127.0.0.1:9200"
    env = {"PAGESIFT_ES_URL": "http://es:9200", "PAGESIFT_WEB_PORT": "8123"}
    loaded = config.load(env=env)
    assert (loaded.es_url, loaded.web_port) == ("http://es:9200", 8123)
    assert config.load(env=env, es_url="http://flag:1", web_port=None).es_url == "http://flag:1"


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
    names = {f.name for f in config.FIELDS}
    assert names == set(config.Settings.__dataclass_fields__)
    docs = (config.PROJECT_ROOT / "docs" / "configuration.md").read_text()
    assert table in docs, "docs/configuration.md is stale: regenerate with `pagesift config --markdown`"
