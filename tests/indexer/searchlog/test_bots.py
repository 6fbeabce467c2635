"""Crawlers, scripts and headless browsers are not readers."""

from __future__ import annotations

import pytest

from indexer.searchlog.bots import is_bot

pytestmark = pytest.mark.unit

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.5 Mobile/15E148 Safari/604.1")


@pytest.mark.parametrize("agent", [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "python-requests/2.32.3", "curl/8.5.0",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/130.0 "
    "Safari/537.36",
    "", None])
def test_bots(agent: str | None) -> None:
    assert is_bot(agent)


@pytest.mark.parametrize("agent", [FIREFOX, SAFARI])
def test_browsers(agent: str) -> None:
    assert not is_bot(agent)
