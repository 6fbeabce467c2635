"""End to end on the real node: a WordPress page modelled on the seed is cleaned, indexed
and found again, and its category facet holds the article's categories, not the sidebar's."""

from __future__ import annotations

import pytest
from elasticsearch import Elasticsearch

from indexer import clean, config
from indexer.index import lifecycle, mapping
from indexer.index.bulk import BulkOptions
from indexer.index.indexing import index_pages
from indexer.index.names import IndexNames

pytestmark = pytest.mark.integration

SIDEBAR = ["1988 Massacre", "Death Commissions", "Grand Gathering 2018", "Human Rights",
           "Iran Protests", "Maryam Rajavi", "Media Gallery", "Socio - Economic Crisis"]

PAGE = f"""<!DOCTYPE html>
<html lang="en-US"><head><meta charset="utf-8">
<title>Summit Day 3 Highlights &#8211; Uniting for Freedom</title>
<link rel="canonical" href="https://example.org/2023/07/summit-day-3/">
<meta property="og:type" content="article">
<meta property="article:published_time" content="2023-07-03T18:00:00+00:00">
</head>
<body class="post-template-default single single-post postid-77 category-1988-massacre">
<header><nav><a href="/">Home</a> <a href="/about/">About</a></nav>
<form role="search" class="search-form"><input type="search" name="s">
<label><input type="checkbox"> Exact matches only</label>
<label><input type="checkbox"> Search in title</label>
<label><input type="checkbox"> Search in content</label>
<fieldset><legend>Filter by Categories</legend>
{''.join(f'<label><input type="checkbox">{c}</label>' for c in SIDEBAR)}
</fieldset></form></header>
<main><article class="post-77 post type-post status-publish category-1988-massacre tag-paris">
<h1 class="entry-title">Summit Day 3 Highlights</h1>
<time class="entry-date published" datetime="2023-07-03T18:00:00+00:00">July 3, 2023</time>
<div class="entry-content">
<p>Following the summit held on Saturday and Sunday, the council convened its third consecutive
conference at its headquarters in Auvers-sur-Oise to address the crime committed in the summer
of 1988, when thousands of political prisoners were executed across the country.</p>
<p>Legislators from many nations gathered to discuss the ongoing executions and to call on the
international community to end impunity and hold the authorities accountable.</p>
</div>
<footer class="entry-meta">Posted in <a href="/category/1988-massacre/" rel="category tag">1988
Massacre</a> Tagged <a href="/tag/paris/" rel="tag">Paris</a></footer>
</article>
<section id="comments"><h3>2 comments</h3><p>Great coverage of the Grand Gathering!</p></section>
</main>
<aside class="widget-area"><h2>Recent Posts</h2>
<ul><li><a href="/x">Grand Gathering 2018 recap</a></li></ul>
<h2>Categories</h2>
<ul>{''.join(f'<li><a href="/c/{i}">{c}</a></li>' for i, c in enumerate(SIDEBAR))}</ul></aside>
<footer class="site-footer">Copyright</footer>
</body></html>"""


def test_clean_index_and_find_with_category_facet(
    es: Elasticsearch, unique_name: str, index_cleanup: list[str]
) -> None:
    names = IndexNames.from_settings(config.load(index_prefix=unique_name).index)
    index_cleanup.append(f"{unique_name}-*")
    try:
        lifecycle.ensure_index(es, names, mapping.load())
        page = clean.clean(PAGE.encode(), url="https://example.org/2023/07/summit-day-3/")
        report = index_pages(es, names.write_alias, [page], BulkOptions())
        assert report.failed == 0 and report.indexed == 1
        es.indices.refresh(index=names.read_alias)

        found = es.search(index=names.read_alias, query={"match": {"content": "political prisoners"}},
                          aggs={"category": {"terms": {"field": "categories"}}})
        assert [h["_source"]["title"] for h in found["hits"]["hits"]] == ["Summit Day 3 Highlights"]
        buckets = {b["key"]: b["doc_count"] for b in found["aggregations"]["category"]["buckets"]}
        assert buckets == {"1988 Massacre": 1}

        # The widget, the sidebar, Recent Posts and comments were not indexed as content.
        for sidebar_only in ("Grand Gathering", "Exact matches only", "Maryam Rajavi"):
            miss = es.search(index=names.read_alias,
                             query={"match_phrase": {"content": sidebar_only}})
            assert miss["hits"]["total"]["value"] == 0, sidebar_only
    finally:
        es.options(ignore_status=404).indices.delete_index_template(name=names.template)
