"""Sealing face encodings before they reach the database. Pure: no Flask, no SQLAlchemy.

Fernet (AES-128-CBC with HMAC-SHA256) from `cryptography`. Keys come from BIOMETRIC_KEYS:
comma-separated Fernet keys, the first seals and any opens (rotation: put the new key first,
run `flask --app wsgi reseal-biometrics`, then drop the old one). Without BIOMETRIC_KEYS a key
is derived from SECRET_KEY, so the embedded default works on a bare machine.
"""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

SEALED_PREFIX = b"gAAAAA"  # every Fernet token: version byte 0x80, base64


def derive_key(secret: str) -> bytes:
    """A Fernet key of its own for face data, derived from the application secret."""
    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"e-timekeeping face encodings"
               ).derive(secret.encode("utf-8"))
    return base64.urlsafe_b64encode(raw)


def make_cipher(biometric_keys: str | None, secret_key: str) -> MultiFernet:
    keys = [key.strip() for key in (biometric_keys or "").split(",") if key.strip()]
    return MultiFernet([Fernet(key) for key in keys] or [Fernet(derive_key(secret_key))])


def is_sealed(blob: bytes) -> bool:
    return bytes(blob[:6]) == SEALED_PREFIX
