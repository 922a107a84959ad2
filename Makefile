# Rugzak — `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# uv runs as a module of the system Python, so a fresh pip install works in the same make run.
UV ?= python3 -m uv
PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
export RUGZAK_DATABASE_URL ?= sqlite+aiosqlite:///./var/rugzak.db
# `make run` is the local demo: its identity provider (`make idp`) answers on plain-http
# loopback, which a real deployment refuses (README, RUGZAK_OIDC_LOOPBACK_HTTP).
run: export RUGZAK_OIDC_LOOPBACK_HTTP ?= true
# Invite links, QR codes and printed demo links follow HOST/PORT unless RUGZAK_BASE_URL is set.
run: export RUGZAK_BASE_URL ?= http://$(HOST):$(PORT)

.PHONY: help
help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

.PHONY: uv
uv:
	@$(UV) --version >/dev/null 2>&1 || python3 -m pip install --quiet uv \
	  || python3 -m pip install --quiet --user --break-system-packages uv

.venv/.synced: pyproject.toml uv.lock | uv
	$(UV) sync --frozen --quiet
	@touch $@

.PHONY: install
install: .venv/.synced ## Install Python dependencies (uv) into .venv

.PHONY: migrate
migrate: install ## Apply database migrations (RUGZAK_DATABASE_URL, SQLite by default)
	$(PY) -m web.cli migrate

.PHONY: run
# The notice worker runs beside the server and stops with it (mail goes to ./var/mail/*.eml
# unless RUGZAK_SMTP_URL is set).
run: export RUGZAK_BASE_URL ?= http://$(HOST):$(PORT)
run: migrate ## Install, migrate, load the demo (NO_DEMO=1 to skip), serve on 127.0.0.1:8000 with the notice worker
	@if [ -z "$(NO_DEMO)" ]; then $(PY) -m web.cli demo --if-empty; fi
	$(PY) -m web.cli worker & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	  $(PY) -m web.cli serve --host $(HOST) --port $(PORT)

# The demo organisation's identity provider (scripts/demo-idp.mjs; accounts in scripts/demo-idp.json,
# public: DEMO ONLY). Run it beside `make run` to try "Inloggen via je organisatie".
.PHONY: idp
idp: node_modules/.package-lock.json ## Run the demo identity provider on 127.0.0.1:9090 (demo only)
	node scripts/demo-idp.mjs

# Front-end packages that are not served (axe-core is vendored; oidc-provider runs the test
# and demo identity provider, scripts/demo-idp.mjs): installed exactly from package-lock.json.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

.PHONY: test
# Two pytest-xdist workers (CI has 2 cores): each gets its own PostgreSQL cluster, app servers
# and Chromium. Whole files go to one worker (--dist loadfile): several browser modules are one
# journey in order over module-scoped state. TEST_WORKERS=0 runs in one process. The slowest 20
# tests are listed at the end. The suite runs without a line tracer (coverage costs about a
# third more CPU on this code); the crypto core's and the policy's 100 % gate runs after it
# from their own unit tests, and `make coverage` measures the whole suite (docs/testing.md).
TEST_WORKERS ?= 2
test: install node_modules/.package-lock.json ## Run the whole suite (unit, SQLite + PostgreSQL, browser), then the crypto coverage gate
	$(PY) -m pytest -q -p no:cacheprovider -n $(TEST_WORKERS) --dist loadfile --durations=20 \
	  $(PYTEST_ARGS)
	$(MAKE) --no-print-directory coverage-crypto

.PHONY: coverage-crypto
coverage-crypto: install ## 100 % line coverage of dossier/crypto and consent/policy.py by their own unit tests
	$(PY) -m pytest -q -p no:cacheprovider --cov=dossier.crypto --cov=consent.policy --cov-report= \
	  tests/dossier/test_crypto_*.py tests/consent/test_policy.py
	$(PY) -m coverage report --skip-covered --skip-empty --fail-under=100

.PHONY: coverage
coverage: install node_modules/.package-lock.json ## The whole suite with coverage: >= 90 % overall, 100 % crypto core and policy
	$(PY) -m pytest -q -p no:cacheprovider -n $(TEST_WORKERS) --dist loadfile \
	  --cov --cov-report= $(PYTEST_ARGS)
	$(PY) -m coverage report --skip-covered --skip-empty --fail-under=90
	$(PY) -m coverage report --skip-covered --skip-empty --fail-under=100 \
	  --include='dossier/crypto/*,consent/policy.py'

.PHONY: bench
bench: install ## Run the benchmarks; each prints its ratio against a same-run baseline
	@for b in bench/*_bench.py; do echo "== $$b"; $(PY) $$b || exit 1; done

.PHONY: lint
lint: install ## ruff (lint + format check) and mypy (strict on dossier, consent and web)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy dossier consent web

.PHONY: vectors
vectors: install ## Regenerate tests/vectors/*.json from dossier/vectors/
	$(PY) -m dossier.vectors

.PHONY: vendor
vendor: ## Re-vendor browser assets from package-lock.json (npm ci) and rewrite sri.json
	npm ci --no-audit --no-fund
	node scripts/vendor.mjs
