# edunet — the commands a newcomer needs: `make demo`, `make check` while editing, `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN     = $(VENV)/bin
INVENTORY ?= inventory.yaml

.PHONY: demo check test lint typecheck pytest pytest-fast bench clean

$(BIN)/edunet: pyproject.toml scripts/bootstrap-system.sh
	sh scripts/bootstrap-system.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev,exporters,dashboards,playbooks,lab,api,infra,spreadsheets,reports]"
	# fake-switches 1.5.0 pins Twisted<17, which no longer builds on Python 3.11: without its pins
	$(BIN)/pip install --quiet --no-deps "fake-switches==1.5.0"
	touch $@

## demo: the sample city simulated here (the lab), watched by the exporters; Ctrl-C ends it
demo: $(BIN)/edunet
	BIN=$(BIN) INVENTORY=$(INVENTORY) sh scripts/demo.sh

## check: the edit–test loop: lint, type checks and the tests not marked slow or integration
check: lint typecheck pytest-fast

## test: lint, type checks and the whole test suite (integration tests included)
test: lint typecheck pytest

lint: $(BIN)/edunet
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(BIN)/edunet
	$(BIN)/mypy edunet exporters monitors dashboards playbooks api infra lab spreadsheets reports

# pytest exits 5 when it collects nothing: that fails here, never passes silently
pytest: $(BIN)/edunet
	$(BIN)/pytest -q

pytest-fast: $(BIN)/edunet
	$(BIN)/pytest -q -m "not slow and not integration"

bench: $(BIN)/edunet
	$(BIN)/python benchmarks/inventory.py
	$(BIN)/python benchmarks/snmp.py
	$(BIN)/python benchmarks/probe.py
	$(BIN)/python -m benchmarks.monitoring
	$(BIN)/python benchmarks/push.py
	$(BIN)/python benchmarks/api.py
	$(BIN)/python benchmarks/diff.py
	$(BIN)/python benchmarks/import_schools.py
	$(BIN)/python benchmarks/discover.py
	$(BIN)/python benchmarks/ansible_inventory.py
	$(BIN)/python benchmarks/rollout.py
	$(BIN)/python benchmarks/report.py
	$(BIN)/python benchmarks/render.py
	$(BIN)/python benchmarks/validate_growth.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache
