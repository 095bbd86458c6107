"""checkins: the (employee_id, received_at) index carries status and kind

The salary-step report reads a round's check-ins a few hundred employees at a time through this
index. Check-ins are stored in the order they arrive, so one employee's rows lie all over the
table: looking each up cost more than half of the report's SQL (10,000 employees, a round:
SQLite 10 s -> 4 s; on PostgreSQL every batch re-read the round's pages, 16 s of a 29 s report).
With status and kind in the index the batches never touch the table. The index is rebuilt under
its name, which holds new check-ins back while it builds (seconds per few million rows).

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
    op.drop_index('ix_checkins_employee_received', table_name='checkins')
    op.create_index('ix_checkins_employee_received', 'checkins', ['employee_id', 'received_at', 'status', 'kind'])


def downgrade() -> None:
    op.drop_index('ix_checkins_employee_received', table_name='checkins')
    op.create_index('ix_checkins_employee_received', 'checkins', ['employee_id', 'received_at'])
