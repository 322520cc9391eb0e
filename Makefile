# Katchi — one Makefile for developers and CI.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_DB ?= sqlite:///$(CURDIR)/katchi-demo.db
PYTEST_ARGS ?= -q
# Test processes (pytest-xdist); each gets its own SQLite files or PostgreSQL database.
TEST_WORKERS ?= 2

.PHONY: demo test test-sqlite test-postgres lint bench install system clean lock sbom

$(BIN)/katchi: pyproject.toml requirements.lock
	@$(PYTHON) -c 'import ensurepip, sys; assert sys.version_info >= (3, 11)' 2>/dev/null || { \
	  echo "Katchi needs Python 3.11 or newer with venv (Debian: apt-get install python3 python3-venv)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q --require-hashes -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	@touch $@

install: $(BIN)/katchi

# Debian packages the tests need (PostgreSQL, chromium, Pango, fonts-nanum): installed when root.
system:
	scripts/system-deps.sh

demo: $(BIN)/katchi
	KATCHI_DATABASE_URL=$(DEMO_DB) $(BIN)/katchi db upgrade
	KATCHI_DATABASE_URL=$(DEMO_DB) $(BIN)/katchi seed demo
	KATCHI_DATABASE_URL=$(DEMO_DB) BIN=$(BIN) scripts/demo.sh

test: test-sqlite test-postgres

test-sqlite: system $(BIN)/katchi
	$(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

test-postgres: system $(BIN)/katchi
	scripts/with-postgres.sh $(BIN)/pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: $(BIN)/katchi
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(BIN)/katchi
	@command -v wrk >/dev/null || apt-get install -y -q wrk >/dev/null || { echo "bench needs wrk (apt-get install wrk)"; exit 1; }
	$(BIN)/python benchmarks/ingest.py
	$(BIN)/python benchmarks/fanout.py
	$(BIN)/python benchmarks/exercise.py
	$(BIN)/python benchmarks/cop_page.py
	$(BIN)/python benchmarks/people_in_exercise.py
	$(BIN)/python benchmarks/login_flood.py
	$(BIN)/python benchmarks/replay.py
	$(BIN)/python benchmarks/players_in_exercise.py
	$(BIN)/python benchmarks/assignment.py
	$(BIN)/python benchmarks/policies.py
	$(BIN)/python benchmarks/routing.py
	scripts/with-postgres.sh $(BIN)/python benchmarks/search.py
	$(BIN)/python benchmarks/situation.py
	$(BIN)/python benchmarks/sitrep_pdf.py

# The tested dependency set, pinned with hashes (install and CI use it); run after changing pyproject.toml.
lock:
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install -q pip-tools
	.venv-lock/bin/pip-compile -q --generate-hashes --extra dev --strip-extras --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links --output-file requirements.lock pyproject.toml

# A CycloneDX software bill of materials of the installed set (sbom.cdx.json).
sbom: $(BIN)/katchi
	$(BIN)/cyclonedx-py environment --of JSON -o sbom.cdx.json $(BIN)/python
	$(BIN)/python scripts/sbom_summary.py sbom.cdx.json

clean:
	rm -rf $(VENV) .venv-lock katchi-demo.db* sbom.cdx.json .pytest_cache .mypy_cache .ruff_cache
