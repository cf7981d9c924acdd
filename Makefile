# Two commands: `make run` starts the bot, `make test` runs every test.
# Both create the virtual environment and install what they need on first use.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
# Two stamps: `make run` installs only what running needs; `make test` (and bench, lint…)
# adds the test and benchmark extras (pytest, playwright, hypothesis, matplotlib, igraph…).
STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test
# What mypy checks (pyproject.toml [tool.mypy]): the whole product and its tools, with no
# error; strictly the core, the storage port and its adapters, and the storage contract suite
# (typed against the port alone).
TYPED := bridge botapi_sandbox bench scripts tests/storage/contract tests/storage/backends.py

.PHONY: run playground test typecheck bench lint contract catalogs clean

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found; set PYTHON=...)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[sandbox]'
	@touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[sandbox,test,bench]'
	@touch $(TEST_STAMP)

run: $(STAMP)
	$(BIN)/python -m bridge

# The browser playground even when a BOT_TOKEN is configured (`make run` starts it without one).
playground: $(STAMP)
	$(BIN)/python -m bridge.playground

test: $(TEST_STAMP)
	$(BIN)/ruff check bridge botapi_sandbox tests bench scripts
	$(BIN)/ruff format --check bridge botapi_sandbox tests bench scripts
	$(BIN)/mypy $(TYPED)
	$(BIN)/python -m pytest -n 4

typecheck: $(TEST_STAMP)
	$(BIN)/mypy $(TYPED)

# Benchmarks (not part of `make test`): degrees, inbox, digests, relay; see bench/README.
bench: $(TEST_STAMP)
	$(BIN)/python -m bench

lint: $(TEST_STAMP)
	$(BIN)/ruff check bridge botapi_sandbox tests bench scripts
	$(BIN)/ruff format --check bridge botapi_sandbox tests bench scripts

contract: $(STAMP)
	$(BIN)/python scripts/gen_botapi_contract.py

# The gettext catalogs (bridge/locale): extract the message ids from the templates (babel.cfg),
# merge them into every language's .po, compile the .mo files the bot reads (committed).
# A new language: `make catalogs NEW_LANGUAGE=de`, then translate bridge/locale/de/.../bridge.po
# and run `make catalogs` again.
POT := $(VENV)/bridge.pot
BABEL_LOCALE := -d bridge/locale -D bridge
catalogs: $(STAMP)
	$(BIN)/pybabel -q extract -F babel.cfg -c "Translators:" --strip-comment-tags --add-location=file \
		--sort-by-file --no-wrap --project=bridge --version=0.1.0 -o $(POT) .
	$(if $(NEW_LANGUAGE),$(BIN)/pybabel init -i $(POT) $(BABEL_LOCALE) --no-wrap -l $(NEW_LANGUAGE))
	$(BIN)/pybabel -q update -i $(POT) $(BABEL_LOCALE) --no-wrap --ignore-obsolete \
		--ignore-pot-creation-date
	$(BIN)/pybabel compile $(BABEL_LOCALE) --statistics

clean:
	rm -rf $(VENV)
