"""Keeping an index in step with a WordPress site through its REST API.

A sync (an ingest of the site, first or repeated) lists:

- what changed: the posts modified after the newest one the index holds of the site
  (``modified_after``), or every published post on the first sync;
- every published post's link (``_fields=id,link``, a hundred a request): a post the index
  lacks (a new one, or one whose last try failed) is fetched too, and an indexed page of the
  site that is no longer listed (trashed, drafted, made private or password-protected) is
  fetched as a page, which WordPress answers 404 (gone) or with its password form (skipped):
  either way it leaves the index.

A batch fetches the listed posts of one collection in one request (``include=...``, with
authors and terms embedded), so a site of 1,500 posts is read in a few dozen polite requests.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

import redis
from elasticsearch import Elasticsearch
from elasticsearch.helpers import scan

from indexer.index.raw_store import RawPage
from worker.fetch import Fetcher
from worker.fetch.errors import Gone
from worker.sources import wordpress
from worker.sources.refs import PageRef

ORIGIN = "wordpress"


class Protected(Gone):
    """Listed, but its content asks for a password: never searchable."""

# How long a discovered site's description is kept for the batches that read its posts.
SITE_TTL = 7 * 24 * 3600


def fetch_with(fetcher: Fetcher, source: str, **pace: Any) -> wordpress.Fetch:
    """The fetcher as the REST client calls it: (headers, body) of a URL."""
    def fetch(url: str, accept: tuple[str, ...] | None) -> tuple[Mapping[str, str], bytes]:
        answer = fetcher.fetch(url, accept=accept, source=source, **pace)
        return answer.headers, answer.body

    return fetch


class Sites:
    """Discovered sites, kept in Redis for the batches (which do not discover again)."""

    def __init__(self, client: redis.Redis, namespace: str) -> None:
        self._redis = client
        self._namespace = namespace

    def _key(self, api: str) -> str:
        return f"{self._namespace}:wordpress:site:{api}"

    def put(self, site: wordpress.Site) -> None:
        self._redis.set(self._key(site.api), json.dumps(asdict(site)), ex=SITE_TTL)

    def get(self, api: str) -> wordpress.Site | None:
        raw = self._redis.get(self._key(api))
        return wordpress.Site(**json.loads(raw)) if raw else None


def indexed(es: Elasticsearch, alias: str, site: wordpress.Site) -> dict[str, datetime | None]:
    """The site's pages the index holds: URL -> modified date (None where unknown)."""
    query = {"prefix": {"url": site.home + "/"}}
    found: dict[str, datetime | None] = {}
    for hit in scan(es.options(ignore_status=404), index=alias, query={"query": query},
                    _source=["url", "modified"]):
        source = hit.get("_source", {})
        found[str(source.get("url"))] = _moment(source.get("modified"))
    return found


def _moment(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def refs(site: wordpress.Site, fetch: wordpress.Fetch,
         known: Mapping[str, datetime | None]) -> Iterator[PageRef]:
    """What to fetch: changed, new and missing posts through the API; indexed pages no longer
    published as ordinary pages (see the module's docstring)."""
    dated = [m for m in known.values() if m is not None]
    since = max(dated) if dated else None
    changed = {p.link for p in wordpress.published(fetch, site, modified_after=since)} if since else None
    listed = list(wordpress.published(fetch, site, light=since is not None))
    for post in listed:
        if changed is None or post.link in changed or post.link not in known:
            lastmod = post.modified.isoformat() if post.modified else None
            yield PageRef(post.link, ORIGIN, post.item_url(site), lastmod=lastmod)
    links = {post.link for post in listed}
    for url in sorted(known):
        if url not in links and wordpress.same_site(url, site):
            yield PageRef(url)


class Posts:
    """A batch's posts read from the API: one request per collection, on the first of its
    pages; the others take theirs from the answer."""

    def __init__(self, fetcher: Fetcher, sites: Sites, refs: Iterable[PageRef]) -> None:
        self._fetcher = fetcher
        self._sites = sites
        self._wanted: dict[str, list[int]] = {}
        for ref in refs:
            if ref.origin == ORIGIN and ref.path:
                collection, post_id = ref.path.rsplit("/", 1)
                self._wanted.setdefault(collection, []).append(int(post_id))
        self._answers: dict[str, dict[int, dict[str, Any]]] = {}
        self._terms: dict[str, dict[int, wordpress.Term]] = {}

    def raw(self, ref: PageRef, now: datetime, **pace: Any) -> RawPage:
        """The post as a page (see :func:`wordpress.document`); Gone when it is no longer
        published, or protected by a password. ``pace``: the fetcher's max_wait and slot."""
        collection, post_id = str(ref.path).rsplit("/", 1)
        api, route = collection.split("/wp/v2/", 1)[0] + "/", collection.rsplit("/", 1)[1]
        fetch = fetch_with(self._fetcher, ref.url, **pace)
        if collection not in self._answers:
            self._answers[collection] = wordpress.items(fetch, collection, self._wanted.get(collection)
                                                        or [int(post_id)])
        item = self._answers[collection].get(int(post_id))
        if item is None:
            raise Gone(f"{ref.url}: no longer published (WordPress REST API)")
        if wordpress.protected(item):
            raise Protected(f"{ref.url}: password-protected (WordPress REST API)")
        site = self._sites.get(api) or wordpress.discover(fetch_with(self._fetcher, ref.url), ref.url)
        self._sites.put(site)
        headers = {"content-type": "text/html; charset=utf-8"}
        # The API's category tree, stated as the publisher's facts: exact whatever the permalinks.
        chains = wordpress.category_chains(item, self._categories(fetch, site, collection))
        return RawPage(ref.url, wordpress.document(item, site, route), now, 200, headers,
                       supplied={"category_paths": chains} if chains else None)

    def _categories(self, fetch: wordpress.Fetch, site: wordpress.Site,
                    collection: str) -> dict[int, wordpress.Term]:
        """The site's category tree as the sync found it, with the batch's categories it lacks
        (made since, or a site that would not list them) asked once for all the batch's posts
        of ``collection``. A failed request fails the posts as a failed read of them would
        (retried when transient): a post is never indexed with a wrong path."""
        if collection not in self._terms:
            known = site.terms()
            wanted = set().union(*map(wordpress.category_ids, self._answers[collection].values()))
            missing = wordpress.missing_categories(wanted, known)
            known.update(wordpress.categories(fetch, site, missing) if missing else {})
            self._terms[collection] = known
        return self._terms[collection]
