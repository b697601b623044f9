# `make demo` and `make test` work on a fresh machine: they create .venv when missing.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: demo test bench docs gx-export golden clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[gx,web,test]'
	touch $(STAMP)

# Check the bundled reference report (JSON, workbook, and the report itself as text, PDF and Word) and the clean
# examples; write the reports to out/.
demo: $(STAMP)
	mkdir -p out
	$(BIN)/budget-audit check datasets/reference --fail-on never
	$(BIN)/budget-audit check datasets/reference --format json --output out/reference-report.json --fail-on never
	$(BIN)/budget-audit check datasets/reference --format xlsx --output out/reference-findings.xlsx --fail-on never
	$(BIN)/budget-audit check datasets/examples --lang en
	@echo "Reports: out/reference-report.json, out/reference-findings.xlsx"

test: $(STAMP)
	.ci/debian-packages
	$(BIN)/python -m pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/readers.py --baseline 9ab81b9

docs: $(STAMP)
	$(BIN)/budget-audit docs --out docs

# Regenerate the golden snapshot of every finding on the bundled inputs; review the diff of tests/golden/findings.json.
golden: $(STAMP)
	$(BIN)/python -m tests.golden.snapshot --update

gx-export: $(STAMP)
	$(BIN)/budget-audit gx export --root .

clean:
	rm -rf $(VENV) out .pytest_cache
