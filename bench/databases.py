"""A PostgreSQL database of the benchmarks' own: created if missing, emptied, migrated."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from checkin.config import normalise_database_url
from checkin.migrations import upgrade_to_head


def fresh_postgres(url: str) -> str:
    """Create the database named in `url` if missing, replace its tables by the migrations'."""
    url = normalise_database_url(url)
    server, name = url.rsplit("/", 1)
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        if not connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).first():
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    upgrade_to_head(url)
    return url
