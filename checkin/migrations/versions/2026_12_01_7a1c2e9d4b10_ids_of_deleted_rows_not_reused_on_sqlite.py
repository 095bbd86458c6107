"""ids of deleted rows are not reused on SQLite

Enrolled faces are erased and declared holidays withdrawn; without AUTOINCREMENT SQLite gives the
highest deleted id to the next row. PostgreSQL sequences never reuse ids: nothing to do there.

Revision ID: 7a1c2e9d4b10
Revises: 6852a476b441
Create Date: 2026-12-01 16:40:00.000000
"""
from alembic import op


revision = '7a1c2e9d4b10'
down_revision = '6852a476b441'
branch_labels = None
depends_on = None

TABLES = ("face_enrollments", "holidays")


def upgrade() -> None:
    _recreate(autoincrement=True)


def downgrade() -> None:
    _recreate(autoincrement=False)


def _recreate(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES:
        with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}):
            pass
