"""The Elasticsearch side of pagesift: versioned mappings, bulk indexing, the raw store,
zero-downtime reindex. See ``docs/schema.md``.

Nothing here opens a connection at import time: every function takes the client it uses.
"""
