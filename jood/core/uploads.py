"""Private uploads (case documents, visit photos, licences, disbursement evidence): the type is read from the
file's first bytes (never its name or the browser's Content-Type), the size is limited, and the file is kept under
UPLOAD_FOLDER (outside static/) with a random name, served only by views that check who is asking.

Images are decoded (their real dimensions checked, so a tiny file declaring 50,000 x 50,000 pixels is refused) and
re-encoded without their metadata: a phone photo's EXIF can carry the GPS position of a family's home. A stored
file is kept only if the unit of work that stored it commits; on rollback it is removed."""

from __future__ import annotations

import hashlib
import io
import secrets
import warnings
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from PIL import Image, ImageOps
from sqlalchemy import event
from sqlalchemy.orm import Session

from jood.core.errors import DomainError
from jood.extensions import db

MAX_IMAGE_PIXELS = 40_000_000  # a 40-megapixel phone photo; anything larger is no document
MAX_IMAGE_SIDE = 12_000
PENDING_FILES = "jood_pending_uploads"  # session.info key: files written in the current unit of work

# Magic bytes of the only types accepted.
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
)


class UploadError(DomainError):
    """``code`` is one of: empty, too_large, bad_type, bad_image."""


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
    if kind[0].startswith("image/"):
        _decoded_image(data)
    return kind


def _decoded_image(data: bytes) -> Image.Image:
    """The image, fully decoded, or UploadError("bad_image") when its size is absurd or it does not decode."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size  # read from the header, before any pixel is decoded
            if width * height > MAX_IMAGE_PIXELS or max(width, height) > MAX_IMAGE_SIDE:
                raise UploadError("bad_image")
            image.load()
    except UploadError:
        raise
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise UploadError("bad_image") from None
    return image


def without_metadata(data: bytes, extension: str) -> bytes:
    """Re-encode an image with its pixels only: no EXIF (GPS, camera, time), no text chunks."""
    image = ImageOps.exif_transpose(_decoded_image(data))  # keep how the photo was meant to be seen
    out = io.BytesIO()
    if extension == "jpg":
        image.convert("RGB").save(out, "JPEG", quality=90)
    else:
        image.save(out, "PNG", optimize=True)
    return out.getvalue()


def read_limited(stream) -> bytes:
    """Read at most one byte past the limit, so an oversized upload is refused without reading it all."""
    return stream.read(current_app.config["MAX_UPLOAD_BYTES"] + 1)


def upload_root(subfolder: str) -> Path:
    root = Path(current_app.config["UPLOAD_FOLDER"]) / subfolder
    root.mkdir(parents=True, exist_ok=True)
    return root


def store(data: bytes, subfolder: str) -> StoredFile:
    content_type, extension = check(data)
    if content_type.startswith("image/"):
        data = without_metadata(data, extension)
    name = f"{secrets.token_hex(16)}.{extension}"
    path = upload_root(subfolder) / name
    db.session.connection()  # begin the unit of work now, so that its end (commit or not) decides the file's fate
    path.write_bytes(data)
    db.session.info.setdefault(PENDING_FILES, []).append(str(path))
    return StoredFile(name, content_type, len(data), hashlib.sha256(data).hexdigest())


@event.listens_for(Session, "after_commit")
def _keep_committed_files(session: Session) -> None:
    session.info.pop(PENDING_FILES, None)


@event.listens_for(Session, "after_transaction_end")
def _remove_files_of_a_rolled_back_unit(session: Session, transaction) -> None:
    # After a commit the list is already empty; anything still in it belongs to work that was rolled back or
    # abandoned (the request ended without a commit), so no row points at the file.
    if transaction.parent is None and not transaction.nested:
        for name in session.info.pop(PENDING_FILES, []):
            Path(name).unlink(missing_ok=True)


def stored_path(subfolder: str, stored_name: str) -> Path:
    path = (upload_root(subfolder) / stored_name).resolve()
    if path.parent != upload_root(subfolder).resolve():  # names are ours, but never trust a path
        raise FileNotFoundError(stored_name)
    return path
