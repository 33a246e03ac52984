# scorer: every target documents itself; `make help` lists them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install demo test test-fast lint eval-dev rules-check models bench clean

help: ## List the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-12s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "error: Python >= 3.11 needed (set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install scorer with its dev tools

demo: install ## Install, then print the report of the bundled sample article
	$(BIN)/scorer report data/articles/24brussels-ukraine-guarantees.txt --outlet 24brussels.net

test: install ## Install, then run the whole test suite (needs ../shared/data for the data tests)
	$(BIN)/python -m pytest -q

test-fast: install ## Tests that do not read ../shared/data
	$(BIN)/python -m pytest -q -m "not shared_data"

lint: install ## ruff and mypy
	$(BIN)/ruff check scorer tests
	$(BIN)/mypy scorer

eval-dev: install ## PolNeAR dev attribution spans and the labelled dev claims
	$(BIN)/scorer evaluate --split dev --corpus all

rules-check: install ## Validate every rule and model file
	$(BIN)/scorer rules check

# OpenBLAS picks its kernels by CPU (Haswell, SkylakeX, ...), its blocking by cache size and its sums by
# thread count, and each rounds a weight differently in its 10th digit: pinned, a refit writes the same
# files on any x86-64 machine (scorer.training.REPRODUCIBLE_BLAS; tests/test_training.py checks one).
models: export OPENBLAS_CORETYPE := Haswell
models: export OPENBLAS_NUM_THREADS := 1
models: export OPENBLAS_L2_SIZE := 512
models: install ## Refit every learned model from the train splits, upstream first (~15 min)
	$(BIN)/scorer train-attribution
	$(BIN)/scorer train-wiki-hedges
	$(BIN)/scorer train-hedges
	$(BIN)/scorer train-stance
	$(BIN)/scorer train-veracity
	$(BIN)/scorer train-context
	$(BIN)/scorer train-contested
	$(BIN)/scorer train data/labels/claims.csv

bench: install ## Batch speed and memory, 4 rows side by side (BENCH_MB=50; corpus in bench-out/)
	$(BIN)/python tools/bench.py --mb $(or $(BENCH_MB),50)

clean: ## Remove the virtual environment and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis build *.egg-info
