"""Latency and throughput summaries, kept free of I/O so the figures are easy to check by hand."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

EDGE_TURNS = 20  # "first 20" and "last 20" messages of each conversation


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default), so small samples still give a figure
    that moves smoothly; None for no data rather than a misleading zero."""
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * fraction
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@dataclass(frozen=True)
class Spread:
    count: int
    p50_ms: float | None
    p95_ms: float | None
    max_ms: float | None

    @classmethod
    def of(cls, seconds: Sequence[float]) -> Spread:
        ms = [s * 1000 for s in seconds]
        return cls(len(ms), percentile(ms, 0.5), percentile(ms, 0.95), max(ms) if ms else None)


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


@dataclass(frozen=True)
class RunSummary:
    """One target at one concurrency: the figures the table prints."""

    overall: Spread
    first: Spread
    last: Spread
    last_over_first_p50: float | None
    messages_per_second: float | None
    wall_seconds: float

    @classmethod
    def of(cls, conversations: Sequence[Sequence[float]], wall_seconds: float) -> RunSummary:
        """`conversations` holds each conversation's latencies in turn order (failed messages included:
        a timeout is a latency a practitioner would feel)."""
        every = [t for conv in conversations for t in conv]
        first = [t for conv in conversations for t in conv[:EDGE_TURNS]]
        last = [t for conv in conversations for t in conv[-EDGE_TURNS:]]
        first_spread, last_spread = Spread.of(first), Spread.of(last)
        return cls(
            overall=Spread.of(every),
            first=first_spread,
            last=last_spread,
            last_over_first_p50=ratio(last_spread.p50_ms, first_spread.p50_ms),
            messages_per_second=len(every) / wall_seconds if wall_seconds > 0 and every else None,
            wall_seconds=wall_seconds,
        )
