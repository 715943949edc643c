# `make run`: the console with demo data on http://127.0.0.1:$(PORT)/.
# `make test`: linters, type checks, import contracts, Django checks, migrations check and
# the test suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
VENV_PY := $(VENV)/bin/python
PORT ?= 8000
# Django 6.1 needs Python 3.12 or newer. `python3` is preferred when new enough (pyenv
# reads .python-version); otherwise the first of python3.13, python3.12 found.
PYTHON ?= $(shell for p in python3 python3.13 python3.12; do \
	command -v $$p >/dev/null 2>&1 && \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && \
	{ echo $$p; break; }; done)

.PHONY: help run test python chromium

help:
	@echo "make run    start the console with demo data on http://127.0.0.1:$(PORT)/"
	@echo "make test   run linters, type checks and the test suite"

python:
	@if [ -z "$(PYTHON)" ] || ! $(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
		echo "error: Python 3.12 or newer is required (Django 6.1), and" \
			"'$(or $(PYTHON),python3 python3.13 python3.12)' is older or missing. Install one (pyenv reads .python-version)" \
			"or name it: make PYTHON=/path/to/python3.13 $(MAKECMDGOALS)" >&2; \
		exit 1; \
	fi
	@if [ -x $(VENV_PY) ] && ! $(VENV_PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))'; then \
		echo "error: $(VENV) was made with Python $$($(VENV_PY) -V 2>&1); remove it" \
			"(rm -rf $(VENV)) and run make again." >&2; \
		exit 1; \
	fi

$(VENV_PY): | python
	$(PYTHON) -m venv $(VENV)
	$(VENV_PY) -m pip install --quiet --disable-pip-version-check --upgrade pip

# Stamps: reinstall only when a requirements file changes.
$(VENV)/.installed-run: requirements.txt | $(VENV_PY)
	$(VENV_PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV_PY)
	$(VENV_PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

run: python $(VENV)/.installed-run
	PORT=$(PORT) $(VENV_PY) -m console.devstack

# The browser tests drive Debian's Chromium. Missing, it is installed where that is possible
# (root with apt-get: CI, containers); elsewhere make stops at once, naming the command.
CHROMIUM := /usr/bin/chromium
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
			echo "Installing Debian's chromium for the browser tests"; \
			export DEBIAN_FRONTEND=noninteractive; \
			apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium \
				|| exit 1; \
		else \
			echo "error: the browser tests need Debian's Chromium at $(CHROMIUM):" \
				"run 'sudo apt-get install chromium', then make test again" >&2; \
			exit 1; \
		fi; \
	fi

# TESTING=true: development secret key, no HTTPS redirect; DATABASE_URL and
# CELERY_BROKER_URL still come from the environment (CI runs this twice).
test: export TESTING := true
test: chromium python $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports
	$(VENV_PY) manage.py check
	$(VENV_PY) manage.py makemigrations --check --dry-run
	@# One pytest process per core, up to 4, each given whole test files (their module
	@# fixtures start once); most of the suite waits on servers, workers and browsers.
	@# Exit status 5 means pytest collected no tests: that is a failure too.
	$(VENV)/bin/pytest -n auto --maxprocesses 4 --dist loadfile; status=$$?; \
		if [ $$status -eq 5 ]; then echo "error: pytest collected no tests" >&2; exit 1; fi; \
		exit $$status

# `make bench`: load, query counts, AWS calls, worker timings and memory, measured in one
# run against PostgreSQL at 127.0.0.1:5432 and Redis at 127.0.0.1:6379 (databases of its
# own); prints one table. BENCH_SECONDS sets the length of each load run.
.PHONY: bench
bench: python $(VENV)/.installed-dev
	$(VENV_PY) -m bench
