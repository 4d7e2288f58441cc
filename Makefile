# Front doors: `make demo` and `make test`. Both create or reuse .venv and install what they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test ontology imports verify check serve educator bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "dgs-kg needs Python >= 3.10")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m compileall -q dgs_kg  # byte-code, as a wheel install has (PYTHONDONTWRITEBYTECODE may be set)
	touch $(STAMP)

## demo: set up, build the bundled ontology, describe it and answer competency questions
demo: $(STAMP)
	$(BIN)/dgs-kg build
	$(BIN)/dgs-kg info
	$(BIN)/dgs-kg query boundaries-of-space --param subject="deep gluteal space"
	$(BIN)/dgs-kg query contents-of-space --param subject="deep gluteal space"
	$(BIN)/dgs-kg query mimics-of --param subject="deep gluteal syndrome"
	$(BIN)/dgs-kg query tests-for-condition --param subject="piriformis syndrome"
	$(BIN)/dgs-kg explore -o build/demo/explorer.html
	@echo "open build/demo/explorer.html in a browser (works offline)"

## test: run the whole test suite (real HermiT, real Oxigraph server, real Chromium)
test: $(STAMP)
	$(BIN)/python -m pytest

## ontology: rebuild the artefacts from ontology/src (and the QC copy of the verified xref IDs)
ontology: $(STAMP)
	$(BIN)/dgs-kg build
	$(BIN)/python -m dgs_kg.qc --refresh-xrefs

## check: reasoning, justifications, profile and QC on the bundled ontology
check: $(STAMP)
	$(BIN)/dgs-kg check

## serve: local read-only SPARQL endpoint with a query page on http://127.0.0.1:7878/
serve: $(STAMP)
	$(BIN)/dgs-kg serve

## educator: the offline explorer, the schematic and the reference site into build/educator/
educator: $(STAMP)
	$(BIN)/dgs-kg explore -o build/educator/explorer.html
	$(BIN)/dgs-kg diagram "deep gluteal space" --schematic --highlight "ischiofemoral impingement" -o build/educator/deep-gluteal-space.svg
	$(BIN)/dgs-kg docs -o build/educator/site

## bench: side-by-side benchmarks (about 10 minutes); writes benchmarks/results.md
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

## imports: re-extract the Uberon import module from the committed extracts
imports: $(STAMP)
	$(BIN)/dgs-kg imports

verify: $(STAMP)
	$(BIN)/dgs-kg build --verify

clean:
	rm -rf $(VENV) dist build *.egg-info .pytest_cache
