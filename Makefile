# The two commands of the README: `make demo` and `make test`. Everything else is set up by them.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: demo test test-fast test-all bench eval clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first and pinned: the CPU build lies on this machine's disk; anything else pulls CUDA
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/newsdesk index add samples/archive.jsonl --data-dir data/demo
	$(BIN)/newsdesk index status --data-dir data/demo
	$(BIN)/newsdesk ask "what was reported about Rovno?" --data-dir data/demo

# The whole suite, the slow and data-heavy tests included (CI runs this).
test: $(STAMP)
	$(BIN)/python -m pytest

# The default quick loop while developing.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

bench: $(STAMP)
	$(BIN)/python bench/index_and_query.py

eval: $(STAMP)
	$(BIN)/python bench/reuters_eval.py

clean:
	rm -rf $(VENV) data/demo .pytest_cache
