from alembic import context
from sqlalchemy import engine_from_config, pool, text

from checkin.config import Config, normalise_database_url
from checkin.database import Base, import_all_models

# Several containers may start at once and each run `init-db`: on PostgreSQL they take turns on
# this advisory lock, and each after the first finds the schema at head. (SQLite: one machine.)
MIGRATION_LOCK_KEY = 0x4554_4B4D  # "ETKM"

import_all_models()

config = context.config
url = config.get_main_option("sqlalchemy.url") or Config.DATABASE_URL
config.set_main_option("sqlalchemy.url", normalise_database_url(url).replace("%", "%%"))


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=Base.metadata,
                      literal_binds=True, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    engine = engine_from_config(config.get_section(config.config_ini_section, {}),
                                prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        locking = connection.dialect.name == "postgresql"
        if locking:  # a session lock: it outlives the commit that ends this statement's transaction
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            connection.commit()
        try:
            # Batch mode lets ALTER-style changes run on SQLite, which cannot alter columns.
            context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
            with context.begin_transaction():
                context.run_migrations()
        finally:
            if locking:
                connection.rollback()  # whatever a failed migration left open
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK_KEY})
                connection.commit()
    engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
