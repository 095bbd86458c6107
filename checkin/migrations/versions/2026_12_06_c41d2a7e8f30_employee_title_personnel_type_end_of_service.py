"""employees: title, personnel type, end of service with its reason

Revision ID: c41d2a7e8f30
Revises: b3e1f0c2a915
Create Date: 2026-12-06 05:00:00.000000
"""
import sqlalchemy as sa
from alembic import op


revision = 'c41d2a7e8f30'
down_revision = 'b3e1f0c2a915'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('employees') as batch:
        batch.add_column(sa.Column('title_th', sa.String(length=50), nullable=True))
        batch.add_column(sa.Column('personnel_type', sa.String(length=24), server_default='civil_servant',
                                   nullable=False))
        batch.add_column(sa.Column('employment_ended_on', sa.Date(), nullable=True))
        batch.add_column(sa.Column('employment_end_reason', sa.String(length=16), nullable=True))
        batch.create_check_constraint(
            op.f('ck_employees_end_with_reason'), '(employment_ended_on IS NULL) = (employment_end_reason IS NULL)')


def downgrade() -> None:
    with op.batch_alter_table('employees') as batch:
        batch.drop_constraint(op.f('ck_employees_end_with_reason'), type_='check')
        for column in ('employment_end_reason', 'employment_ended_on', 'personnel_type', 'title_th'):
            batch.drop_column(column)
