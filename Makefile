# pagesift: `make demo` and `make test` are the two commands a newcomer needs.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PAGESIFT := $(VENV)/bin/pagesift
STAMP := $(VENV)/.installed

# The test stack has its own home and ports, so `make test` never touches the demo's data.
TEST_ES_PORT ?= 9250
TEST_REDIS_PORT ?= 6390
TEST_WEB_PORT ?= 8090
TEST_ENV := PAGESIFT_HOME=$(CURDIR)/.pagesift/test \
	PAGESIFT_ES_PORT=$(TEST_ES_PORT) PAGESIFT_ES_URL=http://127.0.0.1:$(TEST_ES_PORT) \
	PAGESIFT_REDIS_PORT=$(TEST_REDIS_PORT) PAGESIFT_REDIS_URL=redis://127.0.0.1:$(TEST_REDIS_PORT)/0 \
	PAGESIFT_WEB_PORT=$(TEST_WEB_PORT) PAGESIFT_ES_HEAP=1g

.PHONY: setup system-deps venv es-fetch test test-reliability test-reliability-short test-up test-down demo bench lint up down clean

# The CLI lands in .venv/bin, which is not on PATH: say how to put it there (README, docs and
# the commands' own messages write it as `pagesift`).
setup: system-deps venv
	@case ":$$PATH:" in *":$(CURDIR)/$(VENV)/bin:"*) ;; *) \
		echo "pagesift is in $(VENV)/bin; to type \`pagesift ...\` as the docs do, put it on PATH:"; \
		echo "  export PATH=\"$(CURDIR)/$(VENV)/bin:\$$PATH\"   (or: source $(VENV)/bin/activate)";; esac

# The real WordPress the tests and `pagesift sample wordpress` run (pagesift/stack/wordpress.py):
# Debian's WordPress 6.1 with its three stock themes (two block themes, one classic) and its
# translations (fa_IR), PHP with what WordPress needs (php-xml for its sitemaps, php-gd for
# image sizes), and MariaDB, run privately by the project (no system service is started).
WORDPRESS_PACKAGES := wordpress wordpress-l10n wordpress-theme-twentytwentythree \
	wordpress-theme-twentytwentytwo wordpress-theme-twentytwentyone \
	php-cli php-mysql php-xml php-mbstring php-intl php-gd mariadb-server

# Debian packages the project runs: only what is missing is installed.
system-deps:
	@missing=""; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v mvn >/dev/null || missing="$$missing maven"; \
	command -v javac >/dev/null || missing="$$missing openjdk-17-jdk-headless"; \
	command -v wrk >/dev/null || missing="$$missing wrk"; \
	for pkg in $(WORDPRESS_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q -U pip
	$(VENV)/bin/pip install -q -e '.[dev]'
	touch $(STAMP)

es-fetch: venv
	$(PAGESIFT) es fetch >/dev/null

test-up: setup
	$(TEST_ENV) $(PAGESIFT) up --only elasticsearch --only redis

test-down:
	$(TEST_ENV) $(PAGESIFT) down

# Lint first: ruff and mypy clean is part of passing.
test: lint test-up
	$(TEST_ENV) $(VENV)/bin/pytest -q -m "not reliability"

# Fault injection, fuzzing and load (minutes; run before releases, see docs/reliability.md),
# plus the other suites' security modules: SSRF table, caps, encodings, query abuse, XSS,
# stale writes, the console's auth and CSRF walk, the rate limit.
RELIABILITY_REUSED := tests/worker/fetch/test_ssrf.py tests/worker/fetch/test_fetch_units.py tests/worker/fetch/test_fetcher.py \
	tests/indexer/clean/test_bad_input.py tests/indexer/clean/test_encoding.py \
	tests/indexer/index/test_index_bulk.py tests/web/api/test_api.py tests/web/test_web_app.py tests/web/test_proxies.py tests/web/admin
test-reliability: test-up
	$(TEST_ENV) $(VENV)/bin/pytest -q tests/reliability $(RELIABILITY_REUSED)

# Every fault scenario, shortened (outages, load, corpora) to fit about ten minutes: what CI
# runs after `make test`, so faults are checked on every submission.
# The flood stays longer than the bulk helper's own retries (about a minute), or it tests nothing.
RELIABILITY_SHORT := PAGESIFT_RELIABILITY_LOAD_SECONDS=20 PAGESIFT_RELIABILITY_LOAD_DOCS=1000 \
	PAGESIFT_RELIABILITY_REDIS_OUTAGE=10 PAGESIFT_RELIABILITY_FUZZ_PAGES=1000 \
	PAGESIFT_RELIABILITY_CLUSTER_PAGES=400 PAGESIFT_RELIABILITY_FLOOD=70
test-reliability-short: test-up
	$(TEST_ENV) $(RELIABILITY_SHORT) $(VENV)/bin/pytest -q tests/reliability

# Every benchmark against its baseline, then the table in docs/benchmarks.md (see bench/run_all.py);
# `make bench BENCH_ARGS=--quick` is a smoke run of the chain.
bench: test-up
	$(TEST_ENV) $(PY) bench/run_all.py $(BENCH_ARGS)

up: setup
	$(PAGESIFT) up

down:
	$(PAGESIFT) down

# Starts the stack, builds and serves the sample site on its own port, ingests it through the
# real pipeline, prints the search page's URL and queries worth trying.
demo: setup
	$(PAGESIFT) demo

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

clean:
	rm -rf .pagesift/test
