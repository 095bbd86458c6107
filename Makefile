# `make run`  : set up .venv, migrate, load demo data, serve on http://127.0.0.1:8000 (SQLite + local files)
# `make test` : set up .venv, run the tests on SQLite, then on PostgreSQL at TEST_POSTGRES_URL
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/test
FLASK := $(BIN)/flask --app wsgi

.PHONY: setup run worker test test-sqlite test-postgres openapi bench quality load-test crash-test clean

setup: $(VENV)/.installed

# face_recognition goes in with --no-deps: its declared dependency `dlib` would build from
# source for ~17 minutes; requirements.txt brings the prebuilt dlib-bin wheel instead.
$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps face_recognition==1.3.0
	touch $@

run: setup
	$(FLASK) init-db
	$(FLASK) load-demo
	$(BIN)/gunicorn --bind 127.0.0.1:8000 --workers 2 --access-logfile - wsgi:app

# Needs REDIS_URL (or CELERY_BROKER_URL) in the environment, like the API processes.
worker: setup
	$(BIN)/celery -A checkin.worker:celery worker --loglevel=INFO --concurrency=$${WORKER_CONCURRENCY:-2}

test: test-sqlite test-postgres

test-sqlite: setup
	$(BIN)/pytest

test-postgres: setup
	TEST_DATABASE_URL=$(TEST_POSTGRES_URL) $(BIN)/pytest

# The API contract as a file (tests/architecture checks the served one against it).
openapi: setup
	$(FLASK) openapi write docs/openapi.json

bench: setup
	$(BIN)/python bench/geofence.py
	$(BIN)/python bench/verify.py
	$(BIN)/python bench/accuracy.py
	$(BIN)/python bench/replay.py
	$(BIN)/python bench/quality.py

# The headline figures alone: honest check-ins accepted without a person, cheats caught.
quality: setup
	$(BIN)/python bench/quality.py

# Loopback only; need PostgreSQL and Redis (bench/load.py, bench/checkin_cpu.py, bench/crash.py say how).
load-test: setup
	$(BIN)/python bench/load.py
	$(BIN)/python bench/checkin_cpu.py

crash-test: setup
	$(BIN)/python bench/crash.py

clean:
	rm -rf $(VENV) instance
