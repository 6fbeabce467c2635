# One image for pagesift's Python services: worker, beat and web (docker-compose.yml).
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PAGESIFT_HOME=/var/lib/pagesift

RUN useradd --system --uid 10001 --user-group --home-dir /var/lib/pagesift --create-home pagesift

WORKDIR /opt/pagesift
COPY pyproject.toml README.md ./
COPY pagesift ./pagesift
COPY indexer ./indexer
COPY web ./web
COPY worker ./worker
COPY samples ./samples
COPY mappings ./mappings
# Installed in place (-e): the index definitions are read from mappings/ beside the code.
RUN pip install -e . && python -c "import indexer.index.mapping, web, worker.app"

USER pagesift
VOLUME /var/lib/pagesift
EXPOSE 8000
CMD ["pagesift", "serve"]
