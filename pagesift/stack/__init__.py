"""Local services that `pagesift up` manages: embedded Elasticsearch, Redis, workers, web."""
