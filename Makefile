# Two commands set up a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
# The CPU build of torch that requirements.lock pins lies here on this project's machines.
WHEELS := $(if $(wildcard /opt/wheels),--find-links /opt/wheels,)
BIN := $(VENV)/bin
DEMO_DB := demo.db

.PHONY: demo test install lint bench clean-demo browser java screenshots

$(BIN)/storylens: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes $(WHEELS) -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(BIN)/storylens

install: $(BIN)/storylens

demo: install
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/storylens ingest examples/sample --manifest examples/sample/manifest.csv --db $(DEMO_DB)
	$(BIN)/storylens articles --db $(DEMO_DB)
	$(BIN)/storylens stories --db $(DEMO_DB)
	$(BIN)/storylens compare --db $(DEMO_DB)
	$(BIN)/storylens outlets import examples/sample/outlets.csv --db $(DEMO_DB)
	$(BIN)/storylens blindspots --by lean --db $(DEMO_DB)
	@echo
	@echo "The store is $(DEMO_DB). Try: $(BIN)/storylens story <id> --db $(DEMO_DB)"
	@echo "or see it in a browser: $(BIN)/storylens serve --db $(DEMO_DB), then open http://127.0.0.1:8000/"

test: install browser java
	$(BIN)/python -m pytest -q

# Debian's chromium for the browser tests (Playwright's own browser download does not work here).
browser:
	@if ! command -v chromium >/dev/null 2>&1; then \
		apt-get install -y -q chromium >/dev/null 2>&1 || \
		{ apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null 2>&1; } || \
		echo "chromium could not be installed: the browser tests will be skipped (outside CI)"; \
	fi

# Java for the Spark engine's tests (a real local Spark session); Debian's headless JRE if missing.
java:
	@if ! command -v java >/dev/null 2>&1 && [ -z "$$JAVA_HOME" ]; then \
		apt-get install -y -q default-jre-headless >/dev/null 2>&1 || \
		{ apt-get update -q >/dev/null 2>&1 && apt-get install -y -q default-jre-headless >/dev/null 2>&1; } || \
		echo "java could not be installed: the Spark tests will be skipped"; \
	fi

screenshots: demo browser
	$(BIN)/python docs/screenshots.py

lint: install
	$(BIN)/ruff check storylens tests bench examples
	$(BIN)/ruff format --check storylens tests bench examples

bench: install
	$(BIN)/python bench/clean.py
	$(BIN)/python bench/extraction.py
	$(BIN)/python bench/stories.py
