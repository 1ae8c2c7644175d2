# Tahaluf — two commands for a fresh machine:  `make run`  and  `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum pyproject.toml | cut -c1-12)
SEED_VOLUNTEERS ?= 250000
TEST_ENV = set -a; eval "$$(scripts/services.sh env test)"; \
	TAHALUF_JWT_SECRET=$${TAHALUF_JWT_SECRET:-test-jwt-secret-not-for-production}; \
	TAHALUF_ID_SECRET=$${TAHALUF_ID_SECRET:-test-id-secret-not-for-production}; set +a
DEV_ENV = set -a; eval "$$(scripts/services.sh env dev)"; set +a

.PHONY: install services-up services-down test-services-up test-services-down test lint \
	typecheck unit run seed bench clean

install: $(STAMP)
$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev,bench]'
	@rm -f $(VENV)/.installed-*; touch $@

services-up:
	scripts/services.sh up dev
services-down:
	scripts/services.sh down dev
test-services-up:
	scripts/services.sh up test
test-services-down:
	scripts/services.sh down test

lint: install
	$(VENV)/bin/ruff check .
typecheck: install
	$(VENV)/bin/mypy engine

# Pure tests first, then the ones on real Neo4j and Redis, then end to end through GraphQL.
test: install test-services-up lint typecheck
	$(TEST_ENV); $(PY) -m pytest -q -p no:cacheprovider tests/engine
	$(TEST_ENV); $(PY) -m pytest -q -p no:cacheprovider tests --ignore=tests/engine

unit: install
	$(PY) -m pytest -q tests/engine

seed: install services-up
	$(DEV_ENV); $(VENV)/bin/tahaluf seed --volunteers $(SEED_VOLUNTEERS) --seed 1 --if-empty --bulk

run: install services-up seed
	$(DEV_ENV); exec $(VENV)/bin/tahaluf serve

bench: install services-up
	$(PY) -m pip install -q -e '.[dev,bench,timefold]'
	$(DEV_ENV); $(PY) bench/matching.py; $(PY) bench/seed.py

clean: services-down test-services-down
	rm -rf var .cache $(VENV)
