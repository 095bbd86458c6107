"""Content-addressed file storage on local disk: a blob's name is its sha256.

Writes go to a temporary file and are renamed into place, so a crash never leaves a partial
blob under a valid name, and storing the same bytes twice is a no-op.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from flask import current_app


class LocalStorage:
    def __init__(self, root: str | Path):
        self.root = Path(root)

    def path_for(self, sha256: str, extension: str) -> Path:
        return self.root / sha256[:2] / sha256[2:4] / f"{sha256}.{extension}"

    def put(self, data: bytes, extension: str) -> str:
        sha256 = hashlib.sha256(data).hexdigest()
        path = self.path_for(sha256, extension)
        if path.exists():
            return sha256
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
        return sha256

    def get(self, sha256: str, extension: str) -> bytes:
        return self.path_for(sha256, extension).read_bytes()

    def exists(self, sha256: str, extension: str) -> bool:
        return self.path_for(sha256, extension).exists()

    def delete(self, sha256: str, extension: str) -> None:
        self.path_for(sha256, extension).unlink(missing_ok=True)


def current_storage() -> LocalStorage:
    return LocalStorage(current_app.config["STORAGE_DIR"])
