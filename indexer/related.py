"""Related articles: the articles nearest to one article, by meaning and by shared words.

The path ``/api/related``, the search page's "Related" block and the embeddable snippet
share. The article is read by its URL's id; its stored vector finds its neighbours (no model
runs here), ``more_like_this`` its lexical kin, and the two rankings are fused by reciprocal
rank, as hybrid search fuses its two sides.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from elasticsearch import Elasticsearch

from indexer.index.documents import document_id
from indexer.query import fields as f
from indexer.query import related as r
from indexer.query.fusion import LEXICAL, SEMANTIC, rrf
from indexer.query.request import SearchRequest
from indexer.query.shaper import shape_search

# Ids -> the ones on the takedown list: an article taken down while its neighbours were read
# is left out although the purge has not reached every index yet.
Blocked = Callable[[Iterable[str]], set[str]]


class NotIndexed(LookupError):
    """The URL names no article in the index."""


def related(client: Elasticsearch, index: str, url: str, *, size: int = r.DEFAULT_SIZE,
            same_category: bool = False, blocked: Blocked | None = None) -> dict[str, Any]:
    """``{"url", "title", "hits"}``: up to ``size`` articles related to ``url``'s, best first."""
    doc_id = document_id(url)
    source = _source(client, index, doc_id)
    # duplicate_of holds the original's URL; the filters exclude by id.
    exclude = [doc_id, *([document_id(source[f.DUPLICATE_OF])] if source.get(f.DUPLICATE_OF) else [])]
    categories = list(source.get(r.CATEGORIES) or []) if same_category else []
    depth = size * r.DEPTH_FACTOR
    bodies = {LEXICAL: r.build_more_like_this(index, doc_id, exclude, categories, depth)}
    if source.get(f.EMBEDDING):
        bodies[SEMANTIC] = r.build_nearest(source[f.EMBEDDING], exclude, categories, depth)
    searches: list[dict[str, Any]] = []
    for body in bodies.values():
        searches += [{"index": index}, body]
    answers = dict(zip(bodies, client.msearch(searches=searches).body["responses"], strict=True))
    hits = {side: answer["hits"]["hits"] for side, answer in answers.items() if "error" not in answer}
    raw = {h["_id"]: h for side_hits in hits.values() for h in side_hits}
    ranked = {side: [h["_id"] for h in side_hits] for side, side_hits in hits.items()}
    order = [item.id for item in rrf(ranked, k=r.RRF_K, weights={})]
    refused = blocked(order) if blocked is not None else set()
    chosen = [raw[i] for i in order if i not in refused][:size]
    shaped = shape_search({"hits": {"total": {"value": len(chosen)}, "hits": chosen}}, SearchRequest())
    return {"url": source.get(f.URL), "title": source.get(f.TITLE), "hits": shaped["hits"]}


def _source(client: Elasticsearch, index: str, doc_id: str) -> dict[str, Any]:
    answer = client.options(ignore_status=404).search(
        index=index, body={"query": {"ids": {"values": [doc_id]}}, "size": 1,
                           "_source": [f.URL, f.TITLE, f.EMBEDDING, f.DUPLICATE_OF, r.CATEGORIES]})
    hits = answer.body.get("hits", {}).get("hits", [])
    if not hits:
        raise NotIndexed(doc_id)
    source: dict[str, Any] = hits[0]["_source"]
    return source
