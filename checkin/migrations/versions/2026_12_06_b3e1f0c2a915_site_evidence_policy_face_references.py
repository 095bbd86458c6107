"""site evidence policy; face references, face hashes and the fix's time

Sites (and their versions) carry the photo band, the two face tolerances and the sign policy;
check-ins keep when the fix was taken and when the phone sent them, the face tolerance applied, the nearest reference and
the hash of the face (replays); enrolled faces keep the hash of theirs.

Revision ID: b3e1f0c2a915
Revises: 7a1c2e9d4b10
Create Date: 2026-12-06 02:00:00.000000
"""
import sqlalchemy as sa
from alembic import op


revision = 'b3e1f0c2a915'
down_revision = '7a1c2e9d4b10'
branch_labels = None
depends_on = None


def _policy_columns() -> list[sa.Column]:
    return [
        sa.Column('photo_max_distance_m', sa.Float(), server_default='150.0', nullable=False),
        sa.Column('photo_max_radius_m', sa.Float(), server_default='150.0', nullable=False),
        sa.Column('face_tolerance_inside', sa.Float(), server_default='0.6', nullable=False),
        sa.Column('face_tolerance_photo', sa.Float(), server_default='0.45', nullable=False),
        sa.Column('sign_required', sa.String(length=8), server_default='drift', nullable=False),
        sa.Column('display_sign_only', sa.Boolean(), server_default=sa.false(), nullable=False),
    ]


CHECKIN_COLUMNS = ('position_at', 'sent_at', 'face_tolerance', 'face_reference_kind', 'face_reference_id', 'selfie_face_phash')


def upgrade() -> None:
    for table in ('sites', 'site_versions'):
        with op.batch_alter_table(table) as batch:
            for column in _policy_columns():
                batch.add_column(column)
    with op.batch_alter_table('checkins') as batch:
        batch.add_column(sa.Column('position_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('face_tolerance', sa.Float(), nullable=True))
        batch.add_column(sa.Column('face_reference_kind', sa.String(length=8), nullable=True))
        batch.add_column(sa.Column('face_reference_id', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('selfie_face_phash', sa.String(length=16), nullable=True))
    with op.batch_alter_table('face_enrollments') as batch:
        batch.add_column(sa.Column('face_phash', sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('face_enrollments') as batch:
        batch.drop_column('face_phash')
    with op.batch_alter_table('checkins') as batch:
        for name in CHECKIN_COLUMNS:
            batch.drop_column(name)
    for table in ('site_versions', 'sites'):
        with op.batch_alter_table(table) as batch:
            for column in _policy_columns():
                batch.drop_column(column.name)
