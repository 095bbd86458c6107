"""Initial schema: units, employees, users, sites and their assignments, check-ins.

Revision ID: 30667e24006b
Revises: 
Create Date: 2026-11-22 02:33:12.024268
"""
from alembic import op
import sqlalchemy as sa


revision = '30667e24006b'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('org_units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name_th', sa.String(length=255), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['org_units.id'], name=op.f('fk_org_units_parent_id_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_units')),
    sa.UniqueConstraint('code', name=op.f('uq_org_units_code'))
    )
    with op.batch_alter_table('org_units', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_org_units_parent_id'), ['parent_id'], unique=False)

    op.create_table('sites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('geometry', sa.JSON(), nullable=False),
    sa.Column('drift_tolerance_m', sa.Float(), nullable=False),
    sa.Column('max_accuracy_m', sa.Float(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('archived_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sites')),
    sa.UniqueConstraint('code', name=op.f('uq_sites_code'))
    )
    op.create_table('employees',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('first_name_th', sa.String(length=100), nullable=False),
    sa.Column('last_name_th', sa.String(length=100), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.String(length=200), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['org_units.id'], name=op.f('fk_employees_unit_id_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_employees')),
    sa.UniqueConstraint('code', name=op.f('uq_employees_code'))
    )
    with op.batch_alter_table('employees', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_employees_unit_id'), ['unit_id'], unique=False)

    op.create_table('unit_sites',
    sa.Column('unit_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_unit_sites_site_id_sites'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['org_units.id'], name=op.f('fk_unit_sites_unit_id_org_units'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('unit_id', 'site_id', name=op.f('pk_unit_sites'))
    )
    op.create_table('checkins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('client_event_id', sa.String(length=36), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=3), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('method', sa.String(length=16), nullable=True),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('distance_m', sa.Float(), nullable=True),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('accuracy_m', sa.Float(), nullable=True),
    sa.Column('accuracy_confidence', sa.Integer(), nullable=False),
    sa.Column('mock_location', sa.Boolean(), nullable=True),
    sa.Column('device_id', sa.String(length=128), nullable=True),
    sa.Column('captured_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('selfie_sha256', sa.String(length=64), nullable=False),
    sa.Column('selfie_extension', sa.String(length=8), nullable=False),
    sa.Column('selfie_content_type', sa.String(length=32), nullable=False),
    sa.Column('selfie_bytes', sa.Integer(), nullable=False),
    sa.Column('selfie_width', sa.Integer(), nullable=False),
    sa.Column('selfie_height', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('in', 'out')", name=op.f('ck_checkins_kind')),
    sa.CheckConstraint("status IN ('accepted', 'flagged', 'rejected')", name=op.f('ck_checkins_status')),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_checkins_employee_id_employees')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_checkins_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_checkins')),
    sa.UniqueConstraint('client_event_id', name=op.f('uq_checkins_client_event_id'))
    )
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.create_index('ix_checkins_employee_received', ['employee_id', 'received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_checkins_received_at'), ['received_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_checkins_selfie_sha256'), ['selfie_sha256'], unique=False)
        batch_op.create_index(batch_op.f('ix_checkins_status'), ['status'], unique=False)

    op.create_table('employee_sites',
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_employee_sites_employee_id_employees'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_employee_sites_site_id_sites'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('employee_id', 'site_id', name=op.f('pk_employee_sites'))
    )
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("role IN ('admin', 'hr', 'supervisor', 'employee')", name=op.f('ck_users_role')),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_users_employee_id_employees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('employee_id', name=op.f('uq_users_employee_id')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )


def downgrade() -> None:
    op.drop_table('users')
    op.drop_table('employee_sites')
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_checkins_status'))
        batch_op.drop_index(batch_op.f('ix_checkins_selfie_sha256'))
        batch_op.drop_index(batch_op.f('ix_checkins_received_at'))
        batch_op.drop_index('ix_checkins_employee_received')

    op.drop_table('checkins')
    op.drop_table('unit_sites')
    with op.batch_alter_table('employees', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_employees_unit_id'))

    op.drop_table('employees')
    op.drop_table('sites')
    with op.batch_alter_table('org_units', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_org_units_parent_id'))

    op.drop_table('org_units')
