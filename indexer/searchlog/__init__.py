"""The search and click log: what readers searched, what they were shown, what they opened.

* :mod:`~indexer.searchlog.events`: the two events (a search, a click), no IP address;
* :mod:`~indexer.searchlog.names`: daily indices ``<prefix>-searchlog-YYYY.MM.DD`` behind
  an alias, made from a template (``mappings/searchlog.json``);
* :mod:`~indexer.searchlog.writer`: a background bulk writer that never fails a search;
* :mod:`~indexer.searchlog.retention`: whole days deleted past the retention setting;
* :mod:`~indexer.searchlog.bots`: crawlers and scripts, which are not logged;
* :mod:`~indexer.searchlog.aggregations` (pure) and :mod:`~indexer.searchlog.analytics`
  (the runner): top, trending, zero-result and unclicked queries, CTR, MRR, per day;
* :mod:`~indexer.searchlog.suggestions` and :mod:`~indexer.searchlog.blocklist`: past
  queries offered in autocomplete, minus what editors blocked and what showed taken-down pages.
"""
