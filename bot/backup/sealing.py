"""A backup's files sealed with AES-GCM as they are written, and its manifest signed (issues #35, #31).

Without this a backup folder is readable by whoever gets it: names, dates of birth, the audit trail and the
engine's tracker are only sealed column by column in part. Each file is streamed in chunks (bounded memory: a
multi-GB pg_dump is never held whole), every chunk under its own random nonce, with associated data binding it
to the file's name, its index and whether it is the last: a chunk flipped, moved, swapped with another file's,
or a file cut short (no final chunk) or grown (bytes after it) does not open.

Sealed file: MAGIC, then per chunk a 4-byte big-endian length of (nonce + ciphertext + tag), then those bytes.

The keys are derived from the newest data key (BOT_DATA_KEYS) by HKDF-SHA256 with fixed, documented `info`
labels, one for the files and one for the manifest's HMAC: neither is the data key itself, and a backup needs
no secret of its own to configure, keep or lose. The manifest names the data key's id, so any ring that still
lists that key opens the backup after later rotations.
"""

from __future__ import annotations

import hmac as std_hmac
import json
import os
import struct
from collections.abc import Callable, Iterator
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from bot.backup.manifest import BackupError
from bot.crypto.key_ring import KeyRing

MAGIC = b"BOTSEAL1"
CIPHER = "AES-256-GCM, 1 MiB chunks"
CHUNK_BYTES = 1 << 20
NONCE_BYTES = 12
TAG_BYTES = 16
FILE_KEY_INFO = b"bot backup v1 file sealing"  # HKDF info for the files' AES-GCM key (docs/production.md)
MANIFEST_KEY_INFO = b"bot backup v1 manifest signature"  # HKDF info for the manifest's HMAC-SHA256 key
_LENGTH = struct.Struct(">I")


def _derive(ring: KeyRing, key_id: str, info: bytes) -> bytes:
    secret = ring.secret_of(key_id)
    if secret is None:
        raise BackupError(
            f"this backup was sealed with data key {key_id!r}, which is not in the key ring "
            f"({', '.join(ring.key_ids)}): add that key to BOT_DATA_KEYS to restore it; nothing was restored"
        )
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret)


def file_key(ring: KeyRing, key_id: str) -> AESGCM:
    return AESGCM(_derive(ring, key_id, FILE_KEY_INFO))


def canonical(data: dict[str, Any]) -> bytes:
    """The manifest as signed: sorted keys, no spaces, ASCII; so whitespace or order alone never matter."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def sign(ring: KeyRing, key_id: str, data: dict[str, Any]) -> str:
    mac = hmac.HMAC(_derive(ring, key_id, MANIFEST_KEY_INFO), hashes.SHA256())
    mac.update(canonical(data))
    return mac.finalize().hex()


def signature_matches(ring: KeyRing, key_id: str, data: dict[str, Any], signature: str) -> bool:
    return std_hmac.compare_digest(sign(ring, key_id, data), signature.strip())


def _associated(name: str, index: int, final: bool) -> bytes:
    return MAGIC + b"|" + name.encode("utf-8") + b"|" + struct.pack(">QB", index, final)


def seal_stream(
    source: IO[bytes], out: IO[bytes], cipher: AESGCM, name: str, chunk: int = CHUNK_BYTES
) -> None:
    """Read `source` to its end, writing it sealed to `out`; one chunk read ahead, so the last is marked."""
    out.write(MAGIC)
    index, current = 0, _read_full(source, chunk)
    while True:
        following = _read_full(source, chunk)
        final = not following
        nonce = os.urandom(NONCE_BYTES)
        body = nonce + cipher.encrypt(nonce, current, _associated(name, index, final))
        out.write(_LENGTH.pack(len(body)) + body)
        if final:
            return
        index, current = index + 1, following


def open_stream(sealed: IO[bytes], cipher: AESGCM, name: str, chunk: int = CHUNK_BYTES) -> Iterator[bytes]:
    """The plain chunks of a sealed file, each only once it has been authenticated; a BackupError naming
    the file and the chunk when one does not open, the file ends before its final chunk, or goes on after."""
    if sealed.read(len(MAGIC)) != MAGIC:
        raise BackupError(
            f"{name} is not a sealed backup file (its first bytes are wrong); nothing was restored"
        )
    index = 0
    while True:
        head = sealed.read(_LENGTH.size)
        if len(head) < _LENGTH.size:
            raise BackupError(f"{name} ends after chunk {index - 1} with no final chunk: it was cut short")
        (length,) = _LENGTH.unpack(head)
        if not NONCE_BYTES + TAG_BYTES <= length <= NONCE_BYTES + chunk + TAG_BYTES:
            raise BackupError(f"{name}: chunk {index} has an impossible length: the file was changed")
        body = sealed.read(length)
        if len(body) < length:
            raise BackupError(f"{name} ends inside chunk {index}: it was cut short")
        plain, final = _open_chunk(cipher, name, index, body)
        yield plain
        if final:
            if sealed.read(1):
                raise BackupError(f"{name} goes on after its final chunk: bytes were added")
            return
        index += 1


def check(path: os.PathLike[str], cipher: AESGCM, name: str) -> None:
    """Every chunk of the sealed file opens and the file ends where it should: read and discarded, so a
    restore can refuse before it writes anything."""
    with open(path, "rb") as sealed:
        for _plain in open_stream(sealed, cipher, name):
            pass


def unseal_into(path: os.PathLike[str], cipher: AESGCM, name: str, write: Callable[[bytes], Any]) -> None:
    with open(path, "rb") as sealed:
        for plain in open_stream(sealed, cipher, name):
            write(plain)


def _open_chunk(cipher: AESGCM, name: str, index: int, body: bytes) -> tuple[bytes, bool]:
    nonce, sealed = body[:NONCE_BYTES], body[NONCE_BYTES:]
    for final in (False, True):  # the flag is not stored apart: the one that authenticates is the truth
        try:
            return cipher.decrypt(nonce, sealed, _associated(name, index, final)), final
        except InvalidTag:
            continue
    raise BackupError(
        f"{name}: chunk {index} does not open with the backup key: it was changed, moved or swapped, or "
        "the data key is not the one that sealed it; nothing was restored"
    )


def _read_full(source: IO[bytes], size: int) -> bytes:
    """Up to `size` bytes, fewer only at the end (a pipe from pg_dump returns short reads)."""
    parts, wanted = [], size
    while wanted:
        block = source.read(wanted)
        if not block:
            break
        parts.append(block)
        wanted -= len(block)
    return b"".join(parts)
