"""Relevance evaluation: judged queries run through the product's own search path and scored
with trec_eval's measures (through ir-measures). ``pagesift eval`` is its command line."""
