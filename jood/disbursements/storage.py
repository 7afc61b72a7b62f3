"""Disbursement evidence, stored through jood.core.uploads under its own subfolder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jood.core import uploads
from jood.core.uploads import SIGNATURES, UploadError, check, sniff  # noqa: F401 - this feature's storage API

SUBFOLDER = "disbursements"


@dataclass(frozen=True)
class StoredFile:
    original_name: str
    stored_name: str
    content_type: str
    size: int
    sha256: str


def read(upload) -> tuple[str, bytes]:
    """(original name, bytes) of a werkzeug FileStorage, reading at most one byte past the limit."""
    name = (getattr(upload, "filename", "") or "document").rsplit("/", 1)[-1][:200]
    return name, uploads.read_limited(upload.stream)


def save(name: str, data: bytes) -> StoredFile:
    stored = uploads.store(data, SUBFOLDER)
    return StoredFile(name, stored.stored_name, stored.content_type, stored.size, stored.sha256)


def path_of(stored_name: str) -> Path:
    return uploads.stored_path(SUBFOLDER, stored_name)
