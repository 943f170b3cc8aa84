"""Timing the reports: the service called directly, the page and the exports through the real app, and
cProfile over the page.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import datetime as dt
import io
import os
import pstats
import re
import secrets
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
from aiohttp.test_utils import TestServer
from sqlalchemy import text

from bench.common import log, remove
from bench.procfs import cpu_seconds, machine_busy_seconds, tree_cpu_seconds
from bench.reports_seeding import COORDINATOR, LEAD, PASSWORD
from bench.stats import Spread
from bot.questions import load_bank
from bot.reports import charts
from bot.reports.builder import Period
from bot.reports.service import ReportService
from bot.settings import Settings
from bot.store import db
from bot.store.services import Store
from bot.web.app import create_app

T = TypeVar("T")


@dataclass
class Timed:
    part: str
    name: str
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    bytes: int = 0
    other_load: float | None = None
    total_shown: str = ""

    def json(self) -> dict[str, Any]:
        spread = Spread.of(self.latencies)
        return {
            "part": self.part,
            "name": self.name,
            "runs": len(self.latencies),
            "errors": self.errors,
            "p50_ms": spread.p50_ms,
            "p95_ms": spread.p95_ms,
            "max_ms": spread.max_ms,
            "bytes": self.bytes,
            "other_load_cores": self.other_load,
            "total_shown": self.total_shown,
            "latencies_ms": [round(t * 1000, 2) for t in self.latencies],
        }


class Load:
    """Cores kept busy by other processes while something was timed (see bench/README.md)."""

    def __init__(self, server_pid: int | None) -> None:
        self.server_pid = server_pid
        self.busy, self.ours = machine_busy_seconds(), self._ours()
        self.wall = time.perf_counter()

    def _ours(self) -> float:
        own = cpu_seconds(os.getpid())
        return own + (tree_cpu_seconds(self.server_pid) if self.server_pid else 0.0)

    def cores(self) -> float | None:
        wall = time.perf_counter() - self.wall
        other = machine_busy_seconds() - self.busy - (self._ours() - self.ours)
        return round(max(other, 0.0) / wall, 2) if wall > 0 else None


def twelve_months() -> Period:
    today = dt.date.today()
    return Period(today - dt.timedelta(days=364), today)


def query_of(period: Period) -> str:
    return f"from={period.first:%d/%m/%Y}&to={period.last:%d/%m/%Y}"


def time_service(url: str, args: argparse.Namespace, server_pid: int | None) -> list[Timed]:
    sessions = db.make_session_factory(url)
    service = ReportService(sessions, load_bank())
    period = twelve_months()
    results = []
    try:
        with sessions() as session:
            users = dict(session.execute(text("SELECT username, id FROM users")).all())
        for name, user in (("coordinator, all teams", COORDINATOR), ("lead, own team", LEAD)):
            for _ in range(args.warmup):
                service.report(users[user], "127.0.0.1", period, None)
            timed = Timed("(a) ReportService.report", name)
            load = Load(server_pid)
            for _ in range(args.runs):
                started = time.perf_counter()
                report = service.report(users[user], "127.0.0.1", period, None)
                timed.latencies.append(time.perf_counter() - started)
            timed.other_load = load.cores()
            roles = next(table for table in report.tables if table.id == "referrer_role")
            timed.total_shown = f"{report.scope}: {roles.total.figures[0].text if roles.total else '?'}"
            results.append(timed)
            log(f"  (a) {name}: p50 {Spread.of(timed.latencies).p50_ms:.0f} ms ({timed.total_shown})")
    finally:
        sessions.kw["bind"].dispose()
    return results


class Browser:
    """One signed-in person: their own cookie jar, against the app's real port."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))

    async def sign_in(self, username: str) -> None:
        _, page, _ = await self.get("/sign-in")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.decode())
        if token is None:
            raise RuntimeError("the sign-in page has no form token")
        async with self.session.post(
            self.base + "/sign-in",
            data={"username": username, "password": PASSWORD, "csrf_token": token.group(1)},
            allow_redirects=False,
        ) as response:
            if response.status != 303:
                raise RuntimeError(f"signing in as {username} failed: HTTP {response.status}")

    async def get(self, path: str) -> tuple[int, bytes, str]:
        async with self.session.get(self.base + path, allow_redirects=False) as response:
            return response.status, await response.read(), response.content_type

    async def close(self) -> None:
        await self.session.close()


def app_settings(url: str, folder: Path) -> Settings:
    return Settings.from_env(
        {
            "BOT_DATA_DIR": str(folder / "data"),
            "BOT_DATABASE_URL": url,
            "BOT_ENGINE_PORT": "9",  # never reached by these pages
            "BOT_SERVICE_TOKEN": secrets.token_hex(32),
            "BOT_SESSION_SECRET": secrets.token_hex(32),
            # The bench times the pages, not the sign-in: its lead and coordinator give no second factor
            # (as in development and the tests; production refuses this setting).
            "BOT_TOTP_REQUIRED": "false",
        }
    )


@contextlib.asynccontextmanager
async def running_app(url: str) -> Any:
    folder = Path(tempfile.mkdtemp(prefix="bench-reports-app-"))
    sessions = db.make_session_factory(url)
    server = TestServer(create_app(app_settings(url, folder), Store(sessions)), host="127.0.0.1")
    await server.start_server()
    people = {name: Browser(f"http://127.0.0.1:{server.port}") for name in (COORDINATOR, LEAD)}
    try:
        for name, browser in people.items():
            await browser.sign_in(name)
        yield people
    finally:
        for browser in people.values():
            await browser.close()
        await server.close()
        sessions.kw["bind"].dispose()
        remove(folder)


async def time_pages(url: str, args: argparse.Namespace, server_pid: int | None) -> list[Timed]:
    path = f"/reports?{query_of(twelve_months())}"
    results = []
    async with running_app(url) as people:
        kinds = (
            ("coordinator, all teams", COORDINATOR, False),
            ("coordinator, all teams, charts drawn afresh", COORDINATOR, True),
            ("lead, own team", LEAD, False),
        )
        for name, who, afresh in kinds:
            browser = people[who]
            for _ in range(args.warmup):
                await browser.get(path)
            timed = Timed("(b) GET /reports", name)
            load = Load(server_pid)
            for _ in range(args.runs):
                if afresh:
                    charts._render.cache_clear()
                started = time.perf_counter()
                status, body, _ = await browser.get(path)
                timed.latencies.append(time.perf_counter() - started)
                timed.errors += status != 200
                timed.bytes = len(body)
            timed.other_load = load.cores()
            total = re.search(
                rb'id="referrer_role".*?Total</th>.*?<strong>([^<]*)</strong>', body, re.S
            )  # the referrers' table's total: every concern counted
            heading = re.search(rb'id="summary">([^:<]*):', body)
            scope = heading.group(1).decode() if heading else "?"
            timed.total_shown = f"{scope}: {total.group(1).decode() if total else '?'}"
            results.append(timed)
            spread = Spread.of(timed.latencies)
            log(
                f"  (b) {name}: p50 {spread.p50_ms:.0f} ms, p95 {spread.p95_ms:.0f} ms, errors {timed.errors}"
            )
        for extension in ("xlsx", "csv"):
            timed = Timed("(c) export, once", f"coordinator, all teams, {extension}")
            load = Load(server_pid)
            started = time.perf_counter()
            status, body, _ = await people[COORDINATOR].get(
                f"/reports/export.{extension}?{query_of(twelve_months())}"
            )
            timed.latencies.append(time.perf_counter() - started)
            timed.errors, timed.bytes, timed.other_load = int(status != 200), len(body), load.cores()
            results.append(timed)
            log(f"  (c) {extension}: {timed.latencies[0] * 1000:.0f} ms, {len(body):,} bytes, HTTP {status}")
    return results


async def profile_page(url: str, runs: int, afresh: bool) -> str:
    """cProfile over `runs` page requests with the handlers' worker threads run inline, so one profile holds
    the client, the server, the queries, the figures, the charts and the template."""
    path = f"/reports?{query_of(twelve_months())}"
    real_to_thread = asyncio.to_thread

    async def inline(function: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        return function(*args, **kwargs)

    profile = cProfile.Profile()
    async with running_app(url) as people:
        await people[COORDINATOR].get(path)
        asyncio.to_thread = inline  # type: ignore[assignment]
        try:
            for _ in range(runs):
                if afresh:
                    charts._render.cache_clear()
                profile.enable()
                await people[COORDINATOR].get(path)
                profile.disable()
        finally:
            asyncio.to_thread = real_to_thread
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out).strip_dirs()
    stats.sort_stats("cumulative").print_stats(25)
    stats.sort_stats("tottime").print_stats(15)
    return out.getvalue()
