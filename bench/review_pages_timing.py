"""Timing the review pages through the real app, one signed-in request at a time, counting the SQL each
request sends."""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import random
import re
import secrets
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import Connection, Engine, event

from bench.common import log, remove
from bench.procfs import cpu_seconds, machine_busy_seconds, tree_cpu_seconds
from bench.review_pages_seeding import LEAD, PASSWORD, Seeded
from bench.stats import Spread
from bot.settings import Settings
from bot.store import db
from bot.store.services import Store
from bot.web.app import create_app

PAGE_SIZE = 25  # bot.review.services.PAGE_SIZE
LATER_PAGE = 100


@dataclass
class Scenario:
    name: str
    paths: list[str]
    warmup: list[str]


@dataclass
class Timed:
    name: str
    latencies: list[float] = field(default_factory=list)
    statements: list[int] = field(default_factory=list)
    sizes: list[int] = field(default_factory=list)  # bytes of each page
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    totals_shown: set[int] = field(default_factory=set)
    sample_sql: list[str] = field(default_factory=list)
    wall_seconds: float = 0.0
    other_load: float | None = None

    def json(self) -> dict[str, Any]:
        spread = Spread.of(self.latencies)
        return {
            "page": self.name,
            "requests": len(self.latencies),
            "errors": self.errors,
            "error_samples": self.error_samples,
            "p50_ms": spread.p50_ms,
            "p95_ms": spread.p95_ms,
            "max_ms": spread.max_ms,
            "mean_ms": statistics.fmean(self.latencies) * 1000 if self.latencies else None,
            "sql_per_request_median": statistics.median(self.statements) if self.statements else None,
            "sql_per_request_max": max(self.statements, default=None),
            "page_bytes_median": statistics.median(self.sizes) if self.sizes else None,
            "list_totals_shown": sorted(self.totals_shown),
            "sample_sql": self.sample_sql,
            "wall_seconds": round(self.wall_seconds, 2),
            "other_load_cores": self.other_load,
            "latencies_ms": [round(t * 1000, 2) for t in self.latencies],
        }


def scenarios(seeded: Seeded, args: argparse.Namespace, rng: random.Random) -> list[Scenario]:
    n, warm = args.requests, args.warmup
    pages = max(1, math.ceil(seeded.visible / PAGE_SIZE))
    later = min(LATER_PAGE, pages)
    today = dt.datetime.now(dt.UTC).date()
    year_ago = today - dt.timedelta(days=365)
    dates = f"submitted_from={year_ago:%d/%m/%Y}&submitted_to={today:%d/%m/%Y}"
    references = rng.sample(seeded.references, min(len(seeded.references), n + warm))
    unopened = rng.sample(seeded.unopened, min(len(seeded.unopened), n + warm))
    reviewed = rng.sample(seeded.reviewed, min(len(seeded.reviewed), n + warm))

    def same(path: str) -> Scenario:
        return Scenario("", [path] * n, [path] * warm)

    found = [
        ("list: first page, newest first", same("/cases")),
        ("list: oldest first", same("/cases?sort=oldest")),
        (f"list: page {later} of {pages}", same(f"/cases?page={later}")),
        ("list: status decided", same("/cases?status=decided")),
        ("list: urgent, last 12 months", same(f"/cases?urgent=yes&{dates}")),
        (
            "list: search by reference",
            Scenario(
                "",
                [f"/cases?reference={r}" for r in references[warm:]],
                [f"/cases?reference={r}" for r in references[:warm]],
            ),
        ),
        (
            "case page: first view",
            Scenario("", [f"/cases/{c}" for c in unopened[warm:]], [f"/cases/{c}" for c in unopened[:warm]]),
        ),
        (
            "case page: in review",
            Scenario("", [f"/cases/{c}" for c in reviewed[warm:]], [f"/cases/{c}" for c in reviewed[:warm]]),
        ),
    ]
    return [Scenario(name, s.paths, s.warmup) for name, s in found]


class StatementCounter:
    """Counts the SQL statements the app's engine sends; requests are timed one at a time, so the count
    between two requests belongs to the one in between."""

    def __init__(self, engine: Engine) -> None:
        self.count = 0
        self.recent: list[str] = []
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, _conn: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
        self.count += 1
        self.recent.append(" ".join(statement.split()))

    def reset(self) -> None:
        self.count = 0
        self.recent = []


async def measure(
    url: str, backend: str, seeded: Seeded, args: argparse.Namespace, server_pid: int | None
) -> list[Timed]:
    folder = Path(tempfile.mkdtemp(prefix="bench-review-app-"))
    settings = Settings.from_env(
        {
            "BOT_DATA_DIR": str(folder / "data"),  # engine/tracker.db does not exist there: no transcript
            "BOT_DATABASE_URL": url,
            "BOT_ENGINE_PORT": "9",  # never reached by these pages
            "BOT_SERVICE_TOKEN": secrets.token_hex(32),
            "BOT_SESSION_SECRET": secrets.token_hex(32),
            # The bench times the pages, not the sign-in: its lead and coordinator give no second factor
            # (as in development and the tests; production refuses this setting).
            "BOT_TOTP_REQUIRED": "false",
        }
    )
    if settings.engine_tracker_db.exists():  # a check that `python -O` keeps
        raise SystemExit(f"bench: {settings.engine_tracker_db} exists; the bench needs a fresh data folder")
    sessions = db.make_session_factory(url)
    counter = StatementCounter(sessions.kw["bind"])
    app = create_app(settings, Store(sessions))
    results: list[Timed] = []
    try:
        async with TestClient(TestServer(app, host="127.0.0.1")) as client:
            await _sign_in(client)
            for scenario in scenarios(seeded, args, random.Random(args.seed + 1)):  # noqa: S311  # seeded, repeatable made-up data; nothing secret
                for path in scenario.warmup:
                    await _get(client, path)
                timed = Timed(scenario.name)
                busy_before, own_before = machine_busy_seconds(), cpu_seconds(os.getpid())
                server_before = tree_cpu_seconds(server_pid) if server_pid else 0.0
                wall = time.perf_counter()
                for number, path in enumerate(scenario.paths):
                    counter.reset()
                    started = time.perf_counter()
                    status, body = await _get(client, path)
                    timed.latencies.append(time.perf_counter() - started)
                    timed.statements.append(counter.count)
                    timed.sizes.append(len(body.encode()))
                    if number == 0:
                        timed.sample_sql = counter.recent
                    if status != 200:
                        timed.errors += 1
                        if len(timed.error_samples) < 3:
                            timed.error_samples.append(f"{path}: HTTP {status} {body[:200]!r}")
                    elif (shown := re.search(r'id="case-count">(\d+)', body)) is not None:
                        timed.totals_shown.add(int(shown.group(1)))
                timed.wall_seconds = time.perf_counter() - wall
                ours = cpu_seconds(os.getpid()) - own_before
                ours += (tree_cpu_seconds(server_pid) - server_before) if server_pid else 0.0
                other = machine_busy_seconds() - busy_before - ours
                timed.other_load = (
                    round(max(other, 0.0) / timed.wall_seconds, 2) if timed.wall_seconds else None
                )
                spread = Spread.of(timed.latencies)
                log(
                    f"  {backend} {scenario.name}: p50 {spread.p50_ms or 0:.0f} ms, "
                    f"p95 {spread.p95_ms or 0:.0f} ms, {statistics.median(timed.statements)} SQL/request, "
                    f"errors {timed.errors}"
                )
                results.append(timed)
    finally:
        sessions.kw["bind"].dispose()
        remove(folder)
    return results


async def _sign_in(client: TestClient) -> None:
    _, page = await _get(client, "/sign-in")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    if token is None:
        raise RuntimeError("the sign-in page has no form token")
    response = await client.post(
        "/sign-in",
        data={"username": LEAD, "password": PASSWORD, "csrf_token": token.group(1)},
        allow_redirects=False,
    )
    if response.status != 303:
        raise RuntimeError(f"signing in as {LEAD} failed: HTTP {response.status}")
    await response.release()


async def _get(client: TestClient, path: str) -> tuple[int, str]:
    response = await client.get(path, allow_redirects=False)
    return response.status, await response.text()
