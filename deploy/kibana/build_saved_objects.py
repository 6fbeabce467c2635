"""Writes searchlog.ndjson: Kibana saved objects over the search log (docs/analytics.md).

    python deploy/kibana/build_saved_objects.py [PREFIX]   # PREFIX: PAGESIFT_INDEX_PREFIX, default "pages"

Kept as code rather than a hand-edited export because Kibana stores each visualization's
state as JSON inside a JSON string; tests/deploy/test_kibana_objects.py checks the committed
file is this script's output and names only fields of mappings/searchlog.json.

Aggregation-based visualizations and TSVB (not Lens), the formats Kibana 7.17 and every 8.x
import and migrate. The console's two views that need bucket filtering (unclicked queries,
trending) are not here: Kibana's tables cannot drop buckets; use the console or the CLI.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DATA_VIEW = "pagesift-searchlog"
SEARCHES = "event:search and not query:\"\""
MIGRATION = {"visualization": "7.17.3"}


def data_view(prefix: str) -> dict[str, Any]:
    # Reciprocal rank as a runtime field (painless: a module production has), for the MRR metric.
    runtime = {"reciprocal_rank": {"type": "double", "script": {
        "source": "if (doc['position'].size() > 0) { emit(1.0 / doc['position'].value); }"}}}
    return {"id": DATA_VIEW, "type": "index-pattern", "migrationVersion": {"index-pattern": "7.11.0"},
            "attributes": {"title": f"{prefix}-searchlog-*", "timeFieldName": "at",
                           "runtimeFieldMap": json.dumps(runtime)},
            "references": []}


def _vis(vis_id: str, title: str, vis_type: str, params: dict[str, Any], aggs: list[dict[str, Any]],
         query: str) -> dict[str, Any]:
    source = {"query": {"query": query, "language": "kuery"}, "filter": [],
              "indexRefName": "kibanaSavedObjectMeta.searchSourceJSON.index"}
    return {"id": vis_id, "type": "visualization", "migrationVersion": MIGRATION,
            "attributes": {"title": title, "description": "", "uiStateJSON": "{}", "version": 1,
                           "visState": json.dumps({"title": title, "type": vis_type, "params": params,
                                                   "aggs": aggs}),
                           "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps(source)}},
            "references": [{"name": "kibanaSavedObjectMeta.searchSourceJSON.index", "type": "index-pattern",
                            "id": DATA_VIEW}]}


def _count(label: str = "Searches") -> dict[str, Any]:
    return {"id": "1", "enabled": True, "type": "count", "schema": "metric", "params": {"customLabel": label}}


def _terms(agg_id: str, field: str, size: int, schema: str, label: str) -> dict[str, Any]:
    return {"id": agg_id, "enabled": True, "type": "terms", "schema": schema,
            "params": {"field": field, "size": size, "order": "desc", "orderBy": "1", "customLabel": label,
                       "otherBucket": False, "missingBucket": False}}


def _kql(text: str) -> dict[str, Any]:
    return {"input": {"query": text, "language": "kuery"}, "label": ""}


TABLE = {"perPage": 20, "showPartialRows": False, "showMetricsAtAllLevels": False, "showTotal": False}


def visualizations() -> list[dict[str, Any]]:
    per_day = _vis("pagesift-searches-per-day", "pagesift: searches per day", "line",
                   {"type": "line", "addLegend": True, "addTooltip": True, "legendPosition": "right"},
                   [_count("Events"),
                    {"id": "2", "enabled": True, "type": "date_histogram", "schema": "segment",
                     "params": {"field": "at", "interval": "d", "min_doc_count": 0, "extended_bounds": {}}},
                    {"id": "3", "enabled": True, "type": "filters", "schema": "group", "params": {"filters": [
                        _kql("event:search"), _kql("event:search and total:0"), _kql("event:click")]}}],
                   "not query:\"\"")
    top = _vis("pagesift-top-queries", "pagesift: top queries", "table", TABLE,
               [_count(), _terms("2", "query", 50, "bucket", "Query")], SEARCHES)
    zero = _vis("pagesift-zero-result-queries", "pagesift: zero-result queries", "table", TABLE,
                [_count("Failed searches"), _terms("2", "query", 50, "bucket", "Query")],
                f"{SEARCHES} and total:0")
    clicks = _vis("pagesift-queries-and-clicks", "pagesift: queries, searches and clicks", "table", TABLE,
                  [_count("Events"), _terms("2", "query", 100, "bucket", "Query"),
                   {"id": "3", "enabled": True, "type": "filters", "schema": "bucket", "params": {"filters": [
                       {**_kql("event:search"), "label": "searches"},
                       {**_kql("event:click"), "label": "clicks"}]}}],
                  "not query:\"\"")
    positions = _vis("pagesift-clicks-by-position", "pagesift: clicks by position", "histogram",
                     {"type": "histogram", "addLegend": False, "addTooltip": True},
                     [_count("Clicks"),
                      {"id": "2", "enabled": True, "type": "histogram", "schema": "segment",
                       "params": {"field": "position", "interval": 1, "min_doc_count": False,
                                  "extended_bounds": {}}}],
                     "event:click")
    mrr = _vis("pagesift-mean-reciprocal-rank", "pagesift: mean reciprocal rank of clicks", "metric",
               {"addTooltip": True, "addLegend": False, "type": "metric"},
               [{"id": "1", "enabled": True, "type": "avg", "schema": "metric",
                 "params": {"field": "reciprocal_rank", "customLabel": "Mean reciprocal rank"}}],
               "event:click")
    return [per_day, top, zero, clicks, positions, mrr, click_through_rate()]


def click_through_rate() -> dict[str, Any]:
    """TSVB's filter ratio: distinct searches among clicks over distinct searches, the console's CTR."""
    title = "pagesift: click-through rate"
    ratio = {"id": "ctr", "type": "filter_ratio", "metric_agg": "cardinality", "field": "search_id",
             "numerator": {"query": "event:click", "language": "kuery"},
             "denominator": {"query": SEARCHES, "language": "kuery"}}
    params = {"id": "pagesift-ctr", "type": "metric", "index_pattern": {"id": DATA_VIEW}, "time_field": "at",
              "interval": "", "time_range_mode": "entire_time_range", "use_kibana_indexes": True,
              "series": [{"id": "series", "label": "Click-through rate", "split_mode": "everything",
                          "metrics": [ratio], "formatter": "percent", "chart_type": "line", "line_width": 1,
                          "point_size": 1, "fill": 0.5, "stacked": "none", "color": "#0a4fb4"}]}
    vis = _vis("pagesift-click-through-rate", title, "metrics", params, [], "")
    # TSVB names its data view in its params, not in a search source.
    vis["attributes"]["kibanaSavedObjectMeta"] = {"searchSourceJSON": json.dumps({"query": {
        "query": "", "language": "kuery"}, "filter": []})}
    vis["references"] = [{"name": "metrics_0_index_pattern", "type": "index-pattern", "id": DATA_VIEW}]
    return vis


# (visualization, x, y, width, height) on Kibana's 48-column grid.
LAYOUT = [("pagesift-searches-per-day", 0, 0, 24, 15), ("pagesift-click-through-rate", 24, 0, 12, 7),
          ("pagesift-mean-reciprocal-rank", 36, 0, 12, 7), ("pagesift-clicks-by-position", 24, 7, 24, 8),
          ("pagesift-top-queries", 0, 15, 24, 20), ("pagesift-zero-result-queries", 24, 15, 24, 20),
          ("pagesift-queries-and-clicks", 0, 35, 48, 20)]


def dashboard(panels: list[dict[str, Any]]) -> dict[str, Any]:
    assert sorted(vis_id for vis_id, *_ in LAYOUT) == sorted(p["id"] for p in panels)
    entries = [{"version": "7.17.3", "type": "visualization", "panelIndex": str(n),
                "gridData": {"x": x, "y": y, "w": w, "h": h, "i": str(n)}, "embeddableConfig": {},
                "panelRefName": f"panel_{n}"} for n, (_, x, y, w, h) in enumerate(LAYOUT)]
    attributes = {
        "title": "pagesift: search analytics",
        "description": "Searches and clicks readers made (the console's /admin/analytics). "
                       "No IP address is logged.",
        "timeRestore": True, "timeFrom": "now-7d", "timeTo": "now",
        "refreshInterval": {"pause": True, "value": 0},
        "panelsJSON": json.dumps(entries), "optionsJSON": json.dumps({"useMargins": True}),
        "kibanaSavedObjectMeta": {"searchSourceJSON": json.dumps({"query": {"query": "", "language": "kuery"},
                                                                  "filter": []})}}
    return {"id": "pagesift-search-analytics", "type": "dashboard",
            "migrationVersion": {"dashboard": "7.17.3"}, "attributes": attributes,
            "references": [{"name": f"panel_{n}", "type": "visualization", "id": vis_id}
                           for n, (vis_id, *_) in enumerate(LAYOUT)]}


def objects(prefix: str = "pages") -> list[dict[str, Any]]:
    panels = visualizations()
    return [data_view(prefix), *panels, dashboard(panels)]


def ndjson(prefix: str = "pages") -> str:
    return "".join(json.dumps(obj, sort_keys=True) + "\n" for obj in objects(prefix))


if __name__ == "__main__":
    prefix = sys.argv[1] if len(sys.argv) > 1 else "pages"
    name = "searchlog.ndjson" if prefix == "pages" else f"searchlog-{prefix}.ndjson"
    (HERE / name).write_text(ndjson(prefix), encoding="utf-8")
    print(HERE / name)
