# investor-qa: `make ask` and `make test` are all a fresh machine needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
Q      ?= How much is Alibaba investing in AI?
PORT   ?= 3000
export Q

.PHONY: ask index serve test lint format clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -e .
	touch $@

# The ray extra too: tests/test_ray_build.py checks a Ray build against a plain one.
$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -e '.[test,ray]'
	touch $@ $(VENV)/.installed

ask: $(VENV)/.installed  ## index corpus/ if needed and answer $(Q)
	$(BIN)/investor-qa ask "$$Q"

index: $(VENV)/.installed
	$(BIN)/investor-qa index

serve: $(VENV)/.installed  ## the Slack bot: Socket Mode if SLACK_APP_TOKEN is set, else HTTP on $(PORT)
	$(BIN)/investor-qa serve --port $(PORT)

test: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest -q

format: $(VENV)/.installed-test
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf .index .pytest_cache .ruff_cache .mypy_cache
