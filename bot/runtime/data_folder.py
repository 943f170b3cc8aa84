"""The data folder is private to the account that runs the product: folders 0700, files 0600, whatever the
umask (issue #14).

It holds the store, its write-ahead log, the engine's tracker (every message, verbatim), models, logs,
development secrets and the local mail sink's messages: under the common umask of 022 all of these would be
created readable by every account on the host. `bot run` calls `make_private` before it starts anything, so
what exists is put right (and said), and sets a umask of 077 that the engine, the action server and the app
inherit, so that what they create later is private from the start.

Each process started on its own (the app, the action server, the engine through bot.runtime.engine_start)
checks the folder at start with `refuse_unless_private` and will not run on a folder others can read: only
`bot run` and the `bot` command put it right, and say so; a process found it loose means someone else did.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

PRIVATE_UMASK = 0o077
FOLDER_MODE = 0o700
FILE_MODE = 0o600


class DataFolderError(Exception):
    """The data folder could not be made private (another account owns part of it): start-up stops."""


@dataclass(frozen=True)
class Tightened:
    path: Path
    was: int  # the permission bits before


def make_private(folder: Path) -> list[Tightened]:
    """Make `folder` and everything below it private; return what was changed. Symbolic links are neither
    followed nor changed, so a link inside the folder can never make this touch a file elsewhere."""
    folder.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    changed: list[Tightened] = []
    _tighten(folder, FOLDER_MODE, changed)
    for root, folders, files in os.walk(folder, followlinks=False):
        for name in folders:
            _tighten(Path(root) / name, FOLDER_MODE, changed)
        for name in files:
            _tighten(Path(root) / name, FILE_MODE, changed)
    return changed


def check_private(folder: Path) -> list[Path]:
    """Everything below `folder` (itself included) that others could read or write."""
    exposed = [folder] if _mode(folder) & 0o077 else []
    for root, folders, files in os.walk(folder, followlinks=False):
        for name in (*folders, *files):
            path = Path(root) / name
            if not path.is_symlink() and _mode(path) & 0o077:
                exposed.append(path)
    return exposed


def refuse_unless_private(folder: Path, process: str) -> None:
    """Start-up check of a process started on its own: make what it creates private (umask 077), then stop
    with one line naming the first exposed path, exit code 1, if anything in `folder` is open to others. A
    folder that does not exist yet passes: the process creates it under that umask, private from the start."""
    os.umask(PRIVATE_UMASK)
    exposed = check_private(folder) if folder.exists() else []
    if exposed:
        first = exposed[0]
        more = f" (and {len(exposed) - 1} more)" if len(exposed) > 1 else ""
        raise SystemExit(
            f"{process} refuses to start: {first} is open to other accounts (mode {_mode(first):04o}){more}; "
            f"the data folder must be 0700 and its files 0600: `bot run` makes it so"
        )


def _tighten(path: Path, mode: int, changed: list[Tightened]) -> None:
    if path.is_symlink():
        return
    current = _mode(path)
    if current == mode:
        return
    try:
        path.chmod(mode)
    except PermissionError as error:
        raise DataFolderError(
            f"{path} belongs to another account and cannot be made private ({error.strerror}); "
            "run the product as the account that owns its data folder"
        ) from None
    changed.append(Tightened(path, current))


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)
