"""The manifest beside a backup's files: what each file is, its size and SHA-256, the schema's revision,
and (format 2) the id of the data key its files are sealed and it is signed with (bot.backup.sealing).

Restore reads the manifest first and checks every file it names before it changes anything, so a file cut
short, altered or swapped since the backup is refused, naming the file. Format 1 is a backup made before
backups were sealed: plain copies and no signature.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

MANIFEST = "manifest.json"
SIGNATURE = "manifest.sig"  # HMAC-SHA256 of the manifest's canonical JSON, in hex
FORMAT = 2
UNSEALED_FORMAT = 1
FILE_MODE = 0o600
FOLDER_MODE = 0o700
ROLES = ("store", "tracker")
BACKENDS = ("sqlite", "postgresql")


class BackupError(Exception):
    """A backup or restore refused or failed: one line saying why. Nothing was changed by a restore."""


@dataclass(frozen=True)
class BackedUpFile:
    name: str  # a plain file name inside the backup folder
    role: str  # "store" or "tracker"
    bytes: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    created: str  # UTC, ISO 8601
    product_version: str
    backend: str  # the store's: "sqlite" or "postgresql"
    alembic_revision: str | None
    files: tuple[BackedUpFile, ...]
    key_id: str | None = None  # the data key the files are sealed with; None in an unsealed (format 1) one
    cipher: str | None = None
    format: int = FORMAT

    def file_for(self, role: str) -> BackedUpFile | None:
        return next((item for item in self.files if item.role == role), None)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def describe(folder: Path, name: str, role: str) -> BackedUpFile:
    path = folder / name
    return BackedUpFile(name=name, role=role, bytes=path.stat().st_size, sha256=sha256_of(path))


def as_data(manifest: Manifest) -> dict[str, Any]:
    """The manifest as the JSON it is written as (and signed as: bot.backup.sealing.canonical)."""
    return json.loads(json.dumps(asdict(manifest)))


def write(folder: Path, data: dict[str, Any], signature: str) -> Path:
    """The signature first, the manifest last: a folder without a manifest is a backup that did not finish."""
    write_private(folder / SIGNATURE, (signature + "\n").encode("ascii"))
    path = folder / MANIFEST
    write_private(path, (json.dumps(data, indent=2, sort_keys=True) + "\n").encode())
    return path


def write_private(path: Path, content: bytes) -> None:
    """A new file, 0600 whatever the umask; never over an existing one."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    with open(descriptor, "wb") as file:
        os.fchmod(descriptor, FILE_MODE)
        file.write(content)


def read_data(folder: Path) -> dict[str, Any]:
    """The manifest's JSON object, not yet trusted: its signature is checked before `parse` reads it."""
    path = folder / MANIFEST
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(f"{path} not found: {folder} is not a backup made by `bot db backup`") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(f"{path} cannot be read as a manifest: {error}") from None
    if not isinstance(data, dict) or data.get("format") not in (FORMAT, UNSEALED_FORMAT):
        raise BackupError(f"{path}: unknown manifest format (this version reads formats 1 and {FORMAT})")
    return data


def read_signature(folder: Path) -> str:
    try:
        return (folder / SIGNATURE).read_text(encoding="ascii").strip()
    except FileNotFoundError:
        raise BackupError(
            f"{folder / MANIFEST} is not signed ({SIGNATURE} is missing): it cannot be trusted; nothing "
            "was restored"
        ) from None
    except (OSError, UnicodeDecodeError) as error:
        raise BackupError(f"{folder / SIGNATURE} cannot be read: {error}; nothing was restored") from None


def parse(folder: Path, data: dict[str, Any]) -> Manifest:
    """The manifest, strictly: anything missing or of the wrong kind is refused, naming the field."""
    path = folder / MANIFEST
    backend = _field(data, "backend", str, path)
    if backend not in BACKENDS:
        raise BackupError(f"{path}: backend must be one of {', '.join(BACKENDS)}, not {backend!r}")
    revision = data.get("alembic_revision")
    if revision is not None and not isinstance(revision, str):
        raise BackupError(f"{path}: alembic_revision must be text")
    files = tuple(_file(item, path) for item in _field(data, "files", list, path))
    if sorted(item.role for item in files) not in (["store"], ["store", "tracker"]):
        raise BackupError(f"{path}: files must hold one store file and at most one tracker file")
    sealed = data["format"] == FORMAT
    return Manifest(
        created=_field(data, "created", str, path),
        product_version=_field(data, "product_version", str, path),
        backend=backend,
        alembic_revision=revision,
        files=files,
        key_id=_field(data, "key_id", str, path) if sealed else None,
        cipher=_field(data, "cipher", str, path) if sealed else None,
        format=data["format"],
    )


def verify(folder: Path, manifest: Manifest) -> None:
    """Every file the manifest names is there, a regular file, with its size and SHA-256."""
    for item in manifest.files:
        path = folder / item.name
        if not path.is_file() or path.is_symlink():
            raise BackupError(f"{path} is missing (named in {MANIFEST}): the backup is incomplete")
        size = path.stat().st_size
        if size != item.bytes:
            raise BackupError(
                f"{path} is {size} bytes, the manifest says {item.bytes}: the file was changed or cut short"
            )
        actual = sha256_of(path)
        if actual != item.sha256:
            raise BackupError(
                f"{path}: SHA-256 {actual} does not match the manifest's {item.sha256}: the file was changed "
                "since the backup; nothing was restored"
            )


def _file(item: Any, path: Path) -> BackedUpFile:
    if not isinstance(item, dict):
        raise BackupError(f"{path}: each entry of files must be an object")
    name = _field(item, "name", str, path)
    if Path(name).name != name or name in ("", ".", "..", MANIFEST, SIGNATURE):
        raise BackupError(f"{path}: file name {name!r} must be a plain name inside the backup folder")
    role = _field(item, "role", str, path)
    if role not in ROLES:
        raise BackupError(f"{path}: file role must be one of {', '.join(ROLES)}, not {role!r}")
    size = _field(item, "bytes", int, path)
    digest = _field(item, "sha256", str, path)
    if len(digest) != 64 or any(char not in "0123456789abcdef" for char in digest):
        raise BackupError(f"{path}: sha256 of {name} must be 64 lower-case hex digits")
    return BackedUpFile(name=name, role=role, bytes=size, sha256=digest)


def _field(data: dict[str, Any], key: str, kind: type, path: Path) -> Any:
    value = data.get(key)
    if not isinstance(value, kind) or isinstance(value, bool):
        raise BackupError(f"{path}: {key} is missing or not {kind.__name__}")
    return value
