"""Private uploads (case documents, visit photos, charity licences): type by content, size limit, random names.

Files live under ``UPLOAD_FOLDER`` (outside ``static/``) and are served only by views that check who is asking.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from pathlib import Path

from flask import current_app

# Magic bytes of the only types accepted; the name and the browser's Content-Type are ignored.
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
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    return None


def upload_root(subfolder: str) -> Path:
    root = Path(current_app.config["UPLOAD_FOLDER"]) / subfolder
    root.mkdir(parents=True, exist_ok=True)
    return root


def save_upload(stream, subfolder: str) -> StoredFile:
    """Read an uploaded file (a werkzeug FileStorage or any binary stream), check it and keep it."""
    limit = current_app.config["MAX_UPLOAD_BYTES"]
    data = stream.read(limit + 1)
    if not data:
        raise UploadError("empty")
    if len(data) > limit:
        raise UploadError("too_large")
    kind = sniff(data[:16])
    if kind is None:
        raise UploadError("bad_type")
    content_type, extension = kind
    name = f"{secrets.token_hex(16)}.{extension}"
    (upload_root(subfolder) / name).write_bytes(data)
    return StoredFile(name, content_type, len(data), hashlib.sha256(data).hexdigest())


def stored_path(subfolder: str, stored_name: str) -> Path:
    path = (upload_root(subfolder) / stored_name).resolve()
    if path.parent != upload_root(subfolder).resolve():  # names are ours, but never trust a path
        raise FileNotFoundError(stored_name)
    return path
