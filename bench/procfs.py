"""Resident memory and CPU time of a process tree, read from /proc while a run is going on.

Sampled from a thread rather than the event loop, so reading /proc never adds to a measured latency.
Children are included because the engine may spawn workers; the figure is the sum of VmRSS over the tree
(shared pages are counted once per process, so it slightly overstates what the machine loses).
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

PROC = Path("/proc")
TICKS = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid: int) -> list[str] | None:
    """Fields of /proc/<pid>/stat after the command name, which sits in parentheses and may itself hold
    spaces or ')': so split after the last one. Index 0 is the state, 1 the parent, 11/12 utime/stime."""
    try:
        return (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[-1].split()
    except OSError:  # the process ended while we looked
        return None


def parent_map() -> dict[int, int]:
    parents: dict[int, int] = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields and len(fields) > 1:
                parents[int(entry.name)] = int(fields[1])
    return parents


def tree(root: int) -> list[int]:
    parents = parent_map()
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


def status_bytes(pid: int, *fields: str) -> dict[str, int]:
    """Memory lines of /proc/<pid>/status in bytes, 0 for any missing (the process ended while we looked).
    VmRSS is RssAnon (private: heap, stacks) + RssFile (mapped files, shared with any process mapping them)
    + RssShmem (shared memory: PostgreSQL's shared buffers, counted in every backend that touched them)."""
    found = dict.fromkeys(fields, 0)
    try:
        for line in (PROC / str(pid) / "status").read_text().splitlines():
            name, _, value = line.partition(":")
            if name in found:
                found[name] = int(value.split()[0]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return found


def pss_bytes(pid: int) -> int:
    """Proportional set size: each shared page divided among the processes sharing it, so a tree's sum
    counts PostgreSQL's shared buffers once, where VmRSS counts them in every backend that touched them."""
    try:
        for line in (PROC / str(pid) / "smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        pass
    return 0


def tree_rss_bytes(root: int) -> int:
    return sum(rss_bytes(pid) for pid in tree(root))


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of one process, all its threads."""
    fields = _stat_fields(pid)
    if not fields or len(fields) <= 12:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS


def tree_cpu_seconds(root: int) -> float:
    """Summed over the tree's live processes (children that already exited and were reaped count in their
    parent's cutime, which is left out: the engine's tree is long-lived)."""
    return sum(cpu_seconds(pid) for pid in tree(root))


def is_alive(pid: int) -> bool:
    fields = _stat_fields(pid)
    return bool(fields) and fields[0] != "Z"


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


def machine_busy_seconds() -> float:
    """CPU time the whole machine has spent busy (all cores, everything but idle and iowait) since boot."""
    try:
        first = (PROC / "stat").read_text().splitlines()[0].split()
    except OSError:
        return 0.0
    ticks = [int(value) for value in first[1:9]]  # user nice system idle iowait irq softirq steal
    return (sum(ticks) - ticks[3] - ticks[4]) / TICKS
