"""Case documents, visit photos and charity licences, stored through jood.core.uploads."""

from __future__ import annotations

from jood.core.uploads import SIGNATURES, StoredFile, UploadError, read_limited, sniff, store, stored_path, upload_root  # noqa: F401


def save_upload(stream, subfolder: str) -> StoredFile:
    """Read an uploaded file (a werkzeug FileStorage or any binary stream), check it and keep it."""
    return store(read_limited(stream), subfolder)
