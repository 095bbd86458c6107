"""import keys of punches apart from client event ids

An imported punch was identified by a uuid5 of its row in the client_event_id column, the phones'
idempotency key: an employee who sent that id first made the punch "already present". Punches get
their own key, unique per employee; those imported before keep theirs as their import key, so a
file imported again still adds nothing.

Revision ID: 0649077b0b24
Revises: edba508d9bf9
Create Date: 2026-12-01 15:52:04.337376
"""
from alembic import op
import sqlalchemy as sa


revision = '0649077b0b24'
down_revision = 'edba508d9bf9'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.add_column(sa.Column('import_key', sa.String(length=36), nullable=True))
    op.execute("UPDATE checkins SET import_key = client_event_id WHERE method = 'import'")
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.create_unique_constraint('uq_checkins_employee_import_key', ['employee_id', 'import_key'])


def downgrade() -> None:
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.drop_constraint('uq_checkins_employee_import_key', type_='unique')
        batch_op.drop_column('import_key')
