"""Uploads: decoded dimensions checked, metadata stripped, and files kept only when their row commits (issue 11)."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from flask import current_app
from PIL import Image

from jood.charities import services as charities
from jood.core import uploads
from jood.extensions import db
from tests.charities.test_charities import application
from tests.conftest import post_form


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 120, 40)).save(out, "PNG")
    return out.getvalue()


def _declaring(png: bytes, width: int, height: int) -> bytes:
    """The same small file, its header rewritten to declare other dimensions (with a valid CRC)."""
    ihdr = png[16:29]
    new = struct.pack(">II", width, height) + ihdr[8:]
    crc = struct.pack(">I", zlib.crc32(b"IHDR" + new) & 0xFFFFFFFF)
    return png[:16] + new + crc + png[33:]


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (10, 90, 160))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (24.0, 42.0, 36.0), 3: "E", 4: (46.0, 40.0, 12.0)}  # GPS IFD: a home in Riyadh
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def _files(folder: str) -> list[Path]:
    root = Path(current_app.config["UPLOAD_FOLDER"]) / folder
    return sorted(root.glob("*")) if root.exists() else []


def test_a_png_declaring_fifty_thousand_pixels_a_side_is_refused(app):
    bomb = _declaring(_png(8, 8), 50_000, 50_000)
    assert uploads.sniff(bomb[:16]) == ("image/png", "png")  # the magic bytes alone would let it through
    with app.test_request_context(), pytest.raises(uploads.UploadError) as refused:
        uploads.check(bomb)
    assert refused.value.code == "bad_image"


def test_a_truncated_image_is_refused(app):
    with app.test_request_context(), pytest.raises(uploads.UploadError):
        uploads.check(_png(40, 40)[:60])


def test_exif_with_gps_is_stripped_and_the_image_kept(app):
    original = _jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)
    with app.test_request_context():
        stored = uploads.store(original, "cases")
        db.session.commit()
        kept = uploads.stored_path("cases", stored.stored_name).read_bytes()
    image = Image.open(io.BytesIO(kept))
    assert image.size == (64, 48) and not image.getexif() and "exif" not in image.info
    assert stored.size == len(kept)


def test_a_stored_file_goes_with_a_rollback_and_stays_with_a_commit(app):
    with app.test_request_context():
        before = set(_files("cases"))
        uploads.store(_png(4, 4), "cases")
        db.session.rollback()
        assert set(_files("cases")) == before
        uploads.store(_png(4, 4), "cases")
        db.session.remove()  # a request that ends without committing
        assert set(_files("cases")) == before
        kept = uploads.store(_png(4, 4), "cases")
        db.session.commit()
        assert {path.name for path in _files("cases")} - {path.name for path in before} == {kept.stored_name}


def test_an_application_that_fails_after_its_licence_is_stored_leaves_no_file(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise charities.CharityError("licence_taken", "licence_number")

    monkeypatch.setattr(charities, "record", refuse)  # fails after the licence was written, before the commit
    before = _files("charities")
    response = post_form(client, "/charities/apply", application(), content_type="multipart/form-data")
    assert response.status_code == 400
    assert _files("charities") == before


def test_an_application_with_an_image_bomb_licence_is_refused_with_a_message(client):
    bomb = _declaring(_png(8, 8), 50_000, 50_000)
    response = post_form(client, "/charities/apply", application(licence_document=(io.BytesIO(bomb), "l.png")),
                         content_type="multipart/form-data", headers={"Accept-Language": "en"})
    assert response.status_code == 400
    assert "too large in pixels" in response.get_data(as_text=True)
