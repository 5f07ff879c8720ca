# Two commands on a fresh clone with only Python 3.11+: `make demo` and `make test`.
# Both install exactly the versions pinned in requirements/constraints.txt (pyproject.toml keeps the
# ranges a user's `pip install catalogctl` accepts) and check that the venv holds that set and no more.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PINS := requirements/constraints.txt

.PHONY: demo test lint bench clean pins

$(STAMP): pyproject.toml $(PINS)
	$(PYTHON) -m venv --clear $(VENV)
	$(BIN)/python -m pip install --quiet -c $(PINS) pip setuptools wheel
	# the build tools come from the pins too (no isolated build env fetching whatever is newest)
	$(BIN)/python -m pip install --quiet --no-build-isolation -c $(PINS) -e '.[test]'
	$(BIN)/python requirements/verify.py $(PINS)
	touch $(STAMP)

pins: $(STAMP)
	$(BIN)/python requirements/verify.py $(PINS)

demo: $(STAMP)
	bash scripts/demo.sh $(BIN)/catalogctl

lint: $(STAMP)
	$(BIN)/ruff check catalogctl tests bench

test: $(STAMP) pins lint
	$(BIN)/python -m pytest -n auto

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
