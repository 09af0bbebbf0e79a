# Two commands for a newcomer: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)

.PHONY: run test install migrate demo lint assets bench clean-venv

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py load_essex_plan
	$(BIN)/python manage.py load_published_statistics
	$(BIN)/python manage.py seed_demo_history
	$(BIN)/python manage.py create_demo_accounts
	$(BIN)/python manage.py load_northshire_demo
	$(BIN)/python manage.py create_demo_accounts --plan northshire
	$(BIN)/python manage.py ofsted_inspection E10000012 --plan essex --revisit --confirm \
		--reason "The revisit of 17 May 2022, from Ofsted's file of area SEND inspections"
	$(BIN)/python manage.py record_board_baselines

run: demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Two workers: each has its own test database and live server.
PYTEST_ARGS ?= -n 2

# Installs what the suite needs from the system when it is missing (Chromium), then runs
# the tests even when the linter complains, and fails if either fails.
test: install
	@bash .ci/test-dependencies
	@status=0; \
	$(BIN)/ruff check . || status=1; \
	$(BIN)/python -m pytest $(PYTEST_ARGS) || status=1; \
	exit $$status

lint: install
	$(BIN)/ruff check .

# Rebuilds the committed GOV.UK Frontend CSS/JS; needs Node. `make run` does not.
assets:
	npm ci
	npm run build

bench: install
	$(BIN)/python bench/run.py
	$(BIN)/python bench/import_plan.py
	$(BIN)/python bench/statistics_load.py

clean-venv:
	rm -rf $(VENV)
