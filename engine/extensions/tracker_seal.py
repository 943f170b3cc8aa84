"""Sealing the engine's tracker rows at rest (issue #31): every event's `data` and every checkpoint's events.

The engine's tracker store held every typed sentence in plain JSON, in the tracker file, its write-ahead log
and every backup. checkpoint_store.py now seals what it writes with this ring, in the store's own format
(bot/crypto/key_ring.py) so that the app opens it with its own code:

    enc1:<key id>:<base64 of 12-byte nonce + AES-GCM ciphertext>,
    associated data "enc1|<key id>|<table>|<conversation id>"

The conversation id and the table in the associated data mean a row copied into another conversation (or
from `events` into `tracker_checkpoints`) does not open. The keys are BOT_TRACKER_KEYS, `id:64 hex digits`
separated by commas, oldest first; the newest seals, any listed one opens. They are not the store's data keys:
the app derives them from those (bot/crypto/tracker_keys.py), so the engine never holds a key that opens the
store. A value that is not sealed (a row written before this, plain JSON) is returned as it is, so an
existing tracker keeps working; `bot keys rotate` seals those too.

Standard library and `cryptography` only: this runs in the engine's environment and never imports our package.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VARIABLE = "BOT_TRACKER_KEYS"
FORMAT = "enc1"
PREFIX = f"{FORMAT}:"
NONCE_BYTES = 12
KEY_BYTES = 32
KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")


class TrackerSealError(ValueError):
    """Keys that cannot be used, or a sealed value that does not open; the message says which, never a key."""


class TrackerSeal:
    """AES-GCM keys by id, oldest first; the last one seals."""

    def __init__(self, keys: list[tuple[str, bytes]]) -> None:
        if not keys:
            raise TrackerSealError(f"{VARIABLE} is empty: give at least one tracker key")
        self._ciphers = {key_id: AESGCM(secret) for key_id, secret in keys}
        if len(self._ciphers) != len(keys):
            raise TrackerSealError(f"{VARIABLE} names a key id twice")
        self.newest_id = keys[-1][0]
        self.key_ids = tuple(key_id for key_id, _ in keys)

    def seal(self, plain: str, table: str, sender_id: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        body = self._ciphers[self.newest_id].encrypt(
            nonce, plain.encode("utf-8"), associated(self.newest_id, table, sender_id)
        )
        return f"{PREFIX}{self.newest_id}:{base64.b64encode(nonce + body).decode('ascii')}"

    def open(self, value: str, table: str, sender_id: str) -> str:
        """The plain text of a sealed value; a value written before sealing (plain JSON) as it is."""
        if not value.startswith(PREFIX):
            return value
        _, key_id, body = value.split(":", 2)
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise TrackerSealError(
                f"{table} of a conversation is sealed with tracker key {key_id!r}, which is not in "
                f"{VARIABLE} ({', '.join(self.key_ids)})"
            )
        try:
            raw = base64.b64decode(body, validate=True)
            plain = cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], associated(key_id, table, sender_id))
        except (binascii.Error, ValueError, InvalidTag):
            raise TrackerSealError(
                f"{table}: a sealed value does not open with tracker key {key_id!r}: it was changed, or it "
                "belongs to another conversation or table"
            ) from None
        return plain.decode("utf-8")


def associated(key_id: str, table: str, sender_id: str) -> bytes:
    return f"{FORMAT}|{key_id}|{table}|{sender_id}".encode()


def parse_keys(value: str) -> TrackerSeal:
    keys = []
    for entry in re.split(r"[,\n]", value):
        entry = entry.strip()
        if not entry:
            continue
        key_id, _, hex_secret = entry.partition(":")
        try:
            secret = bytes.fromhex(hex_secret.strip())
        except ValueError:
            secret = b""
        if not KEY_ID.fullmatch(key_id) or len(secret) != KEY_BYTES:
            raise TrackerSealError(
                f"{VARIABLE}: each entry must be a key id (1-32 letters, digits, - or _), a colon and "
                f"{KEY_BYTES} bytes as 64 hex digits"
            )
        keys.append((key_id, secret))
    return TrackerSeal(keys)


def seal_from_env(env: Mapping[str, str]) -> TrackerSeal | None:
    """The ring from BOT_TRACKER_KEYS; None when it is unset outside production (rows are then written
    plain, as before); a production engine (BOT_ENV=production) without it is refused."""
    value = env.get(VARIABLE, "").strip()
    if value:
        return parse_keys(value)
    if env.get("BOT_ENV", "").strip() == "production":
        raise TrackerSealError(
            f"a production engine needs {VARIABLE} (bot run derives it from the data keys; a container reads "
            f"{VARIABLE}_FILE, written by `bot keys tracker-keys`): without it every typed sentence would be "
            "kept in plain text in the tracker store"
        )
    return None
