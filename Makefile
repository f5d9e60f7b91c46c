# Tobira: `make run` to try it, `make test` to check it. See README.md.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
SUDO := $(shell [ "$$(id -u)" = 0 ] && echo "" || (command -v sudo >/dev/null && echo "sudo -n"))
VENDOR := casework/static/vendor

.PHONY: run test lint typecheck pytest assets messages migrate seed venv dev-venv system-deps bench bench-deps bench-growth clean help screenshots fuzz

help:
	@echo "make run    set up everything and run Tobira (web, worker, beat) on the embedded default"
	@echo "make test   set up and run ruff, mypy and the whole test suite"
	@echo "make audit  known vulnerabilities in the Python and npm dependencies (audit-allowlist.toml)"
	@echo "make fuzz   fuzz the API per role with schemathesis, FUZZ_EXAMPLES examples per operation"

$(VENV)/.base-installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e .
	@touch $@

$(VENV)/.dev-installed: pyproject.toml $(VENV)/.base-installed
	$(PIP) install --quiet -e '.[dev]'
	@touch $@

venv: $(VENV)/.base-installed
dev-venv: $(VENV)/.dev-installed

# Debian packages the project needs: gettext (compilemessages), Node.js/npm (front-end assets)
# and, for the browser tests and screenshots, Chromium and Japanese fonts (Japanese as text, not boxes).
# Installed only when missing and when we may.
system-deps:
	@missing=""; \
	command -v msgfmt >/dev/null || missing="$$missing gettext"; \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ "$(WITH_BROWSER)" = 1 ] && [ ! -x /usr/bin/chromium ]; then missing="$$missing chromium"; fi; \
	if [ "$(WITH_BROWSER)" = 1 ] && ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then missing="$$missing fonts-noto-cjk"; fi; \
	if [ -n "$$missing" ]; then \
	  if [ -n "$(SUDO)" ] || [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages:$$missing"; \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Please install these Debian packages:$$missing"; exit 1; \
	  fi; \
	fi

# htmx and Tabler (Bootstrap 5 with Tabler's components and JS) come from npm (package-lock.json) and
# are served as our own static files. The source maps go along: the manifest storage follows them.
TABLER := node_modules/@tabler/core/dist
$(VENDOR)/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf $(VENDOR)/pico
	mkdir -p $(VENDOR)/htmx $(VENDOR)/tabler
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	cp $(TABLER)/css/tabler.min.css $(TABLER)/css/tabler.min.css.map $(VENDOR)/tabler/
	cp $(TABLER)/js/tabler.min.js $(TABLER)/js/tabler.min.js.map $(VENDOR)/tabler/
	$(PYTHON) scripts/build_icons.py node_modules/@tabler/icons/icons/outline $(VENDOR)/icons/sprite.svg
	@touch $@

assets: system-deps $(VENDOR)/.installed

messages: venv system-deps
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

migrate: venv
	$(PY) manage.py migrate --no-input -v 0

# seed_demo_learning adds courses and attendance for seed_demo's people (casework never imports learning);
# seed_demo_jobs adds employers, openings, referrals and placements for them (casework never imports jobs).
seed: migrate
	$(PY) manage.py seed_demo
	$(PY) manage.py seed_demo_learning
	$(PY) manage.py seed_demo_jobs

run: assets messages seed
	@echo ""
	@echo "  Tobira is starting at http://$(HOST):$(PORT)/"
	@echo "  Demo sign-ins (password tobira-demo-2026): admin, supervisor, caseworker, trainer, trainer2, employer"
	@echo "  Ctrl-C stops the web server, the worker and beat."
	@echo ""
	@$(PY) manage.py runtobira --host $(HOST) --port $(PORT)

# The main pages of each demo role at 1366 and 375 px, English and Japanese, into docs/screenshots/
# (on make run's database; the script runs its own server on a free port and stops it).
screenshots: dev-venv assets messages seed
	$(MAKE) system-deps WITH_BROWSER=1
	$(PY) scripts/screenshots.py

lint: dev-venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

typecheck: dev-venv
	$(VENV)/bin/mypy casework learning jobs reports config

# On every core (pytest-xdist): each worker has its own test database, live server and Chromium; tests
# marked with an xdist_group run on one worker together (they share a Redis database or a module's world).
PYTEST_WORKERS ?= 2
pytest: dev-venv
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)
	@# The figures of the reports are computed by the database: their tests run on the other one too.
	@if [ -n "$$DATABASE_URL" ]; then \
	  echo "Tests marked both_databases, again on SQLite"; \
	  env -u DATABASE_URL $(PY) -m pytest -q -m both_databases -p no:cacheprovider; \
	fi

test:
	$(MAKE) system-deps WITH_BROWSER=1
	$(MAKE) dev-venv assets messages
	$(MAKE) lint typecheck
	$(MAKE) pytest

# The API fuzzed per role with schemathesis (tests/fuzz): FUZZ_EXAMPLES examples per operation (the
# pytest run of `make test` has 2; 25 took 15 minutes on PostgreSQL), FUZZ_SEED the fixed seed.
# Figures per role: test-artifacts/fuzz-<examples>-*.json.
FUZZ_EXAMPLES ?= 25
fuzz: dev-venv messages
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(PY) -m pytest -p no:cacheprovider -q -rA tests/fuzz

# The benchmark (docs/performance.md): SCALE applicants on the local PostgreSQL, DURATION seconds a
# measurement, wrk at concurrency 4 against gunicorn with the bench settings; then the busy evening
# (bench/evening.py: 20 signed-in users under locust), 120 s, or 20 s when DURATION ≤ 5 (CI's smoke).
# EVENING_SECONDS overrides that (0 skips it).
SCALE ?= 100000
DURATION ?= 10
EVENING_SECONDS ?=
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/tobira_bench_$(SCALE)

bench-deps:
	@command -v wrk >/dev/null || { \
	  if [ -n "$(SUDO)" ] || [ "$$(id -u)" = 0 ]; then \
	    echo "Installing wrk"; $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wrk >/dev/null; \
	  else echo "Please install the Debian package wrk"; exit 1; fi; }

bench: dev-venv assets messages bench-deps
	$(PY) -m bench.run --scale $(SCALE) --duration $(DURATION) --database-url $(BENCH_DATABASE_URL) $(if $(ONLY),--only $(ONLY)) $(if $(EVENING_SECONDS),--evening-seconds $(EVENING_SECONDS))

bench-growth:
	$(MAKE) bench SCALE=10000
	$(MAKE) bench SCALE=100000
	$(PY) -m bench.growth

# Known vulnerabilities (scripts/audit.py): pip-audit on the venv (the project itself skipped) and
# `npm audit --omit=dev`, judged against audit-allowlist.toml (entries with a reason and an expiry date).
# Fails on a fixable one not allowed, on an expired entry, and on a service that does not answer;
# AUDIT_UNREACHABLE=warn only warns about the last (a machine that cannot reach the advisory services).
.PHONY: audit
AUDIT_UNREACHABLE ?=
audit: dev-venv
	$(PY) scripts/audit.py $(if $(AUDIT_UNREACHABLE),--unreachable $(AUDIT_UNREACHABLE))

clean:
	rm -rf var/cache var/broker var/test.sqlite3 var/test-documents node_modules $(VENDOR)
