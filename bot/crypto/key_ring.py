"""The data key ring: AES-GCM keys with ids; the newest encrypts, every listed key decrypts (issue #31).

A sealed value is text, so it fits the Text columns it replaces: `enc1:<key id>:<base64 of nonce+ciphertext>`.
`enc1` versions the format, so a later format can be read beside this one. The key id says which key opens
it, so `bot keys rotate` finds the rows still under an old key without opening them. The associated data
binds the value to its table and column: copied into another column (or another table) it does not open.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

FORMAT = "enc1"
PREFIX = f"{FORMAT}:"
NONCE_BYTES = 12
KEY_BYTES = 32
KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")


class KeyRingError(ValueError):
    """A key ring that cannot be built, or a value it cannot open; the message says which and why."""


@dataclass(frozen=True)
class DataKey:
    key_id: str
    secret: bytes

    def __repr__(self) -> str:  # never the secret, in a log or a traceback
        return f"DataKey({self.key_id!r})"


class KeyRing:
    """Keys oldest first; the last one is the newest, which seals every new value."""

    def __init__(self, keys: Sequence[DataKey]) -> None:
        if not keys:
            raise KeyRingError("the data key ring is empty: give at least one key")
        ids = [key.key_id for key in keys]
        if len(set(ids)) != len(ids):
            raise KeyRingError(f"the data key ring names a key id twice: {', '.join(ids)}")
        self._ciphers = {key.key_id: AESGCM(key.secret) for key in keys}
        self._secrets = {key.key_id: key.secret for key in keys}
        # Lookup keys are derived from each data key (HKDF, their own label), never the data key itself: a
        # lookup digest reveals nothing of the key that seals, and needs no secret of its own to configure.
        self._lookup_keys = {key.key_id: _derive_lookup_key(key.secret) for key in keys}
        self._keys = tuple(keys)  # kept only to derive other rings from (derived_keys)
        self.newest_id = keys[-1].key_id
        self.key_ids = tuple(ids)

    def seal(self, plain: str, table: str, column: str) -> str:
        nonce = os.urandom(NONCE_BYTES)
        sealed = self._ciphers[self.newest_id].encrypt(
            nonce, plain.encode("utf-8"), _associated(self.newest_id, table, column)
        )
        return f"{PREFIX}{self.newest_id}:{base64.b64encode(nonce + sealed).decode('ascii')}"

    def open(self, value: str, table: str, column: str) -> str:
        key_id, body = split_sealed(value, f"{table}.{column}")
        cipher = self._ciphers.get(key_id)
        if cipher is None:
            raise KeyRingError(
                f"{table}.{column}: sealed with data key {key_id!r}, which is not in the key ring "
                f"({', '.join(self.key_ids)}); add it to BOT_DATA_KEYS"
            )
        try:
            raw = base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            raise KeyRingError(f"{table}.{column}: the sealed value is not valid base64") from None
        if len(raw) < NONCE_BYTES + 16:
            raise KeyRingError(f"{table}.{column}: the sealed value is too short")
        try:
            plain = cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], _associated(key_id, table, column))
        except InvalidTag:
            raise KeyRingError(
                f"{table}.{column}: the sealed value does not open with key {key_id!r}: it was changed, "
                "or it belongs to another column"
            ) from None
        return plain.decode("utf-8")

    def digest(self, plain: str, table: str, column: str, key_id: str | None = None) -> str:
        """The keyed digest (HMAC-SHA256, hex) a sealed value is looked up by, under the newest key or the
        one named: equal values give equal digests, so a column of them can be compared with `==`."""
        mac = hmac.HMAC(self._lookup_keys[key_id or self.newest_id], hashes.SHA256())
        mac.update(_associated(key_id or self.newest_id, table, column) + b"|" + plain.encode("utf-8"))
        return mac.finalize().hex()

    def digests(self, plain: str, table: str, column: str) -> tuple[str, ...]:
        """The value's digest under every key of the ring: what a lookup matches, so rows not yet rotated
        onto the newest key are still found."""
        return tuple(self.digest(plain, table, column, key_id) for key_id in self.key_ids)

    def secret_of(self, key_id: str) -> bytes | None:
        """A listed key's secret, for keys derived from it under their own HKDF label (backups:
        bot.backup.sealing); None when the ring does not list it."""
        return self._secrets.get(key_id)

    def derived_keys(self, info: bytes) -> tuple[DataKey, ...]:
        """Per key, a key derived from it (HKDF-SHA256 with `info`), under the same id, oldest first: for a
        process that must seal its own data but must not hold a key that opens the store's."""
        return tuple(DataKey(key.key_id, _hkdf(key.secret, info)) for key in self._keys)

    def is_newest(self, value: str) -> bool:
        return value.startswith(f"{PREFIX}{self.newest_id}:")


def split_sealed(value: str, where: str) -> tuple[str, str]:
    """(key id, base64 body) of a sealed value, or a KeyRingError naming `where`."""
    parts = value.split(":", 2)
    if len(parts) != 3 or parts[0] != FORMAT:
        raise KeyRingError(f"{where}: the value is not sealed in the {FORMAT} format")
    return parts[1], parts[2]


def new_key(key_id: str) -> DataKey:
    return DataKey(key_id, AESGCM.generate_key(bit_length=KEY_BYTES * 8))


def parse_key_ring(value: str) -> KeyRing:
    """`id:64 hex digits` entries separated by commas or new lines, oldest first (BOT_DATA_KEYS)."""
    keys = []
    for entry in re.split(r"[,\n]", value):
        entry = entry.strip()
        if not entry:
            continue
        key_id, _, hex_secret = entry.partition(":")
        if not KEY_ID.fullmatch(key_id):
            raise KeyRingError(
                f"BOT_DATA_KEYS: {key_id!r} is not a key id (1-32 letters, digits, - or _ before the colon)"
            )
        try:
            secret = bytes.fromhex(hex_secret.strip())
        except ValueError:
            secret = b""
        if len(secret) != KEY_BYTES:
            raise KeyRingError(
                f"BOT_DATA_KEYS: key {key_id!r} must be {KEY_BYTES} bytes written as 64 hex digits"
            )
        keys.append(DataKey(key_id, secret))
    return KeyRing(keys)


def format_key(key: DataKey) -> str:
    return f"{key.key_id}:{key.secret.hex()}"


def _derive_lookup_key(secret: bytes) -> bytes:
    return _hkdf(secret, b"enc1 lookup digest")


def _hkdf(secret: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=info).derive(secret)


def _associated(key_id: str, table: str, column: str) -> bytes:
    return f"{FORMAT}|{key_id}|{table}|{column}".encode()
