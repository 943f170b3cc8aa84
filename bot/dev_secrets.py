"""Secrets embedded mode makes for itself (development only): kept in the data folder's `secrets/`, created on
first use with mode 600 by whichever process gets there first, and announced on stderr so nobody mistakes them
for production's. Production reads every secret from the environment or a file (bot.production)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path


def dev_secret_file(data_dir: Path, name: str, make: Callable[[], str], what: str, instead: str) -> str:
    """The secret in `<data_dir>/secrets/<name>`, made by `make` if it is not there yet; `what` and `instead`
    complete the announcement ("generated a development {what} in ...; {instead}")."""
    path = data_dir / "secrets" / name
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    value = make()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process of ours created it a moment ago
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(value)
    print(f"[embedded mode] generated a development {what} in {path}; {instead}", file=sys.stderr)
    return value
