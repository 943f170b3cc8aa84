"""bench/soak.py's figures from what the walkers and the process sampler recorded, and how they are printed.

Kept free of I/O but printing, so each figure can be checked by hand: reply times before and after the
warm-up, memory of each process at the end of the warm-up against the end (growth %), and messages per
engine CPU-second over the measured part (after the warm-up).

Memory is judged on private memory (RssAnon), not RSS: a PostgreSQL backend's RSS also counts each shared
buffer it has touched, so it grows towards `shared_buffers` and stops there, which no two minutes can tell
from a leak. The shared memory is printed on its own line with `shared_buffers` as its bound.
"""

from __future__ import annotations

import argparse
from typing import Any

from bench.soak_product import Sample
from bench.soak_walker import Tally
from bench.stats import Spread

MB = 2**20
GROWTH_LIMIT_PERCENT = 10.0  # issue #34: memory of every process flat after warm-up, under 10% growth


def _spread(seconds: list[float]) -> dict[str, Any]:
    spread = Spread.of(seconds)
    return {"count": spread.count, "p50_ms": spread.p50_ms, "p95_ms": spread.p95_ms, "max_ms": spread.max_ms}


def _growth(before: int, after: int) -> float | None:
    return round(100 * (after - before) / before, 1) if before else None


def restarts(samples: list[Sample]) -> list[str]:
    """A process whose pid changed between samples was started again by `bot run` (it died)."""
    first: dict[str, int] = {}
    found = []
    for sample in samples:
        for label, pid in sample.roots.items():
            if first.setdefault(label, pid) != pid and label not in found:
                found.append(label)
    return found


def figures(
    tally: Tally,
    samples: list[Sample],
    warm: Sample,
    end: Sample,
    started: float,
    warm_end: float,
    ended: float,
) -> dict[str, Any]:
    measured = [seconds for sent, seconds in tally.replies if sent >= warm_end]
    engines = sorted(label for label in end.cpu if label.startswith("engine"))
    engine_cpu = {label: end.cpu[label] - warm.cpu.get(label, 0.0) for label in engines}
    total_cpu = sum(engine_cpu.values())
    memory = {
        label: {
            "warmup_end_mb": round(warm.rss.get(label, 0) / MB, 1),
            "end_mb": round(rss / MB, 1),
            "peak_mb": round(max(s.rss.get(label, 0) for s in samples) / MB, 1),
            "growth_percent": _growth(warm.rss.get(label, 0), rss),
            "pss_warmup_end_mb": round(warm.pss.get(label, 0) / MB, 1),
            "pss_end_mb": round(end.pss.get(label, 0) / MB, 1),
            "pss_growth_percent": _growth(warm.pss.get(label, 0), end.pss.get(label, 0)),
            "private_warmup_end_mb": round(warm.private.get(label, 0) / MB, 1),
            "private_end_mb": round(end.private.get(label, 0) / MB, 1),
            "private_growth_percent": _growth(warm.private.get(label, 0), end.private.get(label, 0)),
            "shared_warmup_end_mb": round(warm.shared.get(label, 0) / MB, 1),
            "shared_end_mb": round(end.shared.get(label, 0) / MB, 1),
        }
        for label, rss in sorted(end.rss.items())
    }
    errors = dict(tally.errors)
    for label in restarts(samples):
        errors[f"process started again: {label}"] = 1
    return {
        "seconds": {"walk": round(ended - started, 1), "warmup": round(warm_end - started, 1)},
        "messages": len(tally.replies),
        "messages_measured": len(measured),
        "screenings_started": len(tally.started),
        "screenings_sent_to_lead": len(tally.sent_to_lead),
        "errors": errors,
        "notes": dict(tally.notes),
        "reply_measured": _spread(measured),
        "reply_whole_run": _spread([seconds for _, seconds in tally.replies]),
        "engine_cpu_seconds_measured": {label: round(cpu, 1) for label, cpu in engine_cpu.items()},
        "messages_per_engine_cpu_second": round(len(measured) / total_cpu, 2) if total_cpu else None,
        "messages_per_second_measured": round(len(measured) / (ended - warm_end), 2)
        if ended > warm_end
        else None,
        "cpu_seconds_measured": {
            label: round(end.cpu[label] - warm.cpu.get(label, 0.0), 1) for label in sorted(end.cpu)
        },
        "memory": memory,
        "private_growth_over_limit": sorted(
            label
            for label, m in memory.items()
            if (m["private_growth_percent"] or 0.0) >= GROWTH_LIMIT_PERCENT
        ),
        "samples": [
            {"at": round(s.at - started, 1), "rss_mb": {k: round(v / MB, 1) for k, v in s.rss.items()}}
            for s in samples
        ],
        "replies": [[round(sent - started, 2), round(seconds * 1000, 1)] for sent, seconds in tally.replies],
    }


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def print_run(run: dict[str, Any], args: argparse.Namespace) -> None:
    load = run["load_average"]
    print(
        f"\nsoak: {args.users} practitioners, {args.minutes:g} min (warm-up {args.warmup_minutes:g}), "
        f"{run['engines']} engine(s), think {args.think[0]:g}-{args.think[1]:g} s"
    )
    print(
        "  load average (1 min) at start / warm-up end / end: "
        + " / ".join(f"{load[k][0]:.2f}" for k in ("start", "warmup_end", "end") if k in load)
    )
    print(
        f"  messages: {run['messages']} ({run['messages_measured']} after the warm-up, "
        f"{run['messages_per_second_measured']} a second); screenings started {run['screenings_started']}, "
        f"sent to the lead {run['screenings_sent_to_lead']}"
    )
    errors = run["errors"]
    print(
        f"  errors: {sum(errors.values())}"
        + "".join(f"\n    {n:6d}  {kind}" for kind, n in sorted(errors.items()))
    )
    for kind, n in sorted(run["notes"].items()):
        print(f"  note: {n} x {kind}")
    for name, key in (("after the warm-up", "reply_measured"), ("whole run", "reply_whole_run")):
        r = run[key]
        print(
            f"  reply ms, {name}: p50 {_ms(r['p50_ms'])}, p95 {_ms(r['p95_ms'])}, "
            f"max {_ms(r['max_ms'])} ({r['count']})"
        )
    v = run["verbatim"]
    print(
        f"  typed answers the pages took: {v['typed_answers']}; lost {len(v['lost'])}, stored twice "
        f"{len(v['doubled'])}, questions with two revisions {len(v['questions_stored_twice'])}"
    )
    cpu = ", ".join(f"{k} {s:.1f} s" for k, s in run["engine_cpu_seconds_measured"].items())
    print(
        f"  engine CPU after the warm-up: {cpu}; "
        f"messages per engine CPU-second: {run['messages_per_engine_cpu_second']}"
    )
    print_memory(run)


def print_memory(run: dict[str, Any]) -> None:
    print(
        "  memory of each process and its children, MB, warm-up end -> deadline (growth): private (RssAnon), "
        "the figure the 10% rule applies to; RSS, which also counts shared memory; PSS"
    )
    for label, m in run["memory"].items():
        private, growth, pss = (
            _percent(m[key]) for key in ("private_growth_percent", "growth_percent", "pss_growth_percent")
        )
        print(
            f"    {label:12s} private {m['private_warmup_end_mb']:7.1f} -> {m['private_end_mb']:7.1f} "
            f"({private:>7s}); RSS {m['warmup_end_mb']:7.1f} -> {m['end_mb']:7.1f} ({growth:>7s}), "
            f"peak {m['peak_mb']:7.1f}; PSS {m['pss_warmup_end_mb']:7.1f} -> {m['pss_end_mb']:7.1f} ({pss})"
        )
    postgresql = run["memory"].get("postgresql")
    if postgresql is not None:
        print(
            "    postgresql shared memory (RssShmem, its process holding most) "
            f"{postgresql['shared_warmup_end_mb']:.1f} -> {postgresql['shared_end_mb']:.1f} MB; "
            f"bound: shared_buffers {run.get('postgresql_shared_buffers_mb', '-')} MB "
            "(and its smaller shared structures)"
        )
    over = run["private_growth_over_limit"]
    print(
        f"  private memory grown {GROWTH_LIMIT_PERCENT:g}% or more after the warm-up: "
        + (", ".join(over) if over else "none")
    )


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:+.1f}%"


def print_side_by_side(runs: list[dict[str, Any]]) -> None:
    rows = [
        ("messages after warm-up", lambda r: str(r["messages_measured"])),
        ("messages a second", lambda r: str(r["messages_per_second_measured"])),
        ("errors", lambda r: str(sum(r["errors"].values()))),
        ("reply p50 ms", lambda r: _ms(r["reply_measured"]["p50_ms"])),
        ("reply p95 ms", lambda r: _ms(r["reply_measured"]["p95_ms"])),
        ("reply max ms", lambda r: _ms(r["reply_measured"]["max_ms"])),
        ("engine CPU s", lambda r: f"{sum(r['engine_cpu_seconds_measured'].values()):.1f}"),
        ("msgs / engine CPU-s", lambda r: str(r["messages_per_engine_cpu_second"])),
        (
            "engines' RSS at end MB",
            lambda r: f"{sum(m['end_mb'] for k, m in r['memory'].items() if k.startswith('engine')):.0f}",
        ),
        ("load average at end", lambda r: f"{r['load_average']['end'][0]:.2f}"),
    ]
    header = ["", *(f"{r['engines']} engine(s)" for r in runs)]
    print("\nside by side, after the warm-up:")
    print(f"  {header[0]:24s}" + "".join(f"{h:>14s}" for h in header[1:]))
    for name, value in rows:
        print(f"  {name:24s}" + "".join(f"{value(r):>14s}" for r in runs))
