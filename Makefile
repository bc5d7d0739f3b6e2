# Two commands set everything up: `make run` starts the app, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install lint bench clean-index

# torch is installed first, pinned to the CPU wheel that ships with this machine image;
# otherwise sentence-transformers would pull a multi-GB CUDA build. Elsewhere pip falls back to PyPI.
$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: install
	$(PY) app.py

# The retrieval quality gate: nDCG@10 of the full system on the blind test split
# (eval/test_questions.jsonl) must stay above this floor: a little under its figure (0.809 when the
# split was written, 0.831 with the translated commitments, 0.884 with the everyday situations);
# raise it as quality improves, never lower it. The 0.85 of the old split no longer applies: that
# split had been read while coding and is now part of dev.
MIN_NDCG := 0.86

test: install
	HF_HUB_OFFLINE=1 $(PY) -m pytest
	mkdir -p build/eval
	HF_HUB_OFFLINE=1 $(VENV)/bin/gdc-assistant index build -q
	HF_HUB_OFFLINE=1 $(VENV)/bin/gdc-assistant eval --split test --retriever hybrid -q \
		--min-ndcg $(MIN_NDCG) --report build/eval/report.md

lint: install
	$(VENV)/bin/ruff check src tests bench app.py
	$(VENV)/bin/ruff format --check src tests bench app.py

bench: install
	HF_HUB_OFFLINE=1 $(PY) bench/retrieval.py

clean-index:
	rm -rf index/chroma index/manifest.json
