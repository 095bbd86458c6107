"""Content-addressed blob storage: a blob's name is its sha256, so storing the same bytes twice
is a no-op and a name always means the same content.

Two backends behind one small interface, chosen by STORAGE_BACKEND: `local` (default, files
under STORAGE_DIR) and `s3` (any S3-compatible object store, through boto3).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Protocol

from flask import current_app


class Storage(Protocol):
    def put(self, data: bytes, extension: str) -> str: ...
    def get(self, sha256: str, extension: str) -> bytes: ...
    def exists(self, sha256: str, extension: str) -> bool: ...
    def delete(self, sha256: str, extension: str) -> None: ...


def _key(sha256: str, extension: str) -> str:
    return f"{sha256[:2]}/{sha256[2:4]}/{sha256}.{extension}"


class LocalStorage:
    """Writes go to a temporary file renamed into place: a crash never leaves a partial blob."""

    def __init__(self, root: str | Path):
        self.root = Path(root)

    def path_for(self, sha256: str, extension: str) -> Path:
        return self.root / _key(sha256, extension)

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


class S3Storage:
    """An S3 bucket (AWS, MinIO, Ceph...): a PUT is atomic, so a reader never sees half a blob."""

    def __init__(self, bucket: str, prefix: str = "", endpoint_url: str | None = None, region: str | None = None):
        import boto3

        self.bucket, self.prefix = bucket, prefix
        self.client = boto3.client("s3", endpoint_url=endpoint_url, region_name=region)

    def _name(self, sha256: str, extension: str) -> str:
        return self.prefix + _key(sha256, extension)

    def put(self, data: bytes, extension: str) -> str:
        sha256 = hashlib.sha256(data).hexdigest()
        if not self.exists(sha256, extension):
            self.client.put_object(Bucket=self.bucket, Key=self._name(sha256, extension), Body=data)
        return sha256

    def get(self, sha256: str, extension: str) -> bytes:
        try:
            return self.client.get_object(Bucket=self.bucket, Key=self._name(sha256, extension))["Body"].read()
        except self.client.exceptions.NoSuchKey:
            raise FileNotFoundError(self._name(sha256, extension)) from None

    def exists(self, sha256: str, extension: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=self._name(sha256, extension))
            return True
        except self.client.exceptions.ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise

    def delete(self, sha256: str, extension: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._name(sha256, extension))


def storage_for(config) -> Storage:
    if config.get("STORAGE_BACKEND", "local") == "s3":
        return S3Storage(config["S3_BUCKET"], config.get("S3_PREFIX", ""), config.get("S3_ENDPOINT_URL"),
                         config.get("S3_REGION"))
    return LocalStorage(config["STORAGE_DIR"])


def current_storage() -> Storage:
    """One storage client per app (boto3 clients are thread-safe and worth reusing)."""
    storage = current_app.extensions.get("etk.storage")
    if storage is None:
        storage = current_app.extensions["etk.storage"] = storage_for(current_app.config)
    return storage
