"""checkins: tries of a queued photo check that found no stored selfie

Revision ID: e5a7c3d9b214
Revises: ddba0b68945b
Create Date: 2026-12-06 06:40:00.000000
"""
import sqlalchemy as sa
from alembic import op


revision = 'e5a7c3d9b214'
down_revision = 'ddba0b68945b'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('checkins') as batch:
        batch.add_column(sa.Column('verification_tries', sa.Integer(), server_default='0', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('checkins') as batch:
        batch.drop_column('verification_tries')
