from __future__ import annotations

import inspect

import pytest

from indexer import config
from indexer.clean import DEFAULT_MAX_BYTES, DEFAULT_TIME_BUDGET, clean

pytestmark = pytest.mark.unit


def test_limits_default_to_the_configuration_defaults():
    defaults = {f.name: f.default for f in config.FIELDS}
    assert DEFAULT_MAX_BYTES == defaults["clean_max_bytes"]
    assert DEFAULT_TIME_BUDGET == defaults["clean_time_budget"]
    signature = inspect.signature(clean)
    assert signature.parameters["max_bytes"].default == DEFAULT_MAX_BYTES
    assert signature.parameters["time_budget"].default == DEFAULT_TIME_BUDGET

