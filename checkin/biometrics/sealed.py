"""A column type that seals bytes with the application's biometric cipher (see crypto.py)."""

from __future__ import annotations

from cryptography.fernet import MultiFernet
from flask import Flask, current_app
from sqlalchemy import LargeBinary
from sqlalchemy.types import TypeDecorator

from .crypto import make_cipher

EXTENSION_KEY = "etk.biometric_cipher"


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION_KEY] = make_cipher(app.config.get("BIOMETRIC_KEYS"), app.config["SECRET_KEY"])


def cipher() -> MultiFernet:
    return current_app.extensions[EXTENSION_KEY]


class SealedBytes(TypeDecorator):
    """Stored as a Fernet token; read back as the original bytes. The database never holds
    a face encoding in the clear."""

    impl = LargeBinary
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else cipher().encrypt(bytes(value))

    def process_result_value(self, value, dialect):
        return None if value is None else cipher().decrypt(bytes(value))
