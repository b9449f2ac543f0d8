# Lotse: `make help` lists the targets. CI runs `make test` (see .ci/run).
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONHASHSEED := 0

help: ## Show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt scripts/find-python
	@python=$$(scripts/find-python) || exit 1; \
	  echo "Using $$python"; \
	  [ -x $(BIN)/python ] || "$$python" -m venv $(VENV)
	$(BIN)/python -m pip install -q -c constraints.txt -e ".[dev]"
	touch $(STAMP)

venv: $(STAMP) ## Create .venv with Python 3.10 and the pinned dependencies

train: $(STAMP) ## Train the model if anything that shapes it changed (see bot/model_files.py)
	$(BIN)/lotse train

run: train ## Start Rasa, the action server and the gateway (http://localhost:8080)
	$(BIN)/lotse run

lint: $(STAMP) ## Ruff lint and format check
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

validate: $(STAMP) ## Check knowledge files, texts and Rasa training data
	$(BIN)/lotse data check
	$(BIN)/rasa data validate --fail-on-warnings

unit: $(STAMP) ## Unit tests that need no trained model
	$(BIN)/python -m pytest -q -m "not model and not browser"

conversations: train ## Rasa conversation tests (tests/test_*.yml) in all languages
	$(BIN)/lotse test-conversations

postgres: $(STAMP) ## Store, desk, channel and gateway tests again on PostgreSQL (a private server)
	$(BIN)/python -m pytest -q --database postgresql tests/test_store.py tests/test_desk.py tests/test_channels.py tests/test_gateway.py

integration: train ## Tests against the trained model, the real servers and a browser
	$(BIN)/python -m pytest -q -m "model or browser"

test: lint validate unit postgres conversations integration ## Everything CI runs

bench: train ## Benchmark Lotse against a plain `rasa init` bot
	$(BIN)/python bench/gateway_load.py

eval: train ## Language, profession and intent figures (uses ../shared/data; trains 6 more models, about 25 min)
	$(BIN)/python bench/langid.py
	$(BIN)/python bench/evaluate.py
	$(BIN)/python bench/intent_cv.py --folds 3 --repeats 2

clean: ## Remove models, results and runtime data (keeps .venv)
	rm -rf models results var

.PHONY: help venv train run lint validate unit postgres conversations integration test bench eval clean
