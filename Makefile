# Jood: the two commands a newcomer needs are `make run` and `make test`.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
PORT ?= 8000

.PHONY: run dev test install install-dev migrate seed i18n translations lint chromium axe clean help bench cluster cluster-stop chaos

help:
	@echo "make run    - install, migrate, load demo data and serve on http://127.0.0.1:$(PORT)"
	@echo "make test   - install test requirements (and Chromium when root) and run the whole suite"
	@echo "make dev    - like run, with the Flask reloader"
	@echo "make lint   - ruff"
	@echo "make i18n   - extract, update and compile the translation catalogs"
	@echo "make cluster / cluster-stop - the production topology on loopback (HAProxy, 2 app servers, primary + replica)"
	@echo "make chaos  - break the running cluster on purpose and check that no donation is lost or doubled"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Stamp files: reinstall only when a requirements file changes.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Compiled catalogs (.mo) are build output, made from the .po files under version control.
translations: $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d translations -f --statistics 2>&1 | grep -v "^$$" || true

migrate: install translations
	$(FLASK) db upgrade

seed: migrate
	$(FLASK) seed-demo

# Without payment settings of its own, the demo takes payments through Moyasar's local stand-in
# (jood/payments/moyasar_standin.py): a clearly marked TEST page offering mada, Apple Pay and STC Pay; no money moves.
STANDIN_PORT ?= 8001
STANDIN_ENV := PAYMENT_GATEWAYS=moyasar MOYASAR_SECRET_KEY=sk_test_standin \
	MOYASAR_WEBHOOK_SECRET=moyasar-standin-webhook-secret MOYASAR_PUBLISHABLE_KEY=pk_test_standin MOYASAR_API_BASE=http://127.0.0.1:$(STANDIN_PORT)/v1 \
	MOYASAR_CHECKOUT_ORIGIN=http://127.0.0.1:$(STANDIN_PORT)

run: seed
	@if [ -n "$$PAYMENT_GATEWAYS$$MOYASAR_SECRET_KEY$$STRIPE_SECRET_KEY" ]; then \
	  GUNICORN_BIND=127.0.0.1:$(PORT) $(BIN)/gunicorn --config gunicorn.conf.py app:app; \
	else \
	  $(BIN)/python -m jood.payments.moyasar_standin --port $(STANDIN_PORT) & standin=$$!; \
	  trap 'kill $$standin 2>/dev/null' EXIT INT TERM; \
	  $(STANDIN_ENV) GUNICORN_BIND=127.0.0.1:$(PORT) $(BIN)/gunicorn --config gunicorn.conf.py app:app; \
	fi

dev: seed
	$(FLASK) run --debug --port $(PORT)

chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = "0" ]; then \
		echo "Installing Chromium from Debian's packages..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "Chromium is missing and you are not root: the browser tests will be skipped." >&2; \
	fi

# axe-core for the accessibility tests, from the npm registry into a local node_modules (package-lock.json pins it).
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent && touch $@; \
	else echo "npm is missing: the accessibility tests will be skipped." >&2; fi

axe: node_modules/.installed

test: install-dev translations chromium axe
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .

i18n: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-by-file -w 120 -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations -w 120 --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d translations -f

clean:
	rm -rf $(VENV) instance tests/artifacts .pytest_cache .ruff_cache node_modules

bench: install translations
	@command -v wrk >/dev/null || { [ "$$(id -u)" = "0" ] && apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python tools/bench.py $(BENCH_ARGS)

cluster: install translations
	$(BIN)/python tools/cluster.py start

cluster-stop:
	@if [ -x $(BIN)/python ]; then $(BIN)/python tools/cluster.py stop; else python3 tools/cluster.py stop; fi

chaos: install
	$(BIN)/python tools/chaos.py $(CHAOS_ARGS)
