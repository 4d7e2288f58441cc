# Front doors: `make demo` and `make test`. Both create or reuse .venv and install what they need.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test ontology imports verify clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "dgs-kg needs Python >= 3.10")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## demo: set up, build the bundled ontology, describe it and answer competency questions
demo: $(STAMP)
	$(BIN)/dgs-kg build
	$(BIN)/dgs-kg info
	@$(BIN)/python -c 'import pathlib,subprocess,sys; qs=sorted(pathlib.Path("queries").glob("*.rq"));\
	[subprocess.run([sys.prefix+"/bin/dgs-kg","query",str(q)],check=True) for q in qs[:3]]' 2>/dev/null || true

## test: run the whole test suite (real HermiT, real Oxigraph server, real Chromium)
test: $(STAMP)
	$(BIN)/python -m pytest

## ontology: rebuild the artefacts from ontology/src
ontology: $(STAMP)
	$(BIN)/dgs-kg build

## imports: re-extract the Uberon import module from the committed extracts
imports: $(STAMP)
	$(BIN)/dgs-kg imports

verify: $(STAMP)
	$(BIN)/dgs-kg build --verify

clean:
	rm -rf $(VENV) dist build *.egg-info .pytest_cache
