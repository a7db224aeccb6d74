"""Where uploads and generated files live: a local folder by default, an S3 bucket at scale.

Keys are relative paths such as ``certificates/2026/AIC-DEV-2026-0004817.pdf``. Callers use
:func:`get_storage` and never build file paths themselves.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path, PurePosixPath
from typing import Protocol

from flask import current_app


class Storage(Protocol):
    def save(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None: ...
    def load(self, key: str) -> bytes: ...
    def exists(self, key: str) -> bool: ...
    def delete(self, key: str) -> None: ...


def _clean_key(key: str) -> str:
    path = PurePosixPath(key)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"unsafe storage key: {key!r}")
    return str(path)


class LocalStorage:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / _clean_key(key)

    def save(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write then rename, so a reader never sees half a file and a crash leaves no torn file.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)

    def load(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def exists(self, key: str) -> bool:
        return self._path(key).exists()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)


class S3Storage:
    """Any S3-compatible bucket (AWS, MinIO, Ceph); needs ``pip install boto3``."""

    def __init__(self, bucket: str, endpoint_url: str | None = None, region: str | None = None) -> None:
        import boto3

        self.bucket = bucket
        self.client = boto3.client("s3", endpoint_url=endpoint_url or None, region_name=region or None)

    def save(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        self.client.put_object(Bucket=self.bucket, Key=_clean_key(key), Body=data, ContentType=content_type)

    def load(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.bucket, Key=_clean_key(key))["Body"].read()

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=_clean_key(key))
        except ClientError:
            return False
        return True

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=_clean_key(key))


def get_storage() -> Storage:
    app = current_app
    storage = app.extensions.get("lms_storage")
    if storage is None:
        if app.config["STORAGE_BACKEND"] == "s3":
            storage = S3Storage(app.config["S3_BUCKET"], app.config["S3_ENDPOINT_URL"], app.config["S3_REGION"])
        else:
            storage = LocalStorage(app.config["FILES_PATH"])
        app.extensions["lms_storage"] = storage
    return storage
