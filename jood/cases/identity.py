"""National IDs at rest: encrypted (Fernet) for the people allowed to read them, and a keyed hash for matching.

Both keys come from one secret: ``NATIONAL_ID_KEY`` when it is set (recommended in production, kept apart from the
session key), else ``SECRET_KEY``. HKDF-SHA256 derives two independent keys from it with distinct ``info`` labels,
so the encryption key and the matching key never equal each other or the secret. The keyed hash (HMAC-SHA256)
lets the platform find the same family applying at two charities without anyone being able to test a guessed ID
offline, as they could against a plain hash of a ten-digit number. Changing the secret makes stored IDs unreadable
and hashes unmatched: rotate it with a re-encryption script, never by simply editing the setting.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

ENCRYPTION_INFO = b"jood/national-id/encryption/v1"
HASH_INFO = b"jood/national-id/keyed-hash/v1"
_SALT = b"jood-national-id"


def _derive(secret: str, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=info).derive(secret.encode())


def _secret() -> str:
    config = current_app.config
    return config.get("NATIONAL_ID_KEY") or config["SECRET_KEY"]


def fernet_for(secret: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive(secret, ENCRYPTION_INFO)))


def hash_with(secret: str, national_id: str) -> str:
    return hmac.new(_derive(secret, HASH_INFO), national_id.encode(), hashlib.sha256).hexdigest()


def encrypt_national_id(national_id: str) -> str:
    return fernet_for(_secret()).encrypt(national_id.encode()).decode()


def decrypt_national_id(token: str) -> str | None:
    try:
        return fernet_for(_secret()).decrypt(token.encode()).decode()
    except InvalidToken:
        return None


def national_id_hash(national_id: str) -> str:
    return hash_with(_secret(), national_id)


def masked(national_id: str | None) -> str:
    """What staff lists show: the last four digits only."""
    return f"••••••{national_id[-4:]}" if national_id else "—"
