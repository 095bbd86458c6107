"""Deferred photo verification of check-ins accepted by GPS.

Revision ID: 04d5d6a9d2cb
Revises: 9ed551be1316
Create Date: 2026-11-22 03:36:45.622267
"""
from alembic import op
import sqlalchemy as sa


revision = '04d5d6a9d2cb'
down_revision = '9ed551be1316'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verification', sa.String(length=8), nullable=True))
        batch_op.create_index(batch_op.f('ix_checkins_verification'), ['verification'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkins_verification'))
        batch_op.drop_column('verification')

