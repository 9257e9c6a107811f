# The two commands a newcomer needs: `make demo` and `make test`. Everything they
# need is installed by these targets; nothing is assumed on the machine.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
DEMO_DB := var/demo.sqlite3
PG_URL ?= postgres://postgres@127.0.0.1:5432/unforgotten
PYTEST_ARGS ?=
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help system venv node deps demo test lint typecheck test-sqlite test-postgres bench openapi-snapshot clean messages

help:
	@echo "make demo    install everything, run the platform on SQLite with demo data at http://127.0.0.1:8000"
	@echo "make test    ruff, mypy and the whole test suite on SQLite, then on PostgreSQL when reachable"
	@echo "make bench   benchmarks (ONLY=<group> for one group)"

system:
	@scripts/install-system-packages.sh

$(STAMP): requirements/base.txt requirements/dev.txt pyproject.toml
	@PYTHON=$$(scripts/find-python.sh) || exit 1; \
	if [ ! -x $(PY) ]; then echo "Creating $(VENV) with $$PYTHON"; "$$PYTHON" -m venv $(VENV); fi
	@$(PY) -m pip install -q --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
	@$(PY) -m pip install -q -r requirements/dev.txt 2>&1 | grep -v "^WARNING: Location" || true
	@$(PY) -m pip install -q --no-deps -e . 2>&1 | grep -v "^WARNING: Location" || true
	@$(PY) -c "import django, unforgotten" && touch $(STAMP)

venv: $(STAMP)

node_modules/.installed: package.json package-lock.json
	@npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	@touch $@

node: node_modules/.installed

# --- publishing (issue 6): translations are compiled here (.po → .mo), never committed ---
messages: venv
	@$(VENV)/bin/unforgotten compilemessages --ignore=.venv --ignore=node_modules --ignore=var --verbosity 0
# --- end publishing ---

deps: system venv node messages

demo: deps
	@mkdir -p var
	@DATABASE_URL=sqlite:///$(DEMO_DB) $(VENV)/bin/unforgotten migrate --verbosity 0
	@DATABASE_URL=sqlite:///$(DEMO_DB) $(VENV)/bin/unforgotten demo-data --seed 1
	@echo "Serving http://127.0.0.1:8000 (Ctrl-C to stop)"
	@DEMO=1 DATABASE_URL=sqlite:///$(DEMO_DB) $(VENV)/bin/unforgotten runserver 127.0.0.1:8000 --noreload

lint: venv
	@$(VENV)/bin/ruff check .

typecheck: venv
	@$(VENV)/bin/mypy unforgotten tests bench

test-sqlite: deps
	@echo "== tests on SQLite =="
	@DATABASE_URL=sqlite:///var/test.sqlite3 $(VENV)/bin/pytest -n 2 $(PYTEST_ARGS)

test-postgres: deps
	@url="$${DATABASE_URL_POSTGRES:-$(PG_URL)}"; \
	if $(PY) scripts/pg_reachable.py "$$url"; then \
		echo "== tests on PostgreSQL =="; \
		DATABASE_URL="$$url" $(VENV)/bin/pytest -n 2 $(PYTEST_ARGS); \
	elif [ "$${REQUIRE_POSTGRES:-0}" = "1" ]; then \
		echo "PostgreSQL is required (REQUIRE_POSTGRES=1) but not reachable at $$url" >&2; exit 1; \
	else \
		echo "== PostgreSQL not reachable at $$url: PostgreSQL run NOT done =="; \
	fi

test: lint typecheck test-sqlite test-postgres

bench: deps
	@$(PY) -m bench.run $(ONLY)

openapi-snapshot: venv
	@$(VENV)/bin/unforgotten openapi-snapshot

clean:
	rm -rf $(VENV) node_modules var/test.sqlite3*
