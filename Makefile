# zhifa — the two commands: `make run` (app with demo data on SQLite) and `make test` (all tests, SQLite + PostgreSQL).
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
DEMO_ENTERPRISES ?= 3000
DEMO_SEED ?= 2026
HOST ?= 127.0.0.1
PORT ?= 8000

# Debian packages: CJK fonts and Pango for PDFs (WeasyPrint); the test stack adds PostgreSQL, Chromium and poppler (pdffonts/pdftotext).
APT_RUN := fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b
APT_TEST := $(APT_RUN) postgresql chromium poppler-utils

.PHONY: run test bench venv venv-dev apt-run apt-test migrate demo lint clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(PIP) install -q -r requirements-dev.txt
	touch $@

venv: $(VENV)/.installed
venv-dev: $(VENV)/.installed-dev

apt-run:
	scripts/apt_install.sh $(APT_RUN)

apt-test:
	scripts/apt_install.sh $(APT_TEST)

migrate: venv
	$(PY) manage.py migrate --noinput -v0
	$(PY) manage.py load_rulesets
	$(PY) manage.py collectstatic --noinput -v0

demo: migrate
	$(PY) manage.py demo_data --enterprises $(DEMO_ENTERPRISES) --seed $(DEMO_SEED) --if-empty
	$(PY) manage.py detect
	$(PY) manage.py demo_cases
	$(PY) manage.py demo_publicity

## make run: install, migrate SQLite, load demo data if empty, serve on 127.0.0.1:8000 with gunicorn
run: apt-run venv demo
	@echo "zhifa is starting on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	@# The Huey consumer (daily detection, ADR 0004) runs beside the web server and stops with it.
	$(PY) manage.py run_huey --quiet & HUEY_PID=$$!; \
	trap 'kill $$HUEY_PID 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/gunicorn config.wsgi:application --bind $(HOST):$(PORT) --workers 2 --threads 4 --access-logfile -

## make test: install test dependencies, start a throwaway PostgreSQL, run everything on SQLite and PostgreSQL
test: apt-test venv-dev
	scripts/run_tests.sh

## make bench: benchmarks that print figures (BENCH_ENTERPRISES=1000000 by default)
BENCH_ENTERPRISES ?= 1000000
bench: apt-test venv-dev
	scripts/run_bench.sh $(BENCH_ENTERPRISES)

lint: venv-dev
	$(VENV)/bin/ruff check .

clean:
	rm -rf var $(VENV)
