"""The reports benchmark's table of figures, its target and any profile, on standard output."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any

from bench.common import ms
from bench.report import _table
from bench.reports_timing import Timed
from bench.stats import Spread

TARGET_P95_MS = 500.0
LEGEND = """
(a) ms per ReportService.report call, in this process, after the warm-up calls. (b) ms per request, from
sending the GET to having read the whole page, one at a time, signed in through the sign-in form. "charts
drawn afresh": the chart cache emptied before each request (a period nobody has asked for yet). (c) one
request each. other load: cores kept busy, on average, by processes this run did not start while the row
was timed; anything well above 0 makes the figures pessimistic."""


def print_figures(
    results: dict[str, list[Timed]], record: dict[str, Any], args: argparse.Namespace, path: Path
) -> None:
    print()
    print(
        f"reports benchmark: {args.assessments:,} live concerns over 12 months "
        f"(+{args.rehearsal} practice runs, never counted) "
        f"x {args.answers} other answers, {args.runs} runs after {args.warmup} warm-ups, seed {args.seed}, "
        f"{os.cpu_count()} CPUs"
    )
    for backend, info in record["backends"].items():
        rows = info["rows"]
        print(
            f"  {backend}: seeded in {info['seed_seconds']:.0f} s, {info['database_bytes'] / 2**20:.0f} MB, "
            f"{rows.get('assessments', 0):,} assessments, {rows.get('answers', 0):,} answer rows, "
            f"{rows.get('decisions', 0):,} decisions; live by team {info['live_by_team']}"
        )
    table = []
    for backend, timed in results.items():
        for t in timed:
            s = Spread.of(t.latencies)
            table.append(
                (
                    backend,
                    t.part,
                    t.name,
                    str(len(t.latencies)),
                    str(t.errors),
                    ms(s.p50_ms),
                    ms(s.p95_ms),
                    ms(s.max_ms),
                    f"{t.bytes / 1024:.0f}" if t.bytes else "-",
                    t.total_shown or "-",
                    "-" if t.other_load is None else f"{t.other_load:.2f}",
                )
            )
    if table:
        print()
        header = (
            "database",
            "what",
            "who",
            "runs",
            "err",
            "p50 ms",
            "p95 ms",
            "max ms",
            "KB",
            "counted",
            "other load",
        )
        print(_table(header, table))
        print(LEGEND)
        print(f"\ntarget: the page's p95 under {TARGET_P95_MS:.0f} ms on both databases")
        for backend, timed in results.items():
            for t in timed:
                if t.part.startswith("(b)"):
                    p95 = Spread.of(t.latencies).p95_ms or 0
                    verdict = "met" if p95 < TARGET_P95_MS else "MISSED"
                    print(f"  {backend:10} {t.name:45} p95 {p95:6.0f} ms  {verdict}")
    for backend, info in record["backends"].items():
        if info.get("profile"):
            print(f"\ncProfile of 5 page requests on {backend} (the coordinator's, all teams):")
            print(info["profile"])
    print(f"\nresults: {path}")
