"""token generations, login failures, purged selfies, sealed face encodings

Face encodings stored before this revision are sealed here with the key the application will
use: run it with the same SECRET_KEY / BIOMETRIC_KEYS in the environment as the app.

Revision ID: edba508d9bf9
Revises: 0a68887b2656
Create Date: 2026-11-22 05:57:39.326567
"""
from alembic import op
import sqlalchemy as sa

from checkin.biometrics.crypto import is_sealed, make_cipher
from checkin.config import Config


revision = 'edba508d9bf9'
down_revision = '0a68887b2656'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('login_failures',
    sa.Column('key', sa.String(length=160), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('last_failed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_failures'))
    )
    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.add_column(sa.Column('selfie_purged_at', sa.DateTime(timezone=True), nullable=True))

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('token_generation', sa.Integer(), server_default='0', nullable=False))
    _reseal(lambda cipher, blob: blob if is_sealed(blob) else cipher.encrypt(blob))



def downgrade() -> None:
    _reseal(lambda cipher, blob: cipher.decrypt(blob) if is_sealed(blob) else blob)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('token_generation')

    with op.batch_alter_table('checkins', schema=None) as batch_op:
        batch_op.drop_column('selfie_purged_at')

    op.drop_table('login_failures')


def _reseal(change) -> None:
    cipher = make_cipher(Config.BIOMETRIC_KEYS, Config.SECRET_KEY)
    connection = op.get_bind()
    for table, column in (("face_enrollments", "encoding"), ("checkins", "selfie_face_encoding")):
        rows = connection.execute(sa.text(f"SELECT id, {column} FROM {table} WHERE {column} IS NOT NULL")).all()
        for row_id, blob in rows:
            connection.execute(sa.text(f"UPDATE {table} SET {column} = :blob WHERE id = :id"),
                               {"blob": change(cipher, bytes(blob)), "id": row_id})
