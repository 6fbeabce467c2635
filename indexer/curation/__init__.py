"""Editors' curation of reader search: best bets (pin and hide), synonyms, judgments.

Rules live in Elasticsearch (``<prefix>-curation``, :mod:`indexer.curation.store`); a caller
loads them (:func:`indexer.curation.store.load`, a :class:`~indexer.curation.model.Curation`)
and hands them to :func:`indexer.searching.search`, so the query builder stays pure. All but
the store, :mod:`~indexer.curation.applying` and the gate is pure: matching, expansion, pin
placement. Nothing is imported here: :mod:`indexer.query.builder` imports
:mod:`indexer.curation.expansion`, which must not pull the rest in (an import cycle).
"""
