# Kith: `make demo` to try it, `make test` to check it. Both set up everything they need.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DEMO_SIZE ?= small
DEMO_SEED ?= 1
PYTEST_ARGS ?=
FRONTEND_SOURCES := $(shell find frontend -type f 2>/dev/null)

.PHONY: demo test setup python-deps frontend validators chromium lint typecheck import-contracts pytest serve clean

demo: setup
	$(BIN)/kith migrate --noinput
	$(BIN)/kith seed --size $(DEMO_SIZE) --seed $(DEMO_SEED) --if-empty
	-$(BIN)/kith duplicate_scan
	$(BIN)/kith demo_logins
	$(BIN)/kith db_worker --no-startup-delay & worker=$$!; trap "kill $$worker 2>/dev/null" EXIT; \
		$(BIN)/kith runserver 127.0.0.1:8000

test: setup chromium lint typecheck import-contracts pytest

setup: python-deps frontend validators

python-deps: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Kith needs Python 3.11, found " + sys.version' \
		|| { echo "Install Python 3.11 (Debian: apt-get install python3.11 python3.11-venv) or set PYTHON=/path/to/python3.11"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	touch $@

# The DfE validators (SSDA903, CIN census) need pandas 1.5: each gets its own virtualenv.
VALIDATORS := var/validators
RUNNERS := kith/returns/validator_runners
validators: $(VALIDATORS)/ssda903/.installed $(VALIDATORS)/cin/.installed

$(VALIDATORS)/%/.installed: $(RUNNERS)/requirements-%.txt
	rm -rf $(VALIDATORS)/$*
	$(PYTHON) -m venv $(VALIDATORS)/$*
	$(VALIDATORS)/$*/bin/python -m pip install --quiet -r $<
	touch $@

frontend: build/static/.built

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "Install Node.js and npm (Debian: apt-get install nodejs npm)"; exit 1; }
	npm ci --no-audit --no-fund
	touch $@

build/static/.built: node_modules/.installed $(FRONTEND_SOURCES)
	npm run build
	touch $@

# Browser tests drive Debian's Chromium (Playwright cannot download its own browser here).
chromium:
	@if ! command -v chromium >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then \
			echo "Installing Debian's chromium for the browser tests"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then \
			sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "The browser tests need Chromium. Install it with: sudo apt-get install chromium"; exit 1; \
		fi; \
	fi

lint:
	$(BIN)/ruff format --check kith tests bench scripts
	$(BIN)/ruff check kith tests bench scripts
	$(BIN)/python scripts/lint_scoped_queries.py
	DJANGO_SETTINGS_MODULE=kith.config.settings.test $(BIN)/kith makemigrations --check --dry-run

typecheck:
	$(BIN)/mypy kith

import-contracts:
	$(BIN)/lint-imports

pytest:
	$(BIN)/pytest -n 2 $(PYTEST_ARGS); status=$$?; [ $$status -eq 5 ] && { echo "pytest collected no tests"; exit 1; }; exit $$status

serve: setup
	$(BIN)/kith db_worker --no-startup-delay & worker=$$!; trap "kill $$worker 2>/dev/null" EXIT; \
		$(BIN)/kith runserver 127.0.0.1:8000

clean:
	rm -rf $(VENV) node_modules build var .pytest_cache .mypy_cache .ruff_cache
