"""Latency of the lead's case list and case page over 10,000 submitted assessments, on SQLite and PostgreSQL.

Run from the repository root (it takes a while; on a shared machine, be nice):

    nice .venv/bin/python bench/review_pages.py                     # 10,000 x 80, both databases
    nice .venv/bin/python bench/review_pages.py --assessments 1000 --requests 50 --backends sqlite

For each database it makes a fresh store (SQLite: a file in a temporary folder; PostgreSQL: a throwaway
server from tests/fixtures/postgres_cluster.py, loopback only, stopped and deleted afterwards, also on Ctrl-C
or SIGTERM), migrates it with the real migrations, seeds it, starts the real app (`bot.web.app.create_app`) on
a real loopback port (aiohttp's TestServer), signs in as the North team's lead through the sign-in form
(a real session cookie), then times GET requests one at a time, from sending the request to having read
the whole page: the case list with no filter, sorted oldest first, a later page, filtered by status, by
urgency and dates, and searched by reference; and the case page, opened for the first time (which also
creates the referral and moves it to "in review", as a real first view does) and opened again once in
review. Figures go to stdout as a table and, with every latency and the SQL statements one request of
each kind ran, to var/bench/review-pages-<time>.json. It prints figures and never judges them.

Seeding. The data are realistic rather than uniform: five teams of different sizes (North, whose lead we
sign in as, holds 40% of cases), 85% live and 15% rehearsal, 6% urgent (with the messages that raised the
flag), submission dates over two years, and 80 answers per assessment taken from the real question bank,
in its order, with the bank's own wording: free text made of practitioners' sentences, choices by value
and label, dates, ages, a source for facts where the bank asks for one, about a quarter of free-text
answers dated (so the chronology has entries), about one answer in twelve revised once or twice (every
revision kept). Each assessment carries the audit trail the real product writes (conversation opened,
assessment started, a position change and an answer recorded per question, urgent flags, submitted), about
170 events, because the case page lists the case's history. 45% of submitted cases have been reviewed
already (referral in review, decided or closed, with status history, decisions, actions and, for decided
live cases, VAF tags), the rest have never been opened. The engine's transcript is NOT seeded: the app is
pointed at an absent tracker file (`settings.engine_tracker_db` in a temporary data folder), so each case
page shows "no transcript" instead of reading one; transcript reading is a separate SQLite file and not
part of what is measured here. The web chat's display log (chat_messages) is not seeded either: no review
page reads it.

Rows are written with SQLAlchemy Core executemany inserts into the models' own Table objects (so times and
JSON go through the same column types as the app's writes), with ids assigned here so that no row needs a
round trip for its generated key, 250 assessments per transaction: about 2.7 million rows, a few minutes
per database on 2 cores. Passwords are real argon2 hashes. PostgreSQL's id sequences are then moved past
the highest id, and `VACUUM ANALYZE` is run, as autovacuum would soon after a bulk load; SQLite gets no
ANALYZE, because the app never runs one. The PostgreSQL server uses the C.UTF-8 locale (not C), as a
production server with a real locale would: with a non-C collation, `LIKE 'prefix%'` cannot use a plain
index. The server has fsync off, which makes the case page's writes (its audit event) cheaper than on a
real server; reads are unaffected.
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
from bench.review_pages_printing import print_figures
from bench.review_pages_seeding import seed
from bench.review_pages_timing import Timed, measure
from bot.crypto.key_ring import KeyRing, new_key
from bot.settings import REPO_ROOT
from bot.store import db
from bot.store.encrypted_text import use_key_ring

RESULTS_DIR = REPO_ROOT / "var" / "bench"


def run_backend(backend: str, args: argparse.Namespace) -> tuple[list[Timed], dict[str, Any]]:
    folder = Path(tempfile.mkdtemp(prefix=f"bench-review-{backend}-"))
    try:
        with database(backend, folder, "bench-review-pg-") as (url, server_pid, about):
            log(f"{backend}: migrating to {args.revision}")
            db.upgrade(url, args.revision)
            log(f"{backend}: seeding {args.assessments:,} assessments of {args.answers} answers")
            seeded = seed(url, args)
            size = database_bytes(url)
            log(f"{backend}: seeded in {seeded.seconds:.0f} s, {size / 2**20:.0f} MB; timing pages")
            timed = asyncio.run(measure(url, backend, seeded, args, server_pid))
            info = {
                **about,
                "revision": db.current_revision(url),
                "seed_seconds": round(seeded.seconds, 1),
                "rows": seeded.rows,
                "database_bytes": size,
                "lead_visible_cases": seeded.visible,
                "lead_unopened_cases": len(seeded.unopened),
                "lead_reviewed_cases": len(seeded.reviewed),
            }
            return timed, info
    finally:
        remove(folder)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--assessments", "-n", type=positive, default=10_000, help="submitted assessments (10000)"
    )
    parser.add_argument("--answers", type=positive, default=80, help="current answers per assessment (80)")
    parser.add_argument(
        "--requests", "-r", type=positive, default=200, help="timed requests per page kind (200)"
    )
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests per page kind first (5)")
    parser.add_argument(
        "--backends", type=backends, default=["sqlite", "postgresql"], help="sqlite,postgresql"
    )
    parser.add_argument("--seed", type=int, default=1, help="seeds the data and the choice of cases (1)")
    parser.add_argument(
        "--revision",
        default="head",
        help="migrate only this far, e.g. to time the pages without a later migration's index (head)",
    )
    parser.add_argument(
        "--json", type=Path, default=None, help="results file (var/bench/review-pages-<time>.json)"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, terminate)
    # Issue #31: the bench seeds and reads its throwaway databases in this process, under a key of its own.
    use_key_ring(KeyRing([new_key("bench1")]))
    started = dt.datetime.now().astimezone()
    json_path = args.json or RESULTS_DIR / f"review-pages-{started:%Y%m%dT%H%M%S}.json"
    record: dict[str, Any] = {
        "benchmark": "review_pages",
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
            record["backends"][backend] = {**info, "pages": [t.json() for t in timed]}
    except KeyboardInterrupt:
        log("interrupted; the database server and temporary folders have been removed")
        record["interrupted"] = True
    record["finished"] = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    write_json(json_path, record)
    print_figures(results, record, args, json_path)
    return 130 if record.get("interrupted") else 0


if __name__ == "__main__":
    sys.exit(main())
