"""Signs, face enrollments, and what each check-in photo showed.

Revision ID: 4484572f6fd9
Revises: 30667e24006b
Create Date: 2026-11-22 02:48:10.756245
"""
from alembic import op
import sqlalchemy as sa


revision = '4484572f6fd9'
down_revision = '30667e24006b'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('face_enrollments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('employee_id', sa.Integer(), nullable=False),
    sa.Column('encoding', sa.LargeBinary(), nullable=False),
    sa.Column('thumbnail_sha256', sa.String(length=64), nullable=False),
    sa.Column('consent_recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('consent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['consent_recorded_by_id'], ['users.id'], name=op.f('fk_face_enrollments_consent_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['employee_id'], ['employees.id'], name=op.f('fk_face_enrollments_employee_id_employees'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_face_enrollments'))
    )
    with op.batch_alter_table('face_enrollments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_face_enrollments_employee_id'), ['employee_id'], unique=False)

    op.create_table('signs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('label', sa.String(length=255), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("kind IN ('printed', 'display')", name=op.f('ck_signs_kind')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_signs_created_by_id_users')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_signs_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signs'))
    )
    with op.batch_alter_table('signs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signs_site_id'), ['site_id'], unique=False)

    # Check-ins recorded before this revision: nothing was checked in their photos.
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.add_column(sa.Column('selfie_phash', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('selfie_face_encoding', sa.LargeBinary(), nullable=True))
        batch_op.add_column(sa.Column('face_checked', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('face_matched', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('face_distance', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('face_count', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('sign_found', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('sign_matched', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('sign_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_checkins_sign_id_signs'), 'signs', ['sign_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_checkins_sign_id_signs'), type_='foreignkey')
        batch_op.drop_column('sign_id')
        batch_op.drop_column('sign_matched')
        batch_op.drop_column('sign_found')
        batch_op.drop_column('face_count')
        batch_op.drop_column('face_distance')
        batch_op.drop_column('face_matched')
        batch_op.drop_column('face_checked')
        batch_op.drop_column('selfie_face_encoding')
        batch_op.drop_column('selfie_phash')

    with op.batch_alter_table('signs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signs_site_id'))

    op.drop_table('signs')
    with op.batch_alter_table('face_enrollments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_face_enrollments_employee_id'))

    op.drop_table('face_enrollments')
