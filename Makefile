# The two commands of the README: `make demo` and `make test`. Everything else is set up by them.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: screenshots demo test test-fast test-full bench eval clean bench-scale bench-peer

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	# torch first and pinned: the CPU build lies on this machine's disk; anything else pulls CUDA
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev,engines]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/newsdesk index add samples/archive.jsonl samples/story.jsonl --data-dir data/demo
	$(BIN)/newsdesk index status --data-dir data/demo
	$(BIN)/newsdesk ask "what was reported about Rovno?" --data-dir data/demo

# The whole suite, the slow and data-heavy tests included (CI runs this), but the whole-archive one.
test: $(STAMP)
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -m "not full_archive"

# The regression questions on the whole Reuters archive (indexes it: about 7 minutes; CI runs it too).
test-full: $(STAMP)
	$(BIN)/python -m pytest -m full_archive

# The default quick loop while developing.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not slow"

bench: $(STAMP)
	$(BIN)/python bench/index_and_query.py

eval: $(STAMP)
	$(BIN)/python bench/reuters_eval.py

# Speed and scale (README): encoder backends, the vector layer at 100k/1M/5M, and the plot.
bench-scale: $(STAMP)
	$(BIN)/pip install --quiet -e '.[bench]'
	$(BIN)/python bench/encoders.py
	$(BIN)/python bench/vector_layer.py

# Newsdesk beside txtai. txtai needs transformers >= 5.9 and the ONNX backend < 4.58: its own venv.
PEER := .venv-peer
$(PEER)/.installed:
	test -x $(PEER)/bin/python || $(PYTHON) -m venv $(PEER)
	$(PEER)/bin/pip install --quiet --upgrade pip
	$(PEER)/bin/pip install --quiet torch==2.13.0
	$(PEER)/bin/pip install --quiet "txtai==9.14.0" "sentence-transformers>=5.1,<7"
	touch $(PEER)/.installed

bench-peer: $(STAMP) $(PEER)/.installed
	$(BIN)/python bench/peer_txtai.py --peer-python $(PEER)/bin/python

# Renderings of the bot's messages as a phone shows them, heights and time to "typing…" (docs/phone.md):
# Debian's headless chromium, installed here and not by `make test`.
screenshots: $(STAMP)
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium fonts-liberation fonts-noto-color-emoji)
	$(BIN)/python bench/screenshots.py --out docs/img

clean:
	rm -rf $(VENV) data/demo .pytest_cache
