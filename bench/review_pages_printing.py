"""The review pages benchmark's table of figures on standard output."""

from __future__ import annotations

import argparse
import os
import statistics
from pathlib import Path
from typing import Any

from bench.common import ms
from bench.report import _table
from bench.review_pages_timing import Timed
from bench.stats import Spread

LEGEND = """
ms per request, from sending the GET to having read the whole page, one request at a time, signed in as
the North lead. SQL/req: statements the app sent to the database per request (median; on SQLite this
counts the BEGIN the store issues itself). KB: size of the page (median). other load: cores
kept busy, on average, by processes this run did not start (other tests, builds) while the page was timed;
anything well above 0 means the figures are pessimistic."""


def print_figures(
    results: dict[str, list[Timed]], record: dict[str, Any], args: argparse.Namespace, path: Path
) -> None:
    print()
    print(
        f"review pages benchmark: {args.assessments:,} submitted assessments x {args.answers} answers, "
        f"{args.requests} requests per page kind, seed {args.seed}, {os.cpu_count()} CPUs"
    )
    for backend, info in record["backends"].items():
        print(
            f"  {backend}: seeded in {info['seed_seconds']:.0f} s, {info['database_bytes'] / 2**20:.0f} MB, "
            f"{info['rows'].get('answers', 0):,} answer rows, {info['rows'].get('audit_events', 0):,} audit "
            f"events; the lead's list holds {info['lead_visible_cases']:,} cases"
        )
    rows = []
    for backend, timed in results.items():
        for t in timed:
            s = Spread.of(t.latencies)
            rows.append(
                (
                    backend,
                    t.name,
                    str(len(t.latencies)),
                    str(t.errors),
                    ms(s.p50_ms),
                    ms(s.p95_ms),
                    ms(s.max_ms),
                    f"{statistics.median(t.statements):.0f}" if t.statements else "-",
                    f"{statistics.median(t.sizes) / 1024:.0f}" if t.sizes else "-",
                    "-" if t.other_load is None else f"{t.other_load:.2f}",
                )
            )
    if rows:
        print()
        header = (
            "database",
            "page",
            "requests",
            "err",
            "p50 ms",
            "p95 ms",
            "max ms",
            "SQL/req",
            "KB",
            "other load",
        )
        print(_table(header, rows))
        print(LEGEND)
    print(f"\nresults: {path}")
