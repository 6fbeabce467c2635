"""One reader search, start to end: the path the search page, the API and ``pagesift eval``
share, so that what is measured is what readers get.

The builder, the fusion and the shaper stay pure (:mod:`indexer.query`); this module makes
their requests. Before either, the reader's words' spelling is looked up
(:mod:`indexer.query.spelling`, one ``msearch``, only for a query with a word long enough to
hold a typo): a misspelt word also matches its correction, and the answer says what the
results are for (``q``, ``corrected_from``). Lexical: one search and, when the words found
almost nothing and none was corrected, a "did you mean" that is offered only if it finds
something itself. Hybrid: the BM25 ranking and the nearest
articles by vector (one ``msearch``, URLs only), fused by reciprocal rank in
:mod:`indexer.query.fusion`; then the counts and facets over what either side found and the
page's articles with their highlights (a second ``msearch``).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from elasticsearch import Elasticsearch

from indexer.curation import applying
from indexer.curation.expansion import NOT_CURATED, Curated
from indexer.curation.model import NO_CURATION, Curation
from indexer.embedding import Embedder
from indexer.query import (
    SearchRequest,
    build_search,
    build_suggestion,
    dictionary,
    fields,
    shape_search,
    shape_suggestion,
    sitewords,
    spelling,
    wants_suggestion,
)
from indexer.query import builder as b
from indexer.query.builder import DEFAULT_TIMEOUT_S, build_hit_check
from indexer.query.fusion import LEXICAL, SEMANTIC, Fused, hybrid_order
from indexer.query.ranking import DEFAULT, Ranking
from indexer.query.request import MAX_RESULT_WINDOW
from indexer.query.sitewords import NO_NAMES, SiteNames
from indexer.query.spelling import NO_SPELLING, Spelling

log = logging.getLogger(__name__)

HYBRID = "hybrid"


def search(client: Elasticsearch, index: str, req: SearchRequest, *,
           timeout_s: float = DEFAULT_TIMEOUT_S, ranking: Ranking = DEFAULT,
           embedder: Embedder | None = None, curation: Curation = NO_CURATION,
           site_names: SiteNames = NO_NAMES) -> dict[str, Any]:
    """``req`` answered; ``mode`` in the answer says which ranking did it (a hybrid request
    falls back to lexical when the search cannot be hybrid: see ``can_be_hybrid``).
    ``curation``: the editors' best bets and synonyms, loaded by the caller (indexer.curation);
    ``site_names``: the index's category, tag and author names (indexer.site_names), which the
    words may name: those rank, and are offered in the answer's ``site_words``."""
    spelt = check_spelling(client, index, req, timeout_s, ranking)
    # What the results are for: the words as typed, or with their corrections. The site's names,
    # the editors' rules and the vector side read it; the words' search reads both (the typed
    # spelling first).
    meant = replace(req, q=spelt.corrected(req.q)) if spelt else req
    named = sitewords.named_in_request(site_names, meant)
    req = replace(req, site_words=tuple(n.name for n in named))
    meant = replace(meant, site_words=req.site_words)
    vector = _query_vector(meant, embedder)
    plan = applying.plan(client, index, meant, curation, timeout_s=timeout_s)
    tolerated = spelt.expansions(ranking.typo_weight)

    def organic(one: SearchRequest, curated: Curated) -> dict[str, Any]:
        curated = replace(curated, expansions=curated.expansions + tolerated)
        return (_hybrid(client, index, one, vector, timeout_s, ranking, curated) if vector is not None
                else None) or _lexical(client, index, one, timeout_s, ranking, curated)

    shaped = applying.around_pins(organic, req, plan)
    # A correction that finds nothing either is not worth announcing.
    corrected = bool(spelt) and shaped["total"] > 0
    shaped.update(q=meant.q if corrected else req.q, corrected_from=req.q if corrected else None)
    shaped["site_words"] = sitewords.offered(named, req.filters)
    if not corrected and wants_suggestion(req, shaped["total"]):
        shaped["suggestion"] = suggestion(client, index, req, timeout_s, curation)
    return shaped


def check_spelling(client: Elasticsearch, index: str, req: SearchRequest,
                   timeout_s: float = DEFAULT_TIMEOUT_S, ranking: Ranking = DEFAULT) -> Spelling:
    """The corrections ``req``'s words call for (none with ``spell`` off, in exact mode, or
    when the lookup fails: the search then goes on with the words as typed)."""
    words = spelling.words_to_check(req.query, req.exact, dictionary.known) if req.spell else ()
    if not words:
        return NO_SPELLING
    bodies = spelling.lookup_bodies(words, req.fields, timeout_s=timeout_s,
                                    prefix_length=ranking.typo_prefix_length)
    answers = _msearch(client, index, bodies, "the spelling lookup failed; searching the words as typed")
    if answers is None:
        return NO_SPELLING
    return spelling.read_lookup(words, req.fields, answers, ranking.typo_rare_ratio)


def suggestion(client: Elasticsearch, index: str, req: SearchRequest, timeout_s: float,
               curation: Curation = NO_CURATION) -> str | None:
    """The phrase suggester's correction of ``req.q``, if searching for it finds something
    (something the editors' best bets do not hide for the correction)."""
    answer = client.search(index=index, body=build_suggestion(req.q, timeout_s=timeout_s))
    offered = shape_suggestion(answer.body, req.q)
    if offered is None:
        return None
    corrected = replace(req, q=offered)
    body = build_hit_check(corrected, timeout_s=timeout_s, curated=curation.hiding(corrected.query))
    check = client.search(index=index, body=body)
    return offered if check.body["hits"]["total"]["value"] > 0 else None


def _query_vector(req: SearchRequest, embedder: Embedder | None) -> list[float] | None:
    if req.mode != HYBRID or embedder is None or not req.can_be_hybrid:
        return None
    return embedder.embed_query(b.semantic_text(req))


def _lexical(client: Elasticsearch, index: str, req: SearchRequest, timeout_s: float,
             ranking: Ranking, curated: Curated = NOT_CURATED) -> dict[str, Any]:
    body = build_search(req, timeout_s=timeout_s, ranking=ranking, curated=curated)
    answer = client.search(index=index, body=body).body
    shaped = {**shape_search(answer, req), "mode": LEXICAL}
    if req.explain:
        for rank, (hit, raw) in enumerate(zip(shaped["hits"], answer["hits"]["hits"], strict=True),
                                          req.offset + 1):
            hit["explain"] = {"lexical_rank": rank, "lexical_score": raw.get("_score")}
    return shaped


def _hybrid(client: Elasticsearch, index: str, req: SearchRequest, vector: list[float], timeout_s: float,
            ranking: Ranking, curated: Curated = NOT_CURATED) -> dict[str, Any] | None:
    """The fused page, or None when the index cannot answer in hybrid (built before vectors,
    or a part failed): the caller then searches lexically.

    Two round trips: both rankings (URLs only) and whether the index has vectors at all (one
    msearch); then the counts and facets over both sides and the page's articles with their
    highlights (another)."""
    opts: dict[str, Any] = {"timeout_s": timeout_s, "ranking": ranking, "curated": curated}
    if req.effective_sort != "relevance":
        return _hybrid_by_date(client, index, req, vector, opts)
    # Past the fused window the BM25 ranking goes on alone; enough of it to fill this page
    # once the vector hits it already showed are taken out.
    end = req.offset + req.size
    depth = ranking.lexical_window if end <= ranking.lexical_window else \
        min(end + ranking.semantic_k, MAX_RESULT_WINDOW)
    ranks = _msearch(client, index, [b.build_lexical_ranks(req, depth, **opts),
                                     b.build_semantic_ranks(req, vector, **opts), b.build_vector_probe()])
    if ranks is None or ranks[2]["hits"]["total"]["value"] == 0:
        return None
    lexical, semantic = ranks[0]["hits"]["hits"], ranks[1]["hits"]["hits"]
    # Fused by URL, each article's identity in the rankings (indexer.query.builder).
    order = hybrid_order(b.ranked_urls(lexical), b.ranked_urls(semantic), window=ranking.lexical_window,
                         k=ranking.rrf_k, semantic_weight=ranking.semantic_weight)
    page = order[req.offset:end]
    bodies = [b.build_hybrid_counts(req, b.nearest_urls(ranks[1]), **opts)]
    if page:
        bodies.append(b.build_page(req, [item.id for item in page], **opts))
    rest = _msearch(client, index, bodies)
    if rest is None:
        return None
    counts, fetched = rest[0], (rest[1] if page else _NO_HITS)
    found = {h["_source"][fields.URL]: h for h in fetched["hits"]["hits"]}
    # An article deleted between the two round trips is left out rather than shown empty.
    shown = [item for item in page if item.id in found]
    shaped = shape_search({"took": sum(a.get("took", 0) for a in (*ranks, *rest)),
                           "hits": {"total": counts["hits"]["total"],
                                    "hits": [found[item.id] for item in shown]},
                           "aggregations": counts.get("aggregations", {})}, req)
    if req.explain:
        scores = _side_scores(lexical, semantic)
        for hit, fused in zip(shaped["hits"], shown, strict=True):
            hit["explain"] = _explained(fused, scores)
    return {**shaped, "mode": HYBRID}


def _hybrid_by_date(client: Elasticsearch, index: str, req: SearchRequest, vector: list[float],
                    opts: dict[str, Any]) -> dict[str, Any] | None:
    """The results of the relevance order (the words' matches and the vector side's), in date
    order: the vector side's neighbours, then one search for the page, its counts and facets.
    No ``explain``: there is no fused rank to explain."""
    ranks = _msearch(client, index, [b.build_semantic_ranks(req, vector, **opts), b.build_vector_probe()])
    if ranks is None or ranks[1]["hits"]["total"]["value"] == 0:
        return None
    answer = client.search(index=index, body=b.build_hybrid_by_date(req, b.nearest_urls(ranks[0]), **opts))
    return {**shape_search(answer.body, req), "mode": HYBRID}


_NO_HITS: dict[str, Any] = {"took": 0, "hits": {"hits": []}}


def _msearch(client: Elasticsearch, index: str, bodies: list[dict[str, Any]],
             failed_means: str = "hybrid search fell back to lexical") -> list[dict[str, Any]] | None:
    """The answers to ``bodies`` sent together, or None (logged: ``failed_means``) if any failed."""
    searches: list[dict[str, Any]] = []
    for body in bodies:
        searches += [{"index": index}, body]
    answers: list[dict[str, Any]] = client.msearch(searches=searches).body["responses"]
    failed = [a["error"] for a in answers if "error" in a]
    if failed:
        log.warning("%s: %s", failed_means, str(failed[0])[:300])
        return None
    return answers


def _side_scores(lexical: list[dict[str, Any]],
                 semantic: list[dict[str, Any]]) -> dict[str, dict[str, float | None]]:
    """Each side's score by URL (the fused items' key)."""
    return {side: dict(zip(b.ranked_urls(hits), (h.get("_score") for h in hits), strict=True))
            for side, hits in ((LEXICAL, lexical), (SEMANTIC, semantic))}


def _explained(fused: Fused, scores: dict[str, dict[str, float | None]]) -> dict[str, Any]:
    similarity = scores[SEMANTIC].get(fused.id)
    return {"lexical_rank": fused.ranks.get(LEXICAL), "semantic_rank": fused.ranks.get(SEMANTIC),
            "fused_score": round(fused.score, 6), "lexical_score": scores[LEXICAL].get(fused.id),
            # Elasticsearch scores a cosine neighbour (1 + cos) / 2; the explanation says the cosine.
            "similarity": round(2 * similarity - 1, 4) if similarity is not None else None}
