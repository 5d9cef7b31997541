# The two commands of the README: `make run` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DB ?= data/film_news.duckdb
INPUT ?= data/raw
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home

.PHONY: install browser run test ui check-defs bench benchmark docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m pip check
	touch $(STAMP)

install: $(STAMP)

# Runs from `make run` and `make ui` share one Dagster instance, so the UI shows the CLI's runs too.
# Its settings (no telemetry; one queued run at a time: DuckDB has one writer) and its storage are made
# here, once, by pipeline/instance.py: `dagster dev` otherwise starts three processes that race to create it.
$(DAGSTER_HOME)/dagster.yaml: $(STAMP) pipeline/instance.py
	@$(BIN)/python -m pipeline.instance
	@touch $@

# Materialize the whole asset graph on the bundled sample articles and print what landed.
run: install $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/film-news run --input $(INPUT) --db $(DB)

# Debian's chromium and chromium-driver drive the browser test of the Dagster UI (no browser
# download: the test uses the system's). Installed here so `make test` works on a fresh machine.
browser:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
	  sudo_cmd=""; [ "$$(id -u)" -ne 0 ] && sudo_cmd="sudo"; \
	  echo "installing Debian's chromium and chromium-driver for the UI test"; \
	  DEBIAN_FRONTEND=noninteractive $$sudo_cmd apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $$sudo_cmd apt-get install -y -q --no-install-recommends chromium chromium-driver; \
	fi

test: install browser
	$(BIN)/python -m pytest -q

# The Dagster UI and the daemon (so the nightly schedule, the sensors and automation run) on
# http://127.0.0.1:3000. `dg dev` finds the project from [tool.dg] in pyproject.toml; VIRTUAL_ENV tells
# it the project's own environment is the active one.
ui: install $(DAGSTER_HOME)/dagster.yaml
	VIRTUAL_ENV=$(CURDIR)/$(VENV) $(BIN)/dg dev --host 127.0.0.1 --port 3000

# Validate the definitions as `dg dev` loads them (assets, checks, jobs, schedules, sensors).
check-defs: install
	VIRTUAL_ENV=$(CURDIR)/$(VENV) $(BIN)/dg check defs

# The whole graph on a synthetic corpus (1,000 and 10,000 articles) beside a bare spaCy pass with one
# and two processes, the cost of a run with nothing or 1% new, and publishing at 100,000 articles.
bench: install
	$(BIN)/python benchmarks/pipeline_benchmark.py
	$(BIN)/python benchmarks/per_article_cost.py

# Every other benchmark: extraction, the NLP stage in one process, sources, reliability, recognizers.
benchmark: install
	$(BIN)/python benchmarks/extraction_benchmark.py
	$(BIN)/python benchmarks/nlp_benchmark.py
	$(BIN)/python benchmarks/sources_benchmark.py
	$(BIN)/python benchmarks/reliability_benchmark.py
	@if [ -d ../shared/eval/film-real-dev ]; then \
	  $(BIN)/python benchmarks/recognizer_report.py --gold ../shared/eval/film-real-dev; fi

# Rewrite docs/DATA_DICTIONARY.md from the Pandera schemas and the SQL models.
docs: install
	$(BIN)/film-news docs

clean:
	rm -rf $(VENV) $(DAGSTER_HOME) $(DB) $(DB).wal $(DB).run-lock
