# `make demo` and `make test` work on a fresh machine: they create .venv when missing.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# Spark (the [spark] extra) lives in its own venv: with pyspark importable, GX and pandera import pyspark.pandas.
SPARK_VENV := .venv-spark
SPARK_STAMP := $(SPARK_VENV)/.installed-stamp

.PHONY: demo test test-spark bench bench-spark docs gx-export golden clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[gx,web,test]'
	touch $(STAMP)

$(SPARK_STAMP): pyproject.toml
	test -x $(SPARK_VENV)/bin/python || $(PY) -m venv $(SPARK_VENV)
	$(SPARK_VENV)/bin/python -m pip install -q --upgrade pip
	$(SPARK_VENV)/bin/python -m pip install -q -e '.[spark,gx,test]'
	touch $(SPARK_STAMP)

# Check the bundled reference report (JSON, workbook, and the report itself as text, PDF and Word) and the clean
# examples; write the reports to out/.
demo: $(STAMP)
	mkdir -p out
	$(BIN)/budget-audit check datasets/reference --fail-on never
	$(BIN)/budget-audit check datasets/reference --format json --output out/reference-report.json --fail-on never
	$(BIN)/budget-audit check datasets/reference --format xlsx --output out/reference-findings.xlsx --fail-on never
	$(BIN)/budget-audit check datasets/examples --lang en
	@echo "Reports: out/reference-report.json, out/reference-findings.xlsx"

# The main suite in .venv, then the Spark tests (local mode, Java 17) in .venv-spark; any pytest exit
# other than 0 (5 = nothing collected included) fails.
test: $(STAMP) $(SPARK_STAMP)
	.ci/debian-packages
	$(BIN)/python -m pytest --ignore=tests/spark
	$(MAKE) test-spark

test-spark: $(SPARK_STAMP)
	command -v java >/dev/null || (apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless)
	BUDGET_AUDIT_SPARK_TESTS=1 SPARK_LOCAL_IP=127.0.0.1 $(SPARK_VENV)/bin/python -m pytest tests/spark -W ignore::FutureWarning

bench: $(STAMP)
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/readers.py --baseline 9ab81b9

# Local engine vs Spark local[2] on generated submissions (time, peak driver memory); see benchmarks/spark.py.
bench-spark: $(SPARK_STAMP)
	SPARK_LOCAL_IP=127.0.0.1 $(SPARK_VENV)/bin/python benchmarks/spark.py --n 10000

docs: $(STAMP)
	$(BIN)/budget-audit docs --out docs

# Regenerate the golden snapshot of every finding on the bundled inputs; review the diff of tests/golden/findings.json.
golden: $(STAMP)
	$(BIN)/python -m tests.golden.snapshot --update

gx-export: $(STAMP)
	$(BIN)/budget-audit gx export --root .

clean:
	rm -rf $(VENV) $(SPARK_VENV) out .pytest_cache
