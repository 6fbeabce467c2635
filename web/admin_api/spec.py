"""The admin API's part of the OpenAPI document (see :mod:`web.api.openapi`)."""

from __future__ import annotations

from typing import Any

from web.admin.operations import REINDEX_MODES
from web.admin_api.body import (
    BATCH_ACTIONS,
    MAX_CATEGORY_DEPTH,
    MAX_EVENTS,
    MAX_LIST_ITEMS,
    MAX_SOURCES,
    PAGE_ACTIONS,
    PAGE_DATES,
    PAGE_LISTS,
    PAGE_TEXT,
)
from web.api.openapi import json_response, ref
from worker.jobs.model import JOB_STATUSES

_SECURITY: list[dict[str, list[str]]] = [{"adminToken": []}]
_ID = {"name": "job_id", "in": "path", "required": True, "schema": {"type": "string"}}
_ERRORS = {
    "400": json_response("The body is not valid; `message` says why.", ref("Error")),
    "401": json_response("No valid admin token.", ref("Error")),
}
_NOT_FOUND = {"404": json_response("No such job (finished jobs are kept 30 days).", ref("Error"))}


def _json_body(schema: dict[str, Any]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": schema}}}


PATHS: dict[str, Any] = {
    "/api/admin/jobs": {
        "post": {"summary": "Start an ingest (URLs: pages, sitemaps, sites) or a reindex.",
                 "security": _SECURITY, "requestBody": _json_body(ref("JobRequest")),
                 "responses": {"202": json_response("Queued.", ref("Job")), **_ERRORS}},
        "get": {"summary": "The 100 newest jobs.", "security": _SECURITY,
                "responses": {"200": json_response("Jobs, newest first.", {
                    "type": "object", "properties": {"jobs": {"type": "array", "items": ref("Job")}}}),
                    "401": _ERRORS["401"]}},
    },
    "/api/admin/jobs/{job_id}": {"get": {
        "summary": "One job: counts, progress, and every failed page with its reason.",
        "security": _SECURITY, "parameters": [_ID],
        "responses": {"200": json_response("The job.", ref("JobDetail")), "401": _ERRORS["401"],
                      **_NOT_FOUND}}},
    "/api/admin/jobs/{job_id}/retry": {"post": {
        "summary": "Send the job's failed pages through the pipeline again.",
        "security": _SECURITY, "parameters": [_ID],
        "responses": {"200": json_response("How many pages were sent again.", {
            "type": "object", "properties": {"id": {"type": "string"}, "retried": {"type": "integer"}}}),
            "401": _ERRORS["401"], **_NOT_FOUND,
            "409": json_response("Not an ingest job.", ref("Error"))}}},
    "/api/admin/jobs/{job_id}/cancel": {"post": {
        "summary": "Cancel a queued or running job; pages already done stay done.",
        "security": _SECURITY, "parameters": [_ID],
        "responses": {"200": json_response("Whether this call cancelled it.", {
            "type": "object", "properties": {"id": {"type": "string"}, "cancelled": {"type": "boolean"}}}),
            "401": _ERRORS["401"], **_NOT_FOUND}}},
    "/api/admin/pages": {"post": {
        "summary": "CMS webhook: a page was published or updated (upsert), unpublished, or deleted.",
        "description": "upsert queues a one-page ingest job, searchable seconds later: the URL is fetched, "
                       "or, with `page`, the pushed body and facts are taken as they are (no fetch). "
                       "unpublish takes the page out of search until it is pushed or fetched again. "
                       "delete is a takedown: out of search and the raw store at once, kept out, the "
                       "reason recorded. `{\"events\": [...]}` sends up to 100 upserts and unpublishes "
                       "as one job (a CMS's full sync).",
        "security": _SECURITY, "requestBody": _json_body({"oneOf": [ref("PageEvent"), ref("PageEvents")]}),
        "responses": {"202": json_response("upsert, unpublish, events: the job that applies them.",
                                           {"type": "object"}),
                      "200": json_response("delete: what was removed.", {"type": "object"}), **_ERRORS}}},
}

_COUNT = {"type": "integer", "minimum": 0}
_TIME = {"type": ["number", "null"], "description": "Seconds since the epoch."}
_JOB_PROPERTIES: dict[str, Any] = {
    "id": {"type": "string"}, "type": {"enum": ["ingest", "reindex"]},
    "status": {"enum": list(JOB_STATUSES),
               "description": "partial: finished, some pages failed (retry them); failed: the job "
                              "could not run (error says why) or every page failed."},
    "status_label": {"type": "string", "description": "The status in words: finished with 3 failures."},
    "created": _TIME, "started": _TIME, "finished": _TIME,
    "total": _COUNT, "done": _COUNT, "indexed": _COUNT, "skipped": _COUNT, "failed": _COUNT,
    "expanded": {"type": "boolean", "description": "All pages found; until then total still grows."},
    "params": {"type": "object"}, "error": {"type": "string"},
    "runs": {"type": "array", "description": "The first run, then one per retry, each with its own times.",
             "items": {"type": "object", "properties": {
                 "number": {"type": "integer"}, "status": {"type": "string"},
                 "status_label": {"type": "string"}, "started": _TIME, "finished": _TIME,
                 "total": _COUNT, "indexed": _COUNT, "skipped": _COUNT, "failed": _COUNT,
                 "duration_s": {"type": ["number", "null"]},
                 "rate": {"type": ["number", "null"], "description": "Pages per second."}}}},
    "progress": {"type": "object", "properties": {
        "percent": {"type": "integer"},
        "rate": {"type": ["number", "null"], "description": "Pages per second."},
        "eta_s": {"type": ["number", "null"]}, "counting": {"type": "boolean"}}},
}
SCHEMAS: dict[str, Any] = {
    "JobRequest": {"type": "object", "required": ["type"], "properties": {
        "type": {"enum": ["ingest", "reindex"]},
        "sources": {"type": "array", "maxItems": MAX_SOURCES, "items": {"type": "string", "format": "uri"},
                    "description": "ingest: http(s) URLs of sitemaps, sites or pages."},
        "mode": {"enum": list(REINDEX_MODES), "description": "reindex: reclean or migrate."}}},
    "Job": {"type": "object", "properties": _JOB_PROPERTIES},
    "JobDetail": {"type": "object", "properties": {**_JOB_PROPERTIES, "failures": {
        "type": "array", "items": {"type": "object", "properties": {
            "url": {"type": "string"}, "stage": {"type": "string"}, "reason": {"type": "string"},
            "attempts": {"type": "integer"}}}}}},
    "PageEvent": {"type": "object", "required": ["url", "action"], "properties": {
        "url": {"type": "string", "format": "uri"}, "action": {"enum": list(PAGE_ACTIONS)},
        "reason": {"type": "string", "maxLength": 500,
                   "description": "delete: why (kept in the takedown log)."},
        "page": ref("PushedPage")}},
    "PageEvents": {"type": "object", "required": ["events"], "properties": {"events": {
        "type": "array", "minItems": 1, "maxItems": MAX_EVENTS, "items": {
            "type": "object", "required": ["url", "action"], "properties": {
                "url": {"type": "string", "format": "uri"}, "action": {"enum": list(BATCH_ACTIONS)},
                "page": ref("PushedPage")}}}}},
    "PushedPage": {
        "type": "object", "required": ["title", "content"],
        "description": "upsert: the page itself, indexed without a fetch; what it states wins over "
                       "anything read from the body's markup. Unknown keys are ignored.",
        "properties": {
            "content": {"type": "string", "description": "The body's HTML, as the site renders it."},
            **{name: {"type": "string", "maxLength": longest} for name, longest in PAGE_TEXT.items()},
            **{name: {"type": "string", "format": "date-time",
                      "description": "With its UTC offset."} for name in PAGE_DATES},
            **{name: {"type": "array", "maxItems": MAX_LIST_ITEMS, "items": {"type": "string"}}
               for name in PAGE_LISTS},
            "category_paths": {
                "type": "array", "maxItems": MAX_LIST_ITEMS,
                "description": "Each of `categories` with its ancestors: names from the root down "
                               "([\"World\", \"Europe\"]). A category without one is taken as top-level.",
                "items": {"type": "array", "minItems": 1, "maxItems": MAX_CATEGORY_DEPTH,
                          "items": {"type": "string"}}},
            "image": {"type": "string", "format": "uri"}}},
}
SECURITY_SCHEMES = {"adminToken": {
    "type": "http", "scheme": "bearer",
    "description": "The admin token whose SHA-256 is PAGESIFT_ADMIN_TOKEN_HASH."}}
