"""One-time password reset links that expire (issue #32), with no table to keep them in.

A link carries the account's id and its expiry, signed (HMAC-SHA256, the app's session secret) together with
the account's current password hash. Why the hash: setting a new password changes it, so a link works once
and every older link of the account stops working at the same moment; a link cannot be forged without the
secret, and one past its expiry is refused even though nothing was stored.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import datetime, timedelta

RESET_LINK_HOURS = 24


def make_token(secret: bytes, user_id: int, password_hash: str, expires: datetime) -> str:
    stamp = int(expires.timestamp())
    return f"{user_id}.{stamp}.{_signature(secret, user_id, stamp, password_hash)}"


def token_user(token: str) -> tuple[int, int] | None:
    """The account id and expiry (Unix seconds) a token claims, before its signature is checked."""
    parts = token.split(".") if isinstance(token, str) and len(token) < 200 else []
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    return int(parts[0]), int(parts[1])


def token_valid(secret: bytes, token: str, password_hash: str, now: datetime) -> bool:
    claimed = token_user(token)
    if claimed is None:
        return False
    user_id, stamp = claimed
    expected = _signature(secret, user_id, stamp, password_hash)
    return hmac.compare_digest(token.rsplit(".", 1)[1], expected) and now.timestamp() < stamp


def expiry(now: datetime) -> datetime:
    return now + timedelta(hours=RESET_LINK_HOURS)


def _signature(secret: bytes, user_id: int, stamp: int, password_hash: str) -> str:
    message = f"password-reset|{user_id}|{stamp}|{password_hash}".encode()
    digest = hmac.new(secret, message, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")
