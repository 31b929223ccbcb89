# Two commands set up a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
# The CPU build of torch that requirements.lock pins lies here on this project's machines.
WHEELS := $(if $(wildcard /opt/wheels),--find-links /opt/wheels,)
BIN := $(VENV)/bin
DEMO_DB := demo.db

.PHONY: demo test install lint bench clean-demo

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
	@echo
	@echo "The store is $(DEMO_DB). Try: $(BIN)/storylens show <id> --db $(DEMO_DB)"

test: install
	$(BIN)/python -m pytest -q

lint: install
	$(BIN)/ruff check storylens tests bench examples
	$(BIN)/ruff format --check storylens tests bench examples

bench: install
	$(BIN)/python bench/clean.py
	$(BIN)/python bench/extraction.py
	$(BIN)/python bench/stories.py
