"""Alembic migrations. `upgrade_to_head(url)` is what `flask --app wsgi init-db` and the tests run."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig

MIGRATIONS_DIR = Path(__file__).resolve().parent


def alembic_config(database_url: str) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(rev)s_%%(slug)s")
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade_to_head(database_url: str) -> None:
    command.upgrade(alembic_config(database_url), "head")


def downgrade_to_base(database_url: str) -> None:
    command.downgrade(alembic_config(database_url), "base")


def schema_at_head(database_url: str) -> bool:
    """True when the database exists, answers, and carries the newest migration."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from sqlalchemy import create_engine
    from sqlalchemy.exc import SQLAlchemyError

    head = ScriptDirectory.from_config(alembic_config(database_url)).get_current_head()
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision() == head
    except SQLAlchemyError:
        return False
    finally:
        engine.dispose()


def wait_for_schema(database_url: str, poll_seconds: float = 2.0, say=print) -> None:
    """Block until `init-db` has brought the database to head: a worker that starts before the
    migration (containers start in any order) waits instead of failing on missing tables."""
    import time

    waited = 0.0
    while not schema_at_head(database_url):
        if waited % 30 < poll_seconds:
            say(f"waiting for the database schema (run `flask --app wsgi init-db`); {waited:.0f} s so far")
        time.sleep(poll_seconds)
        waited += poll_seconds
