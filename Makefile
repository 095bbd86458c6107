# `make run`  : set up .venv, migrate, load demo data, serve on http://127.0.0.1:8000 (SQLite + local files)
# `make test` : set up .venv, run the tests on SQLite, then on PostgreSQL at TEST_POSTGRES_URL
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TEST_POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/test
FLASK := $(BIN)/flask --app wsgi

.PHONY: setup setup-dev lock run worker test test-sqlite test-postgres openapi bench quality load-test crash-test image-smoke clean

setup: $(VENV)/.installed
setup-dev: $(VENV)/.installed-dev

# Every package is pinned with its hashes (`make lock` writes the files). face_recognition goes in
# with --no-deps: its declared dependency `dlib` would build from source for ~17 minutes;
# requirements/dlib-bin.txt brings the prebuilt wheel instead.
$(VENV)/.installed: requirements.txt requirements/dlib-bin.txt requirements/face.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt
	$(BIN)/pip install --quiet --no-deps --require-hashes -r requirements/dlib-bin.txt -r requirements/face.txt
	touch $@

# Tests and benchmarks (pytest, selenium, moto, schemathesis, hypothesis, pypdfium2, aiohttp): not in the image.
$(VENV)/.installed-dev: $(VENV)/.installed requirements/dev.txt
	$(BIN)/pip install --quiet --require-hashes -r requirements/dev.txt
	touch $@

# Re-pin after editing a requirements/*.in file: the versions named there, and every indirect
# dependency at the newest version that fits, with hashes (uv in a throw-away environment).
LOCK := --generate-hashes --python-version 3.11 --python-platform x86_64-manylinux_2_28 --quiet
lock:
	$(PYTHON) -m venv /tmp/etk-uv && /tmp/etk-uv/bin/pip install --quiet uv
	/tmp/etk-uv/bin/uv pip compile $(LOCK) requirements/runtime.in -o requirements.txt
	/tmp/etk-uv/bin/uv pip compile $(LOCK) requirements/dev.in -o requirements/dev.txt
	for name in face dlib-bin dlib-source; do \
	  /tmp/etk-uv/bin/uv pip compile $(LOCK) --no-deps requirements/$$name.in -o requirements/$$name.txt || exit 1; \
	done

run: setup
	$(FLASK) init-db
	$(FLASK) load-demo
	$(BIN)/gunicorn --bind 127.0.0.1:8000 --workers 2 --access-logfile - wsgi:app

# Needs REDIS_URL (or CELERY_BROKER_URL) in the environment, like the API processes.
worker: setup
	$(BIN)/celery -A checkin.worker:celery worker --loglevel=INFO --concurrency=$${WORKER_CONCURRENCY:-2}

test: test-sqlite test-postgres

test-sqlite: setup-dev
	$(BIN)/pytest

test-postgres: setup-dev
	TEST_DATABASE_URL=$(TEST_POSTGRES_URL) $(BIN)/pytest

# The API contract as a file (tests/architecture checks the served one against it).
openapi: setup
	$(FLASK) openapi write docs/openapi.json

bench: setup-dev
	$(BIN)/python bench/geofence.py
	$(BIN)/python bench/verify.py
	$(BIN)/python bench/accuracy.py
	$(BIN)/python bench/replay.py
	$(BIN)/python bench/quality.py

# The headline figures alone: honest check-ins accepted without a person, cheats caught.
quality: setup-dev
	$(BIN)/python bench/quality.py

# Loopback only; need PostgreSQL and Redis (bench/load.py, bench/checkin_cpu.py, bench/crash.py say how).
load-test: setup-dev
	$(BIN)/python bench/load.py
	$(BIN)/python bench/checkin_cpu.py

crash-test: setup-dev
	$(BIN)/python bench/crash.py

# The image and the whole system from docker-compose.yml on this machine (podman; README
# "Production"). DLIB=bin by default here: a build of minutes. DLIB=source compiles dlib (~7 min).
DLIB ?= bin
CONTAINER_TOOLS := ../shared/tools/container
image-smoke: setup-dev
	$(CONTAINER_TOOLS)/setup
	$(CONTAINER_TOOLS)/build --format docker --build-arg DLIB=$(DLIB)
	$(CONTAINER_TOOLS)/run-smoke
	PATH=$(CURDIR)/$(BIN):$$PATH $(PYTHON) .ci/compose_smoke.py

clean:
	rm -rf $(VENV) instance
