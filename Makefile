# CodeAhead: `make run` serves the site with real data; `make test` runs every test.
# Both do all the set-up a fresh clone needs.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
PORT ?= 8000
CHROMIUM ?= /usr/bin/chromium
# Development settings for every command here; check-deploy turns DEBUG off.
export DEBUG ?= 1

.PHONY: run test deps browser data lint check-deploy

# The outbox worker sends the site's emails beside the server, and stops with it.
run: data
	export SITE_URL=$${SITE_URL:-http://127.0.0.1:$(PORT)}; \
	$(MANAGE) send_emails & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: deps browser lint check-deploy
	$(BIN)/pytest

deps: $(BIN)/.installed

$(BIN)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[dev]"
	touch $@

# Browser tests drive Debian's Chromium (Playwright cannot download its own here) and run axe-core
# (tests/axe/package.json) in its pages.
browser:
	@test -x $(CHROMIUM) || command -v chromium >/dev/null 2>&1 || \
	  { echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
	  { echo "No Chromium and cannot install it: browser tests will be skipped"; }
	@test -f tests/axe/node_modules/axe-core/axe.min.js || npm ci --prefix tests/axe --no-audit --no-fund --silent

# The official public files (see ../shared/data/README.md); never copied into the project.
SHARED_DATA ?= ../shared/data
# A folder of CMS files the operator downloaded (NCCI edits and MUEs, behind CMS's CPT licence
# page; the GEMs): `NCCI_DATA=DIR make run` loads them too. Unset, they are not loaded.
NCCI_DATA ?=

# The demo codes first (into an empty database), then every public code set in order
# (lookup/public_data.py): releases already loaded are skipped, so a second run takes seconds.
# Without the shared data, the April 2026 ICD-10-CM comes from the simple-icd-10-cm wheel.
data: deps
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	$(MANAGE) load_public_data --data "$(SHARED_DATA)" $(if $(NCCI_DATA),--ncci "$(NCCI_DATA)")
	@# Plain-language texts of codes with none of our own: new, and unreviewed ones the glossary changes.
	$(MANAGE) generate_plain_texts

lint: deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

# The deployment checklist under production-like settings must pass with no warnings.
check-deploy: deps
	DEBUG=0 SECRET_KEY=check-deploy-$$(head -c 48 /dev/urandom | od -An -tx1 | tr -d ' \n') \
	  ALLOWED_HOSTS=codeahead.example $(MANAGE) check --deploy --fail-level WARNING
