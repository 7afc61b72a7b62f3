"""Private uploads (case documents, visit photos, licences, disbursement evidence): the type is read from the
file's first bytes (never its name or the browser's Content-Type), the size is limited, and the file is kept under
UPLOAD_FOLDER (outside static/) with a random name, served only by views that check who is asking."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

# Magic bytes of the only types accepted.
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)


class UploadError(ValueError):
    """``code`` is one of: empty, too_large, bad_type."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    content_type: str
    size: int
    sha256: str


def sniff(head: bytes) -> tuple[str, str] | None:
    """(content type, extension) of a file from its first bytes, or None when it is not an accepted type."""
    return next(((kind, ext) for magic, kind, ext in SIGNATURES if head.startswith(magic)), None)


def check(data: bytes) -> tuple[str, str]:
    if not data:
        raise UploadError("empty")
    if len(data) > current_app.config["MAX_UPLOAD_BYTES"]:
        raise UploadError("too_large")
    kind = sniff(data[:16])
    if kind is None:
        raise UploadError("bad_type")
    return kind


def read_limited(stream) -> bytes:
    """Read at most one byte past the limit, so an oversized upload is refused without reading it all."""
    return stream.read(current_app.config["MAX_UPLOAD_BYTES"] + 1)


def upload_root(subfolder: str) -> Path:
    root = Path(current_app.config["UPLOAD_FOLDER"]) / subfolder
    root.mkdir(parents=True, exist_ok=True)
    return root


def store(data: bytes, subfolder: str) -> StoredFile:
    content_type, extension = check(data)
    name = f"{secrets.token_hex(16)}.{extension}"
    (upload_root(subfolder) / name).write_bytes(data)
    return StoredFile(name, content_type, len(data), hashlib.sha256(data).hexdigest())


def stored_path(subfolder: str, stored_name: str) -> Path:
    path = (upload_root(subfolder) / stored_name).resolve()
    if path.parent != upload_root(subfolder).resolve():  # names are ours, but never trust a path
        raise FileNotFoundError(stored_name)
    return path
