# Two front doors: `make run` (analyse the shipped sample) and `make test` (the whole suite).
# Both create .venv themselves, so a fresh clone needs nothing but Python >= 3.11.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
AS_OF  ?= 2025-06-30

.PHONY: run test fuzz check fmt install dev golden docs bench bench-huge backtest clean browser wheel-check

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Byte-compiled once, as a wheel install would: with PYTHONDONTWRITEBYTECODE set, an editable
# install otherwise compiles every module from source on every run (about 0.2 s each time).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	$(BIN)/python -m compileall -q src
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
dev: $(VENV)/.installed-dev

run: install
	$(BIN)/ehcp-timeliness summary sample_data/cases.csv --config sample_data/mapping.toml --as-of $(AS_OF)
	$(BIN)/ehcp-timeliness trend sample_data/cases.csv --config sample_data/mapping.toml --as-of $(AS_OF) --from 2024-07
	mkdir -p test-artifacts
	$(BIN)/ehcp-timeliness report sample_data/cases.csv --config sample_data/board.toml --as-of $(AS_OF) --output test-artifacts/sample_board.html
	@echo "Board pack: test-artifacts/sample_board.html (open it in a browser)"

check: dev
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/lint-imports --no-cache

# On every core (pytest-xdist); a worker that finishes early takes tests from a busy one.
PYTEST_PARALLEL := -n auto --dist worksteal

test: check browser
	$(BIN)/pytest $(PYTEST_PARALLEL)

# The fuzz and oracle property tests with random examples, 20 times each test's budget
# (`make test` tries a third of it); run before each submission. A failure it finds is kept as
# an explicit @example (docs/reliability.md, "Budgets and reproducing").
fuzz: dev
	HYPOTHESIS_PROFILE=fuzz $(BIN)/pytest $(PYTEST_PARALLEL) -m fuzz

# Debian's chromium for the board pack's browser tests, installed only when missing; when it
# cannot be (no root, no apt), those tests skip and say why.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) \
	    >/dev/null 2>&1 || echo "chromium could not be installed: browser tests will skip"; }

# Installed as an analyst would (`pip install .`, no make, not editable): build the wheel,
# install it into a fresh venv and run the sample through its entry point and `python -m`.
WHEEL_VENV := build/wheel-venv
wheel-check: | $(BIN)/python
	rm -rf build/wheel $(WHEEL_VENV)
	$(BIN)/pip wheel --quiet --no-deps --wheel-dir build/wheel .
	$(PYTHON) -m venv $(WHEEL_VENV)
	$(WHEEL_VENV)/bin/pip install --quiet build/wheel/ehcp_timeliness-*.whl
	cd build && wheel-venv/bin/ehcp-timeliness summary ../sample_data/cases.csv \
	  --config ../sample_data/mapping.toml --as-of $(AS_OF) --format json > wheel-summary.json
	cd build && wheel-venv/bin/python -m ehcp_timeliness summary ../sample_data/cases.csv \
	  --config ../sample_data/mapping.toml --as-of $(AS_OF) --format json > wheel-summary-m.json
	cmp build/wheel-summary.json build/wheel-summary-m.json
	cd build && wheel-venv/bin/ehcp-timeliness report ../sample_data/cases.csv \
	  --config ../sample_data/board.toml --as-of $(AS_OF) -o wheel-board.html
	$(WHEEL_VENV)/bin/python -c "import ehcp_timeliness, sys; \
	  sys.exit('editable install found' if 'site-packages' not in ehcp_timeliness.__file__ else 0)"
	@echo "wheel-check: the installed wheel analysed the sample"

# Record a deliberate change of output in tests/golden/ (review the diff before committing).
golden: dev
	UPDATE_GOLDEN=1 $(BIN)/pytest tests/cli/test_sample_golden.py

$(VENV)/.installed-bench: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	touch $@ $(VENV)/.installed-dev $(VENV)/.installed

# Benchmarks (never part of `make test`): every speed and memory target of docs/performance.md,
# as ratios against a bare Polars read and a pandas baseline measured in the same run, one
# table with each figure beside its target. Results in benchmarks/results/latest.json.
bench: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/run_benchmark.py

bench-huge: $(VENV)/.installed-bench
	$(BIN)/python benchmarks/run_benchmark.py --huge

# The year-end forecast replayed at past month ends of the sample and of synthetic exports of
# other shapes (never part of `make test`; about half a minute): its table goes into
# docs/reports.md#backtest.
backtest: dev
	$(BIN)/python scripts/backtest_year_end.py --write-docs

# Regenerate the generated parts of docs/ (the issue-code table).
docs: dev
	$(BIN)/python scripts/write_issue_codes_doc.py

fmt: dev
	$(BIN)/ruff check --fix src tests scripts benchmarks
	$(BIN)/ruff format src tests scripts benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis build dist
