"""Containers start together: several `init-db` at once on a fresh database, and a worker that
starts before the schema exists."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from checkin.migrations import schema_at_head
from tests.support.processes import TEST_BIOMETRIC_KEY

REPOSITORY = Path(__file__).resolve().parents[2]


def command_env(database_url: str) -> dict:
    return {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret-key-for-start-up-0123456789",
            "BIOMETRIC_KEYS": TEST_BIOMETRIC_KEY, "REDIS_URL": "", "CELERY_BROKER_URL": ""}


@pytest.fixture
def empty_postgres(database_url):
    """A new, empty PostgreSQL database beside the test one (PostgreSQL runs only)."""
    if not database_url.startswith("postgresql"):
        pytest.skip("advisory locks are PostgreSQL's; SQLite has one writer")
    server, name = database_url.rsplit("/", 1)
    fresh = f"{name}_start"
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{fresh}"'))
    yield f"{server}/{fresh}"
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)'))
    admin.dispose()


def test_three_concurrent_init_db_on_a_fresh_postgresql_all_succeed(empty_postgres):
    starts = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "init-db"], cwd=REPOSITORY,
                               env=command_env(empty_postgres), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True) for _ in range(3)]
    outputs = [(start.wait(timeout=120), start.stdout.read()) for start in starts]
    assert [code for code, _ in outputs] == [0, 0, 0], [output[-800:] for _, output in outputs]
    assert schema_at_head(empty_postgres)


def test_a_worker_started_before_the_migration_waits_for_it(tmp_path):
    url = f"sqlite:///{tmp_path / 'later.db'}"
    worker = subprocess.Popen([sys.executable, "-c", "import checkin.worker; print('worker ready')"], cwd=REPOSITORY,
                              env={**command_env(url), "CELERY_BROKER_URL": "redis://127.0.0.1:1/0"},
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    time.sleep(3)
    assert worker.poll() is None, worker.stdout.read()  # still waiting, not crashed
    migrate = subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "init-db"], cwd=REPOSITORY,
                             env=command_env(url), capture_output=True, text=True, timeout=120)
    assert migrate.returncode == 0, migrate.stdout + migrate.stderr
    assert worker.wait(timeout=30) == 0
    output = worker.stdout.read()
    assert "waiting for the database schema" in output and output.rstrip().endswith("worker ready")


@pytest.mark.parametrize("setting", [{"ENV": "production"}, {"DATABASE_URL": "postgresql://etk@127.0.0.1:1/etk"}])
@pytest.mark.parametrize("missing", ["SECRET_KEY", "BIOMETRIC_KEYS"])
def test_a_deployment_without_its_own_keys_refuses_to_start(tmp_path, setting, missing):
    env = {**command_env(f"sqlite:///{tmp_path / 'x.db'}"), **setting}
    env.pop(missing)
    started = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=REPOSITORY, env=env, capture_output=True,
                             text=True, timeout=60)
    assert started.returncode != 0
    assert f"Refusing to start: set {missing}" in started.stderr


def test_the_demo_on_sqlite_starts_with_the_development_key(tmp_path):
    env = command_env(f"sqlite:///{tmp_path / 'demo.db'}")
    env.pop("SECRET_KEY"), env.pop("BIOMETRIC_KEYS")
    started = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=REPOSITORY, env=env, capture_output=True,
                             text=True, timeout=60)
    assert started.returncode == 0 and "SECRET_KEY is not set" in started.stderr
