"""checkins: the (employee_id, received_at) index carries status and kind on PostgreSQL

The salary-step report reads a round's check-ins a few hundred employees at a time through this
index. Check-ins are stored in the order they arrive, so each batch's rows are spread over the
whole round's pages, and every batch would read them all again (16 s of a 29 s report for
10,000 employees); with status and kind in the index, the batch is an index-only scan. SQLite
has no INCLUDE and its table lookups cost little here: nothing changes there. The index is
rebuilt under its name, which holds new check-ins back while it builds (seconds per few million
rows).

Revision ID: ddba0b68945b
Revises: c41d2a7e8f30
Create Date: 2026-12-06 05:20:00.000000
"""
from alembic import op


revision = 'ddba0b68945b'
down_revision = 'c41d2a7e8f30'
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.drop_index('ix_checkins_employee_received', table_name='checkins')
    op.create_index('ix_checkins_employee_received', 'checkins', ['employee_id', 'received_at'],
                    postgresql_include=['status', 'kind'])


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.drop_index('ix_checkins_employee_received', table_name='checkins')
    op.create_index('ix_checkins_employee_received', 'checkins', ['employee_id', 'received_at'])
