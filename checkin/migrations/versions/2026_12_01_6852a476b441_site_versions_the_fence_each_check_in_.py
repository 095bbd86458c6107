"""site versions: the fence each check-in was decided against

Every change of a site's fence becomes a version; a check-in keeps the version its decision used,
and its evidence draws that one. Each site's fence as it stands becomes its version 1, and the
check-ins already decided point at it (what they saw before is not known).

Revision ID: 6852a476b441
Revises: 53f0d4578728
Create Date: 2026-12-01 16:23:04.001252
"""
from alembic import op
import sqlalchemy as sa


revision = '6852a476b441'
down_revision = '53f0d4578728'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('site_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('geometry', sa.JSON(), nullable=False),
    sa.Column('drift_tolerance_m', sa.Float(), nullable=False),
    sa.Column('max_accuracy_m', sa.Float(), nullable=False),
    sa.Column('valid_from', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_site_versions_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site_versions')),
    sa.UniqueConstraint('site_id', 'version', name='uq_site_versions_site_version')
    )
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.add_column(sa.Column('site_version', sa.Integer(), nullable=True))

    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))
    op.execute("INSERT INTO site_versions (site_id, version, code, name, geometry, drift_tolerance_m, max_accuracy_m, "
               "valid_from) SELECT id, 1, code, name, geometry, drift_tolerance_m, max_accuracy_m, created_at FROM sites")
    op.execute("UPDATE checkins SET site_version = 1 WHERE site_id IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.drop_column('site_version')

    op.drop_table('site_versions')
