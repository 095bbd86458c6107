"""Work schedules, holidays, leave, exemptions, confirmed absences; hired_on; punches without a selfie.

Revision ID: 9ed551be1316
Revises: 40fd362694c0
Create Date: 2026-11-22 03:15:59.409261
"""
from alembic import op
import sqlalchemy as sa


revision = '9ed551be1316'
down_revision = '40fd362694c0'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('work_schedules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name_th', sa.String(length=255), nullable=False),
    sa.Column('start', sa.Time(), nullable=False),
    sa.Column('end', sa.Time(), nullable=False),
    sa.Column('lunch_start', sa.Time(), nullable=False),
    sa.Column('lunch_end', sa.Time(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_work_schedules')),
    sa.UniqueConstraint('code', name=op.f('uq_work_schedules_code'))
    )
    op.create_table('holidays',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name_th', sa.String(length=255), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['org_units.id'], name=op.f('fk_holidays_unit_id_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holidays')),
    sa.UniqueConstraint('day', 'unit_id', name='uq_holidays_day_unit')
    )
    with op.batch_alter_table('holidays', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_holidays_day'), ['day'], unique=False)

    op.create_table('schedule_overrides',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('start', sa.Time(), nullable=True),
    sa.Column('end', sa.Time(), nullable=True),
    sa.Column('note', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['unit_id'], ['org_units.id'], name=op.f('fk_schedule_overrides_unit_id_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_schedule_overrides'))
    )
    with op.batch_alter_table('schedule_overrides', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_schedule_overrides_day'), ['day'], unique=False)

    op.create_table('exemptions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=255), nullable=False),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_exemptions_employee_id_employees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_exemptions'))
    )
    with op.batch_alter_table('exemptions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exemptions_employee_id'), ['employee_id'], unique=False)

    op.create_table('schedule_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('schedule_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('employee_id', sa.Integer(), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.CheckConstraint('(unit_id IS NULL) != (employee_id IS NULL)', name=op.f('ck_schedule_assignments_target')),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_schedule_assignments_employee_id_employees')),
    sa.ForeignKeyConstraint(['schedule_id'], ['work_schedules.id'], name=op.f('fk_schedule_assignments_schedule_id_work_schedules')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_units.id'], name=op.f('fk_schedule_assignments_unit_id_org_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_schedule_assignments'))
    )
    with op.batch_alter_table('schedule_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_schedule_assignments_employee_id'), ['employee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_schedule_assignments_unit_id'), ['unit_id'], unique=False)

    op.create_table('absence_confirmations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('confirmed_by_id', sa.Integer(), nullable=False),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.ForeignKeyConstraint(['confirmed_by_id'], ['users.id'], name=op.f('fk_absence_confirmations_confirmed_by_id_users')),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_absence_confirmations_employee_id_employees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_absence_confirmations')),
    sa.UniqueConstraint('employee_id', 'day', name='uq_absence_confirmations_employee_day')
    )
    op.create_table('leaves',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('leave_type', sa.String(length=24), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=False),
    sa.Column('end_date', sa.Date(), nullable=False),
    sa.Column('half_day', sa.String(length=2), nullable=True),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("half_day IN ('am', 'pm') OR half_day IS NULL", name=op.f('ck_leaves_half_day')),
    sa.CheckConstraint('end_date >= start_date', name=op.f('ck_leaves_dates')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_leaves_created_by_id_users')),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_leaves_employee_id_employees')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leaves'))
    )
    with op.batch_alter_table('leaves', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_leaves_employee_id'), ['employee_id'], unique=False)

    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.alter_column('selfie_sha256',
               existing_type=sa.VARCHAR(length=64),
               nullable=True)
        batch_op.alter_column('selfie_extension',
               existing_type=sa.VARCHAR(length=8),
               nullable=True)
        batch_op.alter_column('selfie_content_type',
               existing_type=sa.VARCHAR(length=32),
               nullable=True)
        batch_op.alter_column('selfie_bytes',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.alter_column('selfie_width',
               existing_type=sa.INTEGER(),
               nullable=True)
        batch_op.alter_column('selfie_height',
               existing_type=sa.INTEGER(),
               nullable=True)

    with op.batch_alter_table('employees', schema=None) as batch_op:
        batch_op.add_column(sa.Column('hired_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('employees', schema=None) as batch_op:
        batch_op.drop_column('hired_on')

    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.alter_column('selfie_height',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.alter_column('selfie_width',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.alter_column('selfie_bytes',
               existing_type=sa.INTEGER(),
               nullable=False)
        batch_op.alter_column('selfie_content_type',
               existing_type=sa.VARCHAR(length=32),
               nullable=False)
        batch_op.alter_column('selfie_extension',
               existing_type=sa.VARCHAR(length=8),
               nullable=False)
        batch_op.alter_column('selfie_sha256',
               existing_type=sa.VARCHAR(length=64),
               nullable=False)

    with op.batch_alter_table('leaves', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_leaves_employee_id'))

    op.drop_table('leaves')
    op.drop_table('absence_confirmations')
    with op.batch_alter_table('schedule_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_schedule_assignments_unit_id'))
        batch_op.drop_index(batch_op.f('ix_schedule_assignments_employee_id'))

    op.drop_table('schedule_assignments')
    with op.batch_alter_table('exemptions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_exemptions_employee_id'))

    op.drop_table('exemptions')
    with op.batch_alter_table('schedule_overrides', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_schedule_overrides_day'))

    op.drop_table('schedule_overrides')
    with op.batch_alter_table('holidays', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_holidays_day'))

    op.drop_table('holidays')
    op.drop_table('work_schedules')
