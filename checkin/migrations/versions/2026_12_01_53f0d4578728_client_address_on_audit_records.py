"""client address on audit records

The address a change came from (behind TRUSTED_PROXY_HOPS proxies, the client's, not the proxy's).

Revision ID: 53f0d4578728
Revises: 0649077b0b24
Create Date: 2026-12-01 16:10:45.633135
"""
from alembic import op
import sqlalchemy as sa


revision = '53f0d4578728'
down_revision = '0649077b0b24'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('address', sa.String(length=45), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('audit_records', schema=None) as batch_op:
        batch_op.drop_column('address')

