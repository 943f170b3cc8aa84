"""Resident memory of a process tree, read from /proc while a run is going on.

Sampled from a thread rather than the event loop, so reading /proc never adds to a measured latency.
Children are included because the engine may spawn workers; the figure is the sum of VmRSS over the tree
(shared pages are counted once per process, so it slightly overstates what the machine loses).
"""

from __future__ import annotations

import threading
from pathlib import Path

PROC = Path("/proc")


def _parent_map() -> dict[int, int]:
    parents: dict[int, int] = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # the process ended while we looked
            continue
        # The command name is in parentheses and may itself hold spaces or ')': split after the last one.
        fields = stat.rsplit(")", 1)[-1].split()
        if len(fields) > 1:
            parents[int(entry.name)] = int(fields[1])
    return parents


def tree(root: int) -> list[int]:
    parents = _parent_map()
    found, frontier = [root], [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent]
        found.extend(children)
        frontier.extend(children)
    return found


def rss_bytes(pid: int) -> int:
    try:
        for line in (PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def tree_rss_bytes(root: int) -> int:
    return sum(rss_bytes(pid) for pid in tree(root))


class RssSampler:
    """Peak of the tree's summed VmRSS, sampled every `interval` seconds between start() and stop()."""

    def __init__(self, root: int, interval: float = 0.25) -> None:
        self.root = root
        self.interval = interval
        self.peak = 0
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"rss-{root}", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss_bytes(self.root))
            self.samples += 1
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.peak = max(self.peak, tree_rss_bytes(self.root))
