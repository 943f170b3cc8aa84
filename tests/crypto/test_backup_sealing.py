"""A backup file's chunked AES-GCM sealing (bot.backup.sealing), on real files with small chunks so a few
kilobytes make many chunks: it opens back byte for byte, and a flipped byte, a cut, a swapped or moved chunk,
added bytes, another file's name or another key are each refused, naming the file."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from bot.backup import sealing
from bot.backup.manifest import BackupError
from bot.crypto.key_ring import parse_key_ring

RING = parse_key_ring("old1:" + "11" * 32 + ",new2:" + "22" * 32)
CHUNK = 64
NAME = "store.sqlite3.sealed"


def sealed(plain: bytes, key_id: str = "new2", name: str = NAME) -> bytes:
    out = io.BytesIO()
    sealing.seal_stream(io.BytesIO(plain), out, sealing.file_key(RING, key_id), name, chunk=CHUNK)
    return out.getvalue()


def opened(data: bytes, key_id: str = "new2", name: str = NAME) -> bytes:
    cipher = sealing.file_key(RING, key_id)
    return b"".join(sealing.open_stream(io.BytesIO(data), cipher, name, chunk=CHUNK))


def chunks(data: bytes) -> list[bytes]:
    """The length-prefixed records after the magic."""
    records, at = [], len(sealing.MAGIC)
    while at < len(data):
        length = int.from_bytes(data[at : at + 4], "big")
        records.append(data[at : at + 4 + length])
        at += 4 + length
    return records


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 10 * CHUNK, 10 * CHUNK + 7])
def test_a_sealed_file_opens_back_byte_for_byte_whatever_its_length(size: int) -> None:
    plain = os.urandom(size)
    data = sealed(plain)
    assert opened(data) == plain
    assert size < 16 or plain[:16] not in data


def test_the_same_file_seals_differently_each_time_and_holds_no_plain_text() -> None:
    plain = b"Jordan Quillfeather, born 2011-04-05. " * 20
    first, second = sealed(plain), sealed(plain)
    assert first != second
    assert b"Quillfeather" not in first


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda data: data[:-1], "cut short"),
        (lambda data: data[: len(sealing.MAGIC) + sum(map(len, chunks(data)[:3]))], "no final chunk"),
        (lambda data: data + b"\0", "goes on after its final chunk"),
        (lambda data: data[:150] + bytes([data[150] ^ 1]) + data[151:], "chunk 1 does not open"),
        (lambda data: b"NOTSEAL1" + data[8:], "not a sealed backup file"),
    ],
    ids=["truncated", "cut-at-a-chunk", "grown", "flipped-byte", "no-magic"],
)
def test_a_damaged_file_is_refused_naming_it(damage, message: str) -> None:  # type: ignore[no-untyped-def]
    data = sealed(os.urandom(5 * CHUNK + 3))
    with pytest.raises(BackupError, match=message) as refusal:
        opened(damage(data))
    assert NAME in str(refusal.value)


def test_swapped_or_dropped_chunks_are_refused() -> None:
    data = sealed(os.urandom(5 * CHUNK))
    records = chunks(data)
    swapped = sealing.MAGIC + b"".join([records[0], records[2], records[1], *records[3:]])
    with pytest.raises(BackupError, match="chunk 1 does not open"):
        opened(swapped)
    dropped = sealing.MAGIC + b"".join([records[0], *records[2:]])
    with pytest.raises(BackupError, match="chunk 1 does not open"):
        opened(dropped)


def test_a_file_does_not_open_under_another_name_or_another_key() -> None:
    data = sealed(os.urandom(3 * CHUNK))
    with pytest.raises(BackupError, match="chunk 0 does not open"):
        opened(data, name="tracker.sqlite3.sealed")
    with pytest.raises(BackupError, match="chunk 0 does not open"):
        opened(data, key_id="old1")
    assert len(opened(data)) == 3 * CHUNK  # and still opens with the key that sealed it


def test_a_key_the_ring_does_not_list_is_named_in_the_refusal() -> None:
    with pytest.raises(BackupError, match="data key 'gone9', which is not in the key ring \\(old1, new2\\)"):
        sealing.file_key(RING, "gone9")


def test_the_manifest_signature_covers_every_field_and_ignores_only_layout() -> None:
    data = {"format": 2, "files": [{"name": NAME, "bytes": 10}], "key_id": "new2"}
    signature = sealing.sign(RING, "new2", data)
    assert sealing.signature_matches(
        RING, "new2", {"key_id": "new2", "files": data["files"], "format": 2}, signature
    )
    assert not sealing.signature_matches(RING, "new2", {**data, "format": 3}, signature)
    assert not sealing.signature_matches(RING, "old1", data, signature)
    # Its key is not the files' key: each is derived with its own HKDF label.
    assert signature != sealing.file_key(RING, "new2").encrypt(b"\0" * 12, b"", None).hex()


def test_a_large_stream_is_sealed_in_bounded_pieces(tmp_path: Path) -> None:
    """Three full default-size chunks and a bit: every record is at most one chunk plus nonce and tag."""
    source = tmp_path / "big"
    source.write_bytes(os.urandom(3 * sealing.CHUNK_BYTES + 5))
    target = tmp_path / "big.sealed"
    cipher = sealing.file_key(RING, "new2")
    with source.open("rb") as plain, target.open("wb") as out:
        sealing.seal_stream(plain, out, cipher, "big")
    records = chunks(target.read_bytes())
    assert len(records) == 4
    assert max(map(len, records)) == 4 + sealing.NONCE_BYTES + sealing.CHUNK_BYTES + sealing.TAG_BYTES
    sealing.check(target, cipher, "big")
    pieces: list[bytes] = []
    sealing.unseal_into(target, cipher, "big", pieces.append)
    assert b"".join(pieces) == source.read_bytes()
