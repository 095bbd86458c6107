"""Alembic builds the schema from nothing, takes it back down, and matches the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from checkin.database import Base
from checkin.migrations import downgrade_to_base, upgrade_to_head
from checkin.database import import_all_models


def test_migrations_match_the_models(database_url):
    import_all_models()
    engine = create_engine(database_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []


def test_downgrade_to_base_and_upgrade_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade_to_head(url)
    engine = create_engine(url)
    assert {"checkins", "sites", "users", "employees", "org_units"} <= set(inspect(engine).get_table_names())
    downgrade_to_base(url)
    assert set(inspect(engine).get_table_names()) == {"alembic_version"}
    upgrade_to_head(url)
    assert "checkins" in inspect(engine).get_table_names()
    engine.dispose()
