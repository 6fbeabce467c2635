"""Which requests are not readers: crawlers, scripts and headless browsers, by user agent.

The patterns are crawlerdetect's (a port of the maintained CrawlerDetect list), not ours. A
request with no user agent at all is treated as a script too: every browser sends one.
"""

from __future__ import annotations

from functools import cache

from crawlerdetect import CrawlerDetect


@cache
def _detector() -> CrawlerDetect:
    # Built once: the list compiles into one large regex. Its per-call state (the last match)
    # is only ever read by get_matches, which is not used, so sharing it across threads is safe.
    return CrawlerDetect()


def is_bot(user_agent: str | None) -> bool:
    agent = (user_agent or "").strip()
    if not agent:
        return True
    return bool(_detector().is_crawler(agent))
