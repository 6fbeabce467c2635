"""A :class:`SearchRequest` → the Elasticsearch search body.

Facet selections go into ``post_filter`` so that the hits honour all of them while each
facet's aggregation applies every selection except its own: a facet in use keeps showing
its other values with the counts they would have if ticked (OR within a facet, AND across).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from itertools import pairwise
from typing import Any

from indexer.curation.expansion import NOT_CURATED, Curated, any_word, covered, every_word
from indexer.query import fields as f
from indexer.query import sitewords
from indexer.query.ranking import DEFAULT, EXACT_TITLE_BOOST, Ranking
from indexer.query.request import SearchRequest
from indexer.query.text import FLAGS, ReaderQuery

# The analyses a plain word is searched in: English (stemmed) for Latin script and anything
# else, Persian for Arabic script (`.fa`, which splits ZWNJ-joined suffixes such as ها).
SCRIPTS = ("en", "fa")

DEFAULT_TIMEOUT_S = 2.0
FRAGMENT_CHARS = 180
SNIPPET_FRAGMENTS = 2
HIGHLIGHT_TAGS = {"pre_tags": ["<mark>"], "post_tags": ["</mark>"]}
# A reader gets a suggestion only when the search found almost nothing.
FEW_HITS = 3

Body = dict[str, Any]


def build_search(req: SearchRequest, *, timeout_s: float = DEFAULT_TIMEOUT_S,
                 ranking: Ranking = DEFAULT, curated: Curated = NOT_CURATED) -> Body:
    """``curated``: the editors' best bets and synonyms for this search (indexer.curation)."""
    parsed = req.query
    should = _all_words_tier(req, parsed, ranking, curated).get("should", [])
    should += sitewords.ranking_clauses(req.site_words, ranking.site_word_boost)
    body: Body = {
        "query": {"bool": {"must": _text_query(req, parsed, ranking, curated),
                           "filter": _base_filters(req), "must_not": hidden_clauses(curated),
                           **({"should": should} if should else {})}},
        "aggs": _facet_aggs(req),
        "from": req.offset,
        "size": req.size,
        "track_total_hits": True,
        "timeout": f"{int(timeout_s * 1000)}ms",
        "_source": list(f.SOURCE_FIELDS),
    }
    rescore = _proximity_rescore(req, parsed, ranking)
    # Elasticsearch refuses a rescore beside an explicit sort; by relevance, _score alone is it.
    if rescore:
        body["rescore"] = rescore
    else:
        body["sort"] = _sort(req)
    post_filter = _facet_filters(req)
    if post_filter:
        body["post_filter"] = {"bool": {"filter": post_filter}}
    body["highlight"] = _highlight(req)
    return body


def build_hit_check(req: SearchRequest, *, timeout_s: float = DEFAULT_TIMEOUT_S,
                    curated: Curated = NOT_CURATED) -> Body:
    """Whether ``req`` finds anything at all, as cheaply as the search can say it: the same
    query and filters, no hits, aggregations or highlighting, counting stops at the first."""
    full = build_search(req, timeout_s=timeout_s, curated=curated)
    body: Body = {key: full[key] for key in ("query", "timeout")}
    if "post_filter" in full:
        body["query"] = {"bool": {"must": [full["query"]], "filter": [full["post_filter"]]}}
    return {**body, "size": 0, "track_total_hits": 1}


def wants_suggestion(req: SearchRequest, total: int) -> bool:
    """Whether to ask for "did you mean": only when the reader's words found almost nothing."""
    return bool(req.q) and total < FEW_HITS


def build_suggestion(q: str, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> Body:
    """A second, hit-less request for the phrase suggester. Asked only when
    :func:`wants_suggestion` says so, it costs nothing on the searches that found enough."""
    return {"size": 0, "track_total_hits": False, "timeout": f"{int(timeout_s * 1000)}ms",
            "suggest": did_you_mean(q)}


def exact_fields(req: SearchRequest) -> list[str]:
    """The unstemmed subfields "Exact matches only" reads, title boosted."""
    return [f"{name}.{f.EXACT}^{EXACT_TITLE_BOOST if name == f.TITLE else 1:g}" for name in req.fields]


def did_you_mean(q: str) -> Body:
    return {"text": q, "did_you_mean": {"phrase": {
        "field": f.SUGGEST_FIELD, "size": 1, "max_errors": 2, "confidence": 1.0,
        "direct_generator": [{"field": f.SUGGEST_FIELD, "suggest_mode": "popular"}],
    }}}


def hidden_clauses(curated: Curated = NOT_CURATED) -> list[Body]:
    """Documents readers never see: duplicates of another URL, listing pages, and those the
    curation keeps out of this search."""
    return [{"exists": {"field": f.DUPLICATE_OF}}, {"term": {f.KIND: f.LISTING_KIND}}, *curated.must_not]



def _text_query(req: SearchRequest, parsed: ReaderQuery, ranking: Ranking,
                curated: Curated = NOT_CURATED) -> list[Body]:
    """What every hit must satisfy: one of the content words at least, and no exclusion.

    Phrases and OR groups are not required here: the first tier (:func:`_all_words_tier`)
    puts the articles that have them first, and the rest follow instead of an empty page.
    """
    if not req.q:
        return [{"match_all": {}}]
    if req.exact:
        return [_simple_query(req.query.as_exact, exact_fields(req))]
    must = _exclusions(req, parsed)
    words = [_words(req, terms, script, ranking) for script in SCRIPTS if (terms := parsed.terms_in(script))]
    # A synonym of a content word is one more way to match it (indexer.curation.expansion).
    words += any_word(curated.expansions, _synonym_clause(req, ranking))
    if words:
        must.append(words[0] if len(words) == 1 else {"bool": {"should": words, "minimum_should_match": 1}})
    return must or [{"match_all": {}}]


def exclusions(req: SearchRequest) -> list[Body]:
    """The reader's ``-word`` and ``-"phrase"`` exclusions, as clauses every article shown must
    satisfy: the words' search, the vector side and the editors' pinned articles alike."""
    return _exclusions(req, req.query)


def _exclusions(req: SearchRequest, parsed: ReaderQuery) -> list[Body]:
    # An excluded word is excluded in any of its forms (_required_fields).
    return [_simple_query(parsed.excluded, _required_fields(req))] if parsed.excluded else []


def _words(req: SearchRequest, terms: tuple[str, ...], script: str, ranking: Ranking,
           operator: str = "or") -> Body:
    """BM25F over the reader's fields (combined_fields: one document length and one term
    statistic across title and body, so a word is never counted twice)."""
    return {"combined_fields": {"query": " ".join(terms), "fields": _ranked_fields(req, script, ranking),
                                "operator": operator}}


def _all_words_tier(req: SearchRequest, parsed: ReaderQuery, ranking: Ranking,
                    curated: Curated = NOT_CURATED) -> Body:
    """A should clause, so it ranks and never filters: every content word and every phrase
    and OR group present. Its constant puts these articles above all others."""
    if not req.q or req.exact or not ranking.all_words_boost:
        return {}
    # A word a synonym expands is present when it or one of its alternatives is.
    expanded = covered(curated.expansions)
    every = [_words(req, terms, script, ranking, "and") for script in SCRIPTS
             if (terms := tuple(t for t in parsed.terms_in(script, parsed.loose)
                                if t.casefold() not in expanded))]
    every += every_word(curated.expansions, _synonym_clause(req, ranking))
    if parsed.phrases:
        every.append(_simple_query(parsed.phrases, _required_fields(req)))
    if not every:
        return {}
    return {"should": [{"constant_score": {"filter": {"bool": {"filter": every}},
                                           "boost": ranking.all_words_boost}}]}


def _proximity_rescore(req: SearchRequest, parsed: ReaderQuery, ranking: Ranking) -> Body | None:
    """Adjacent content words found together (as a phrase) lift the best hits."""
    if not req.q or req.exact or req.effective_sort != "relevance" or not ranking.proximity_boost:
        return None
    field = f.CONTENT if f.CONTENT in req.fields else f.TITLE
    phrases = [{"match_phrase": {_analysed(field, script): {"query": f"{a} {b}",
                                                            "slop": ranking.proximity_slop}}}
               for script in SCRIPTS for a, b in pairwise(parsed.terms_in(script))]
    if not phrases:
        return None
    return {"window_size": ranking.rescore_window, "query": {
        "rescore_query": {"bool": {"should": phrases}}, "query_weight": 1.0,
        "rescore_query_weight": ranking.proximity_boost}}


def _synonym_clause(req: SearchRequest, ranking: Ranking) -> Callable[[tuple[str, ...], str], Body]:
    """How the curation's alternatives are searched: as the reader's words are (BM25F over the
    same fields), several words of an alternative as a phrase."""
    def clause(words: tuple[str, ...], operator: str) -> Body:
        found = ReaderQuery(words=words)
        scripts = [script for script in SCRIPTS if found.terms_in(script)]
        if operator == "phrase":
            return {"multi_match": {"query": " ".join(words), "type": "phrase",
                                    "fields": _ranked_fields(req, scripts[0], ranking)}}
        parts = [_words(req, found.terms_in(script), script, ranking, operator) for script in scripts]
        return parts[0] if len(parts) == 1 else {"bool": {"should" if operator == "or" else "filter": parts}}
    return clause


def _ranked_fields(req: SearchRequest, script: str, ranking: Ranking) -> list[str]:
    weight = {f.TITLE: ranking.title_weight, f.CONTENT: 1.0}
    return [f"{_analysed(name, script)}^{weight[name]:g}" for name in req.fields]


def _required_fields(req: SearchRequest) -> list[str]:
    """Phrases, groups and exclusions read the stemmed, unstemmed and Persian forms, as they
    always did: an excluded word is excluded in any of its forms."""
    return [f"{name}{suffix}" for name in req.fields for suffix in ("", f".{f.EXACT}", f".{f.PERSIAN}")]


def _analysed(field: str, script: str) -> str:
    return f"{field}.{f.PERSIAN}" if script == "fa" else field


def _simple_query(query: str, fields: list[str]) -> Body:
    return {"simple_query_string": {"query": query, "fields": fields, "default_operator": "and",
                                    "flags": FLAGS, "lenient": True}}


def _base_filters(req: SearchRequest) -> list[Body]:
    if not (req.date_from or req.date_to):
        return []
    bounds: dict[str, str] = {}
    if req.date_from:
        bounds["gte"] = req.date_from.isoformat()
    if req.date_to:
        # Rounded up to the end of that day: the range is inclusive for the reader.
        bounds["lte"] = f"{req.date_to.isoformat()}||/d"
    return [{"range": {f.PUBLISHED: {**bounds, "format": "strict_date"}}}]


def _facet_filter(facet: f.Facet, values: tuple[str, ...]) -> Body:
    if facet.by_year:
        # Up to the year's end by date rounding, not "< year + 1": 9999 + 1 is no "yyyy".
        return {"bool": {"should": [
            {"range": {facet.field: {"gte": y, "lte": f"{y}||/y", "format": "yyyy"}}}
            for y in values], "minimum_should_match": 1}}
    return {"terms": {facet.field: list(values)}}


def _facet_filters(req: SearchRequest, *, skip: str | None = None) -> list[Body]:
    return [_facet_filter(facet, req.selected(facet.name)) for facet in f.FACETS
            if facet.name != skip and req.selected(facet.name)]


def _facet_aggs(req: SearchRequest) -> Body:
    aggs: Body = {}
    for facet in f.FACETS:
        inner = _year_histogram(facet) if facet.by_year else {
            "terms": {"field": facet.field, "size": facet.size}}
        others = _facet_filters(req, skip=facet.name)
        aggs[facet.name] = {"filter": {"bool": {"filter": others}} if others else {"match_all": {}},
                            "aggs": {"values": inner}}
    return aggs


def _year_histogram(facet: f.Facet) -> Body:
    return {"date_histogram": {"field": facet.field, "calendar_interval": "year", "format": "yyyy",
                               "min_doc_count": 1, "order": {"_key": "desc"}}}


def _sort(req: SearchRequest) -> list[Any]:
    newest = {f.PUBLISHED: {"order": "desc", "missing": "_last"}}
    oldest = {f.PUBLISHED: {"order": "asc", "missing": "_last"}}
    return {"relevance": ["_score", newest], "newest": [newest, "_score"],
            "oldest": [oldest, "_score"]}[req.effective_sort]


def _highlight(req: SearchRequest) -> Body:
    suffixes = (f".{f.EXACT}",) if req.exact else ("", f".{f.EXACT}", f".{f.PERSIAN}")
    options = {
        f.TITLE: {"number_of_fragments": 0},
        # With nothing matched in the body (a title-only hit, browsing), the article's opening.
        f.CONTENT: {"fragment_size": FRAGMENT_CHARS, "number_of_fragments": SNIPPET_FRAGMENTS,
                    "no_match_size": FRAGMENT_CHARS},
    }
    fields: Body = {}
    for name, opts in options.items():
        analysed = [f"{name}{suffix}" for suffix in suffixes]
        # One pass per field marks what any of its analyses matched (stemmed, exact, Persian):
        # the subfields share the field's text and, for the body, its indexed offsets.
        fields[analysed[0]] = {**opts, "type": "unified", "matched_fields": analysed}
    return {"encoder": "html", **HIGHLIGHT_TAGS, "require_field_match": True, "fields": fields}


# Hybrid search (indexer/searching.py). First round trip: the words' ranking and the vector
# side's; second: the total and facet counts over both sides, and the fused page's articles
# with their highlights. The knn, the costliest part, runs once; the counts need no rescoring;
# only the page is fetched and highlighted.
#
# The rankings name each article by its URL read from doc values, never by _id: an _id is a
# stored field, and reading it unpacks the block of stored fields that holds the article's
# whole _source, a hundred times a search (measured on 100,000 articles: the words' ranking
# 6.5 ms -> 3.0 ms). A URL is an article's identity as much as its id (the id is its hash).
#
# Facet selections narrow the vector side as they narrow the words' side: after the nearest
# articles are found (``post_filter``), never inside the knn. So a facet's other values keep
# the counts they would have if ticked, and the total is exactly what paging meets. The price:
# with a narrow facet ticked, the vector side offers only those of its ``semantic_k`` nearest
# that fall inside it. The articles the editors' best bets hide or pin are taken out the same
# way, after the nearest are found: hiding one takes it, and only it, from the results (inside
# the knn the next nearest would take its place, and the total would not go down).

NEAREST_AGG = "nearest"
_URLS_ONLY: Body = {"_source": False, "stored_fields": "_none_", "docvalue_fields": [f.URL]}


def ranked_urls(hits: list[Body]) -> list[str]:
    """The URLs of a ranking's hits (:data:`_URLS_ONLY`), in its order."""
    return [hit["fields"][f.URL][0] for hit in hits]


def build_lexical_ranks(req: SearchRequest, depth: int, *, timeout_s: float = DEFAULT_TIMEOUT_S,
                        ranking: Ranking = DEFAULT, curated: Curated = NOT_CURATED) -> Body:
    """The BM25 ranking's first ``depth`` URLs: no counting, facets, highlights or fields."""
    body = build_search(replace(req, page=1, size=depth), timeout_s=timeout_s, ranking=ranking,
                        curated=curated)
    for key in ("aggs", "highlight"):
        del body[key]
    return {**body, "track_total_hits": False, **_URLS_ONLY}


def build_semantic_ranks(req: SearchRequest, vector: list[float], *, timeout_s: float = DEFAULT_TIMEOUT_S,
                         ranking: Ranking = DEFAULT, curated: Curated = NOT_CURATED) -> Body:
    """The URLs of the nearest articles to the query's vector, within the reader's selections,
    less those the curation keeps out.

    With a selection, the neighbours outside it are listed too (an aggregation sees the knn's
    hits before the post_filter): the counts of the facets' other values need them."""
    body: Body = {"knn": knn_clause(req, vector, ranking), "size": ranking.semantic_k,
                  "track_total_hits": False, "timeout": f"{int(timeout_s * 1000)}ms", **_URLS_ONLY}
    post_filter = _facet_filters(req)
    if post_filter or curated.must_not:
        kept_out = {"must_not": list(curated.must_not)} if curated.must_not else {}
        body["post_filter"] = {"bool": {"filter": post_filter, **kept_out}}
    if post_filter:
        body["aggs"] = {NEAREST_AGG: {"top_hits": {"size": ranking.semantic_k, **_URLS_ONLY}}}
    return body


def nearest_urls(answer: Body) -> list[str]:
    """Every neighbour a :func:`build_semantic_ranks` answer found, inside the selections or not."""
    listed = answer.get("aggregations", {}).get(NEAREST_AGG)
    return ranked_urls(listed["hits"]["hits"] if listed else answer["hits"]["hits"])


def build_hybrid_counts(req: SearchRequest, neighbours: list[str], *, timeout_s: float = DEFAULT_TIMEOUT_S,
                        ranking: Ranking = DEFAULT, curated: Curated = NOT_CURATED) -> Body:
    """Total and facet counts over what either side found: the BM25 query's matches or one of
    the vector side's ``neighbours`` (URLs, :func:`nearest_urls`), the selections applied as in
    a lexical search (post_filter for the total, each facet's aggregation all but its own)."""
    body = build_search(req, timeout_s=timeout_s, ranking=ranking, curated=curated)
    for key in ("highlight", "rescore", "sort", "from", "_source"):
        body.pop(key, None)
    return {**body, "query": _either(body["query"], neighbours, curated), "size": 0}


def build_hybrid_by_date(req: SearchRequest, neighbours: list[str], *, timeout_s: float = DEFAULT_TIMEOUT_S,
                         ranking: Ranking = DEFAULT, curated: Curated = NOT_CURATED) -> Body:
    """A date order's page of the results the relevance order ranks (what either side found,
    :func:`build_hybrid_counts`), with their total, facets and snippets: the same articles and
    the same total whatever the order."""
    body = build_search(req, timeout_s=timeout_s, ranking=ranking, curated=curated)
    body["highlight"]["highlight_query"] = _words_only(req, ranking, curated)
    return {**body, "query": _either(body["query"], neighbours, curated)}


def _either(words: Body, neighbours: list[str], curated: Curated) -> Body:
    """The words' matches or the vector side's neighbours; never what the curation keeps out
    (a neighbour listed beside the selections may be one: :func:`build_semantic_ranks`)."""
    return {"bool": {"should": [words, {"terms": {f.URL: neighbours}}], "minimum_should_match": 1,
                     "must_not": list(curated.must_not)}}


def build_vector_probe() -> Body:
    """Whether the index holds vectors at all (an index built before them has no such field,
    and a knn on it quietly finds nothing): stops at the first document that has one."""
    return {"query": {"exists": {"field": f.EMBEDDING}}, "size": 0, "track_total_hits": 1,
            "terminate_after": 1}


def build_page(req: SearchRequest, urls: list[str], *, timeout_s: float = DEFAULT_TIMEOUT_S,
               ranking: Ranking = DEFAULT, curated: Curated = NOT_CURATED) -> Body:
    """The fused page's articles, with the snippets a lexical page has: the reader's words
    marked wherever they occur (a vector hit may hold some, or none: then its opening)."""
    return {"query": {"terms": {f.URL: urls}}, "size": len(urls), "track_total_hits": False,
            "timeout": f"{int(timeout_s * 1000)}ms", "_source": list(f.SOURCE_FIELDS),
            "highlight": {**_highlight(req), "highlight_query": _words_only(req, ranking, curated)}}


def knn_clause(req: SearchRequest, vector: list[float], ranking: Ranking) -> Body:
    """The vector side: the ``semantic_k`` nearest among the articles the reader's dates
    admit, never a duplicate, a listing or one holding an excluded word (facets and the
    curation come after: see above)."""
    required = _base_filters(req) + exclusions(req)
    clause: Body = {"field": f.EMBEDDING, "query_vector": vector, "k": ranking.semantic_k,
                    "num_candidates": max(ranking.num_candidates, ranking.semantic_k),
                    "filter": {"bool": {"filter": required, "must_not": hidden_clauses()}}}
    if ranking.min_similarity > 0:
        clause["similarity"] = ranking.min_similarity
    return clause


def semantic_text(req: SearchRequest) -> str:
    """What the query's vector is made of: the words the ranking reads (stopwords out, as
    BM25 drops them; none the reader excluded). A pooled vector is the mean of its words, and
    "what is the ... of" would pull every question toward every other question."""
    return " ".join(req.query.terms)


def _words_only(req: SearchRequest, ranking: Ranking, curated: Curated = NOT_CURATED) -> Body:
    return {"bool": {"must": _text_query(req, req.query, ranking, curated)}}
