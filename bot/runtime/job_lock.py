"""One run at a time of a job that must never overlap itself (issue #31: the retention job, started daily by
`bot run` and by hand as `bot retention run`).

An advisory lock (`flock`) on a file in the data folder: the kernel drops it when the process ends, however
it ends, so a run killed half way never leaves a stale lock behind for the next day's run to trip on. It
covers the processes of one machine, which is where `bot run` and the administrator's commands run.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class JobBusy(RuntimeError):
    """Another process holds the job's lock."""


@contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold the lock on `path` (created 0600 if missing) for the block; JobBusy at once if it is held."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise JobBusy(str(path)) from None
        yield
    finally:
        os.close(descriptor)  # closing the descriptor releases the lock
