"""Evidence files: the type is read from the file's first bytes (never its name), the size is limited, and the file
is kept under UPLOAD_FOLDER with a random name, served only by a view that checks who is asking."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

SUBFOLDER = "disbursements"
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)


class UploadError(ValueError):
    """``code``: empty, too_large or bad_type."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class StoredFile:
    original_name: str
    stored_name: str
    content_type: str
    size: int
    sha256: str


def sniff(head: bytes) -> tuple[str, str] | None:
    return next(((kind, ext) for magic, kind, ext in SIGNATURES if head.startswith(magic)), None)


def _root() -> Path:
    root = Path(current_app.config["UPLOAD_FOLDER"]) / SUBFOLDER
    root.mkdir(parents=True, exist_ok=True)
    return root


def check(data: bytes) -> tuple[str, str]:
    if not data:
        raise UploadError("empty")
    if len(data) > current_app.config["MAX_UPLOAD_BYTES"]:
        raise UploadError("too_large")
    kind = sniff(data[:16])
    if kind is None:
        raise UploadError("bad_type")
    return kind


def read(upload) -> tuple[str, bytes]:
    """(original name, bytes) of a werkzeug FileStorage, reading at most one byte past the limit."""
    data = upload.stream.read(current_app.config["MAX_UPLOAD_BYTES"] + 1)
    name = (getattr(upload, "filename", "") or "document").rsplit("/", 1)[-1][:200]
    return name, data


def save(name: str, data: bytes) -> StoredFile:
    content_type, extension = check(data)
    stored = f"{secrets.token_hex(16)}.{extension}"
    (_root() / stored).write_bytes(data)
    return StoredFile(name, stored, content_type, len(data), hashlib.sha256(data).hexdigest())


def path_of(stored_name: str) -> Path:
    path = (_root() / stored_name).resolve()
    if path.parent != _root().resolve():
        raise FileNotFoundError(stored_name)
    return path
