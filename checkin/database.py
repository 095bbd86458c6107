"""SQLAlchemy 2.x wiring: declarative base, engine per app, one session per app context.

Services take the session from `db.session`, flush, and leave the commit to the route.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import TypeVar

from flask import Flask, current_app, g
from sqlalchemy import DateTime, MetaData, create_engine, event
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

# Stable constraint names so Alembic migrations are the same on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


ModelT = TypeVar("ModelT", bound=Base)


class UTCDateTime(TypeDecorator):
    """Aware datetimes in, aware UTC datetimes out, on every backend.

    SQLite has no time zone type and hands back naive values; storing naive UTC there and
    re-attaching UTC on the way out keeps comparisons and serialisation identical.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def get_or_404(model: type[ModelT], row_id: int, label: str) -> ModelT:
    """The row with this primary key, or a 404 naming what was missing."""
    from .errors import NotFound

    row = db.session.get(model, row_id)
    if row is None:
        raise NotFound(f"{label} {row_id} does not exist.")
    return row


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def _configure_sqlite(engine: Engine) -> None:
    """WAL, foreign keys, and BEGIN IMMEDIATE.

    A deferred SQLite transaction that reads and then writes fails at once with "database is
    locked" when another writer committed in between (the busy timeout does not apply), which
    is exactly what concurrent retries of one check-in do. Taking the write lock at BEGIN makes
    writers queue behind the busy timeout instead.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # let SQLAlchemy's BEGIN below take over
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


class Database:
    """Holds nothing itself: the engine and session factory live in `app.extensions`."""

    EXTENSION_KEY = "etk.database"

    def init_app(self, app: Flask) -> None:
        engine = make_engine(app.config["DATABASE_URL"])
        app.extensions[self.EXTENSION_KEY] = sessionmaker(engine, expire_on_commit=False)
        app.teardown_appcontext(self._close_session)

    @property
    def session(self) -> Session:
        if "db_session" not in g:
            g.db_session = current_app.extensions[self.EXTENSION_KEY]()
        return g.db_session

    @property
    def engine(self) -> Engine:
        return current_app.extensions[self.EXTENSION_KEY].kw["bind"]

    @staticmethod
    def _close_session(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            session.close()


db = Database()


def batches(items: list, size: int) -> list[list]:
    """`items` in runs of `size`: an IN list of a few thousand values per statement stays within
    every driver's parameter limit and lets each statement use its index."""
    return [items[start:start + size] for start in range(0, len(items), size)]


def import_all_models() -> None:
    """Import every model module so Base.metadata knows all tables (Alembic, tests)."""
    import geofences.models  # noqa: F401

    from .accounts import models as _accounts  # noqa: F401
    from .audit import models as _audit  # noqa: F401
    from .biometrics import models as _biometrics  # noqa: F401
    from .checkins import models as _checkins  # noqa: F401
    from .org import models as _org  # noqa: F401
    from .reports import models as _reports  # noqa: F401
    from .timekeeping import models as _timekeeping  # noqa: F401
