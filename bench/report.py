"""The printed table and the JSON record of a run."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from bench.conversations import Conversation
from bench.stats import RunSummary, ratio

MB = 1024 * 1024


@dataclass
class LevelResult:
    """One target driven at one concurrency."""

    target: str
    concurrency: int
    summary: RunSummary
    conversations: list[Conversation]
    engine_peak_rss: int
    others_peak_rss: dict[str, int] = field(default_factory=dict)
    engine_alive_after: bool = True
    urgent_messages: list[str] | None = None  # what our product flagged as danger (None: not our product)

    @property
    def urgent_flags(self) -> int | None:
        return None if self.urgent_messages is None else len(self.urgent_messages)

    cpu_seconds: dict[str, float] = field(default_factory=dict)  # per process tree, during the level
    background_cores: float | None = None  # average cores busy with processes this run did not start

    def cpu_ms_per_message(self, name: str) -> float | None:
        seconds = self.cpu_seconds.get(name)
        return None if seconds is None or not self.messages else seconds * 1000 / self.messages

    def count(self, attribute: str) -> int:
        return sum(int(getattr(c, attribute)) for c in self.conversations)

    @property
    def messages(self) -> int:
        return sum(len(c.latencies) for c in self.conversations)


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def _x(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]
    lines = [
        "  ".join(str(cell).rjust(width) for cell, width in zip(row, widths, strict=True)) for row in rows
    ]
    head = "  ".join(cell.rjust(width) for cell, width in zip(header, widths, strict=True))
    return "\n".join([head, "  ".join("-" * w for w in widths), *lines])


def results_table(levels: Sequence[LevelResult]) -> str:
    header = (
        "target", "C", "conv", "msgs", "err", "empty", "refused", "odd", "urgent", "submit",
        "p50 ms", "p95 ms", "first20 p50/p95", "last20 p50/p95", "last/first", "msg/s",
        "peak RSS MB", "CPU ms/msg", "other load",
    )  # fmt: skip
    rows = []
    for level in levels:
        s = level.summary
        rows.append(
            (
                level.target + ("" if level.engine_alive_after else " (DIED)"),
                str(level.concurrency),
                str(len(level.conversations)),
                str(level.messages),
                str(level.count("errors")),
                str(level.count("empty_replies")),
                str(level.count("refusals")),
                str(level.count("unexpected")),
                "-" if level.urgent_flags is None else str(level.urgent_flags),
                str(level.count("submitted")),
                _ms(s.overall.p50_ms),
                _ms(s.overall.p95_ms),
                f"{_ms(s.first.p50_ms)} / {_ms(s.first.p95_ms)}",
                f"{_ms(s.last.p50_ms)} / {_ms(s.last.p95_ms)}",
                _x(s.last_over_first_p50),
                _x(s.messages_per_second, 1),
                f"{level.engine_peak_rss / MB:.0f}",
                _ms(level.cpu_ms_per_message("engine")),
                _x(level.background_cores),
            )
        )
    return _table(header, rows)


def ratios(levels: Sequence[LevelResult]) -> list[dict[str, Any]]:
    ours = {lv.concurrency: lv for lv in levels if lv.target == "ours"}
    base = {lv.concurrency: lv for lv in levels if lv.target == "baseline"}
    found = []
    for concurrency in sorted(ours.keys() & base.keys()):
        o, b = ours[concurrency].summary, base[concurrency].summary
        found.append(
            {
                "concurrency": concurrency,
                "p50": ratio(o.overall.p50_ms, b.overall.p50_ms),
                "p95": ratio(o.overall.p95_ms, b.overall.p95_ms),
                "throughput": ratio(o.messages_per_second, b.messages_per_second),
                "peak_rss": ratio(ours[concurrency].engine_peak_rss, base[concurrency].engine_peak_rss),
            }
        )
    return found


def ratios_table(rows: Sequence[dict[str, Any]]) -> str:
    header = ("C", "p50 ours/baseline", "p95 ours/baseline", "msg/s ours/baseline", "peak RSS ours/baseline")
    return _table(
        header,
        [
            (str(r["concurrency"]), _x(r["p50"]), _x(r["p95"]), _x(r["throughput"]), _x(r["peak_rss"]))
            for r in rows
        ],
    )


def level_json(level: LevelResult) -> dict[str, Any]:
    return {
        "target": level.target,
        "concurrency": level.concurrency,
        "summary": asdict(level.summary),
        "messages": level.messages,
        "errors": level.count("errors"),
        "empty_replies": level.count("empty_replies"),
        "refusals": level.count("refusals"),
        "unexpected": level.count("unexpected"),
        "urgent_flags": level.urgent_flags,
        "urgent_messages_by_count": _by_count(level.urgent_messages or []),
        "submitted": level.count("submitted"),
        "engine_peak_rss_bytes": level.engine_peak_rss,
        "others_peak_rss_bytes": level.others_peak_rss,
        "engine_alive_after": level.engine_alive_after,
        "cpu_seconds": level.cpu_seconds,
        "background_cores": level.background_cores,
        "cpu_ms_per_message": {name: level.cpu_ms_per_message(name) for name in level.cpu_seconds},
        "conversations": [
            {
                "sender": c.sender,
                "messages": len(c.latencies),
                "latencies_ms": [round(t * 1000, 2) for t in c.latencies],
                "errors": c.errors,
                "error_samples": c.error_samples,
                "refusal_samples": c.refusal_samples,
                "unexpected_samples": c.unexpected_samples,
                "empty_replies": c.empty_replies,
                "refusals": c.refusals,
                "unexpected": c.unexpected,
                "typed": c.typed,
                "pressed": c.pressed,
                "navigation": c.navigation,
                "submitted": c.submitted,
                "gave_up": c.gave_up,
            }
            for c in level.conversations
        ],
    }


def _by_count(texts: list[str]) -> dict[str, int]:
    """The distinct messages, most frequent first: which sentences the product reads as danger."""
    return dict(Counter(texts).most_common())


def write_json(path: Path, record: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n")
