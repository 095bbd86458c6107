"""Fixtures: one app and schema per test session (built by the real Alembic migrations), every
table emptied after each test, and `make`, a factory that creates rows through the service layer.
Only fixtures live here: what test modules import is in tests/support/.

TEST_DATABASE_URL picks the backend: unset means a temporary SQLite file; `make test` runs the
suite once more with PostgreSQL.
"""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

from checkin import create_app
from checkin.config import normalise_database_url
from checkin.database import Base, db, import_all_models
from checkin.extensions import limiter
from checkin.migrations import upgrade_to_head
from tests.support.factory import Factory
from tests.support.processes import TEST_BIOMETRIC_KEY


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return normalise_database_url(url)
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def _reset_schema(url: str) -> None:
    """Start from an empty database so the migrations, not leftovers, define the schema."""
    if url.startswith("postgresql"):
        engine = create_engine(url)
        try:
            with engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        except OperationalError as error:
            pytest.exit(f"PostgreSQL at TEST_DATABASE_URL={url} is not reachable: {error}", returncode=3)
        finally:
            engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    url = _database_url(tmp_path_factory)
    _reset_schema(url)
    upgrade_to_head(url)
    return url


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    import_all_models()
    app = create_app({
        "TESTING": True,
        "DATABASE_URL": database_url,
        "STORAGE_DIR": str(tmp_path_factory.mktemp("storage")),
        "SECRET_KEY": "test-secret-key-0123456789abcdef0123456789",
        "BIOMETRIC_KEYS": TEST_BIOMETRIC_KEY,
        # A fast hash keeps factories cheap; production uses scrypt.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    })
    return app


@pytest.fixture(autouse=True)
def _clean_database(request):
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    with app.app_context():
        limiter.reset()
        session = db.session
        if session.bind.dialect.name == "postgresql":
            tables = ", ".join(table.name for table in Base.metadata.sorted_tables)
            session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(Base.metadata.sorted_tables):
                session.execute(table.delete())
        session.commit()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make(app) -> Factory:
    return Factory(app)
