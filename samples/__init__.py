"""Sample data for the demo and the benchmarks, built from real prose fetched at run time.

- :mod:`samples.prose`: paragraphs from Debian's ``debian-handbook`` package (CC-BY-SA).
- :mod:`samples.site`: a static WordPress-like site for ``make demo``.
- :mod:`samples.serve`: the local static server the demo ingests from.
- :mod:`samples.corpus`: the large JSON Lines corpus for the benchmarks.
"""
