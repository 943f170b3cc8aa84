"""Time the reports (issue #16) over 10,000 live concerns of 12 months, on SQLite and PostgreSQL.

Run from the repository root (a run takes a few minutes; on a shared machine, be nice):

    nice .venv/bin/python bench/reports.py                            # 10,000 concerns, both databases
    nice .venv/bin/python bench/reports.py -n 2000 --backends sqlite   # a quick look
    nice .venv/bin/python bench/reports.py --profile                   # cProfile the page even if on target

For each database it makes a fresh store (SQLite: a file in a temporary folder; PostgreSQL: a throwaway
server from tests/fixtures/postgres_cluster.py, 127.0.0.1 only, stopped and deleted afterwards, also on Ctrl-C
or SIGTERM), migrates it with the real migrations (`bot.store.db.upgrade`) and seeds it, then measures:

  (a) `ReportService.report` called directly, for the coordinator's "All teams" over 12 months and for the
      North lead's own team: `--runs` timed calls after `--warmup` untimed ones;
  (b) the whole page through the real app (`create_app` on a loopback port, aiohttp's TestServer), signed in
      once through the sign-in form as each of them: `GET /reports?from=...&to=...`, from sending the
      request to having read the page. The charts are SVG drawn by pygal and kept in an in-process cache
      keyed by the figures (bot.reports.charts._render), so repeating one request redraws nothing; the
      "charts drawn afresh" row empties that cache before each request, as a period nobody asked for yet;
  (c) the xlsx export once, and the CSV export once.

It prints a table and the target (page p95 under 500 ms on both databases); if a page misses it, or with
`--profile`, the page is run under cProfile (with the handlers' worker threads run inline, so the profile
sees the queries, the figures, the charts and the template) and the top functions are printed. It prints
figures and never judges anything else; every latency also goes to var/bench/reports-<time>.json.

Seeding (the same on both databases, from `--seed`): four teams of different sizes (North 40%, South 25%,
East 20%, West 15%), each with a lead and 12 practitioners, and a coordinator. `--assessments` live
submitted assessments (10,000) spread over the last 12 months, plus `--rehearsal` practice runs (300) of the
same shape that the reports must not count. Each has the closed answers the reports count, with a realistic
spread: the referrer's role (weighted towards teachers; 5% changed once, so a later revision must win), the
kinds of concern (1 to 3 ticked, or "not sure"), other needs (often "none"), and, for the 85% that reached
the exploratory assessment, the young person's age (mostly 11-17, some not sure); 6% are urgent. Each also
has `--answers` other answers (60) to other questions of the real bank, with its wording: free text made of
practitioners' sentences for free-text questions, a choice for the others, so the answers table is as
large as a real one (about 0.65 million rows) and the reports have to find their few rows among them. About
70% have a decision (pathway, review date on most, feedback on most; 5% decided twice); 45% decided, 25%
closed, and some more referrals in review with no decision. No audit trail, transcript or chat log is
seeded: the reports never read them (each report writes one audit event, as in production).

Rows go in through SQLAlchemy Core executemany inserts into the models' own tables (so times and JSON go
through the app's column types), with ids assigned here, 1,000 assessments per transaction. PostgreSQL's
id sequences are then moved past the highest id and `VACUUM ANALYZE` is run, as autovacuum would soon
after a bulk load; SQLite gets no ANALYZE, because the app never runs one. The PostgreSQL server uses the
C.UTF-8 locale and fsync off (tests/fixtures/postgres_cluster.py): reads, which are what a report does, are
unaffected.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import platform
import signal
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench.common import backends, log, positive, remove, terminate
from bench.databases import database, database_bytes
from bench.report import write_json
from bench.reports_printing import TARGET_P95_MS, print_figures
from bench.reports_seeding import seed
from bench.reports_timing import Timed, profile_page, time_pages, time_service
from bench.stats import Spread
from bot.crypto.key_ring import KeyRing, new_key
from bot.settings import REPO_ROOT
from bot.store import db
from bot.store.encrypted_text import use_key_ring

RESULTS_DIR = REPO_ROOT / "var" / "bench"


def run_backend(backend: str, args: argparse.Namespace) -> tuple[list[Timed], dict[str, Any]]:
    folder = Path(tempfile.mkdtemp(prefix=f"bench-reports-{backend}-"))
    try:
        with database(backend, folder, "bench-reports-pg-") as (url, server_pid, about):
            log(f"{backend}: migrating")
            db.upgrade(url)
            log(f"{backend}: seeding {args.assessments:,} live and {args.rehearsal:,} practice assessments")
            seeded = seed(url, args)
            size = database_bytes(url) or 0
            log(f"{backend}: seeded in {seeded.seconds:.0f} s, {size / 2**20:.0f} MB; timing")
            timed = time_service(url, args, server_pid)
            timed += asyncio.run(time_pages(url, args, server_pid))
            info: dict[str, Any] = {
                **about,
                "seed_seconds": round(seeded.seconds, 1),
                "rows": seeded.rows,
                "live_by_team": seeded.live_by_team,
                "rehearsal": seeded.rehearsal,
                "database_bytes": size,
            }
            pages = [t for t in timed if t.part.startswith("(b)")]
            missed = [t for t in pages if (Spread.of(t.latencies).p95_ms or 0) >= TARGET_P95_MS]
            if missed or args.profile:
                afresh = any("afresh" in t.name for t in missed) or not missed
                log(f"{backend}: profiling the page ({'charts drawn afresh' if afresh else 'cached charts'})")
                info["profile"] = asyncio.run(profile_page(url, 5, afresh))
            return timed, info
    finally:
        remove(folder)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--assessments", "-n", type=positive, default=10_000, help="live concerns (10000)")
    parser.add_argument("--rehearsal", type=int, default=300, help="practice runs, never counted (300)")
    parser.add_argument("--answers", type=int, default=60, help="other answers per assessment (60)")
    parser.add_argument("--runs", "-r", type=positive, default=30, help="timed runs of each (30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs of each first (3)")
    parser.add_argument(
        "--backends", type=backends, default=["sqlite", "postgresql"], help="sqlite,postgresql"
    )
    parser.add_argument("--seed", type=int, default=1, help="seeds the data (1)")
    parser.add_argument("--profile", action="store_true", help="cProfile the page even when on target")
    parser.add_argument(
        "--json", type=Path, default=None, help="results file (var/bench/reports-<time>.json)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, terminate)
    # Issue #31: the bench seeds and reads its throwaway databases in this process, under a key of its own.
    use_key_ring(KeyRing([new_key("bench1")]))
    started = dt.datetime.now().astimezone()
    json_path = args.json or RESULTS_DIR / f"reports-{started:%Y%m%dT%H%M%S}.json"
    record: dict[str, Any] = {
        "benchmark": "reports",
        "started": started.isoformat(timespec="seconds"),
        "options": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
        "backends": {},
    }
    results: dict[str, list[Timed]] = {}
    try:
        for backend in args.backends:
            timed, info = run_backend(backend, args)
            results[backend] = timed
            record["backends"][backend] = {**info, "timed": [t.json() for t in timed]}
    except KeyboardInterrupt:
        log("interrupted; the database server and temporary folders have been removed")
        record["interrupted"] = True
    record["finished"] = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    write_json(json_path, record)
    print_figures(results, record, args, json_path)
    return 130 if record.get("interrupted") else 0


if __name__ == "__main__":
    sys.exit(main())
