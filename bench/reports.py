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
import contextlib
import cProfile
import datetime as dt
import io
import itertools
import os
import platform
import pstats
import random
import re
import secrets
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import aiohttp
from aiohttp.test_utils import TestServer
from sqlalchemy import text

from bench.common import (
    after_bulk_load_on_postgres,
    backends,
    log,
    ms,
    positive,
    remove,
    sentences,
    terminate,
)
from bench.procfs import cpu_seconds, machine_busy_seconds, tree_cpu_seconds
from bench.report import _table, write_json
from bench.stats import Spread
from bot.crypto.key_ring import KeyRing, new_key
from bot.domain.vocabulary import PATHWAYS
from bot.questions import QuestionBank, load_bank
from bot.questions.model import AnswerType, Question
from bot.reports import charts
from bot.reports.builder import Period
from bot.reports.service import ReportService
from bot.settings import REPO_ROOT, Settings
from bot.store import bulk_load, db
from bot.store.conversations import new_sender_id
from bot.store.encrypted_text import use_key_ring
from bot.store.passwords import hash_password
from bot.store.references import new_reference
from bot.store.services import Store
from bot.web.app import create_app
from tests.fixtures.postgres_cluster import PostgresCluster

RESULTS_DIR = REPO_ROOT / "var" / "bench"
PASSWORD = "benchmark reports password"  # noqa: S105  # the bench's made-up users, in a throwaway database
LEAD = "north-lead"
COORDINATOR = "coordinator"
TEAMS = (("North team", 0.40), ("South team", 0.25), ("East team", 0.20), ("West team", 0.15))
PRACTITIONERS_PER_TEAM = 12
CHUNK = 1000  # assessments per seeding transaction
TARGET_P95_MS = 500.0
COUNTED = ("practitioner_role", "concern_kinds", "other_needs", "young_person_age")
ROLES = (
    ("teacher", 0.34),
    ("safeguarding_lead", 0.16),
    ("social_worker", 0.08),
    ("early_help", 0.08),
    ("health", 0.12),
    ("youth_worker", 0.07),
    ("police", 0.10),
    ("other_role", 0.05),
)
PATHWAY_WEIGHTS = (
    ("no_further_action", 0.30),
    ("early_help", 0.30),
    ("s17_assessment", 0.15),
    ("s47_strategy", 0.07),
    ("prevent_referral", 0.08),
    ("open_case_update", 0.10),
    ("community_partner", 0.05),
)
FEEDBACK = "Thank you for raising this: we are offering early help and will keep you informed."
LEGEND = """
(a) ms per ReportService.report call, in this process, after the warm-up calls. (b) ms per request, from
sending the GET to having read the whole page, one at a time, signed in through the sign-in form. "charts
drawn afresh": the chart cache emptied before each request (a period nobody has asked for yet). (c) one
request each. other load: cores kept busy, on average, by processes this run did not start while the row
was timed; anything well above 0 makes the figures pessimistic."""

T = TypeVar("T")


# -- seeding ---------------------------------------------------------------------------------------------


@dataclass
class Seeded:
    rows: dict[str, int] = field(default_factory=dict)
    live_by_team: dict[str, int] = field(default_factory=dict)
    rehearsal: int = 0
    seconds: float = 0.0


class Seeder:
    """The rows of one chunk of assessments at a time, with ids it assigns itself."""

    def __init__(self, bank: QuestionBank, args: argparse.Namespace, now: dt.datetime) -> None:
        self.rng = random.Random(args.seed)  # noqa: S311  # seeded, repeatable made-up data; nothing secret
        self.bank = bank
        self.args = args
        self.now = now
        self.counted = {question_id: bank.question(question_id) for question_id in COUNTED}
        self.others = [q for q in bank.authored_questions if q.id not in (*COUNTED, "mode")]
        self.ids = {name: itertools.count(1) for name in bulk_load.table_names()}
        self.references: set[str] = set()
        self.password_hash = hash_password(PASSWORD)  # one real argon2 hash for everyone
        self.teams: list[dict[str, Any]] = []
        self.users: list[dict[str, Any]] = []
        self.practitioners: dict[int, list[int]] = {}
        self.leads: dict[int, int] = {}
        self.seeded = Seeded()

    def next_id(self, table: str) -> int:
        return next(self.ids[table])

    def people(self) -> dict[str, list[dict[str, Any]]]:
        start = self.now - dt.timedelta(days=800)
        for name, _ in TEAMS:
            team_id = self.next_id("teams")
            self.teams.append({"id": team_id, "name": name, "created_at": start})
            short = name.split()[0].lower()
            self.leads[team_id] = self._user(f"{short}-lead", "lead", team_id, start)
            self.practitioners[team_id] = [
                self._user(f"{short}-practitioner-{n}", "practitioner", team_id, start)
                for n in range(1, PRACTITIONERS_PER_TEAM + 1)
            ]
        self._user(COORDINATOR, "coordinator", self.teams[0]["id"], start)
        return {"teams": self.teams, "users": self.users}

    def _user(self, username: str, role: str, team_id: int, at: dt.datetime) -> int:
        user_id = self.next_id("users")
        self.users.append(
            {
                "id": user_id,
                "username": username,
                "password_hash": self.password_hash,
                "role": role,
                "team_id": team_id,
                "active": True,
                "created_at": at,
            }
        )
        return user_id

    def chunk(self, modes: list[str]) -> dict[str, list[dict[str, Any]]]:
        rows: dict[str, list[dict[str, Any]]] = {name: [] for name in bulk_load.table_names()}
        for mode in modes:
            self._assessment(rows, mode)
        return rows

    def _assessment(self, rows: dict[str, list[dict[str, Any]]], mode: str) -> None:
        rng = self.rng
        team = rng.choices(self.teams, weights=[w for _, w in TEAMS])[0]
        team_id = team["id"]
        practitioner = rng.choice(self.practitioners[team_id])
        # Within the last 12 months (the period measured starts 364 days before today).
        submitted = self.now - dt.timedelta(seconds=rng.uniform(3600, 363 * 86400))
        created = submitted - dt.timedelta(minutes=rng.uniform(25, 120))
        conversation_id = self.next_id("conversations")
        rows["conversations"].append(
            {
                "id": conversation_id,
                "sender_id": new_sender_id(),
                "user_id": practitioner,
                "channel": "web" if rng.random() < 0.7 else "msteams",
                "created_at": created,
            }
        )
        assessment_id = self.next_id("assessments")
        reference = new_reference(self.references.__contains__)
        self.references.add(reference)
        urgent = rng.random() < 0.06
        flagged_at = created + (submitted - created) * rng.uniform(0.1, 0.9) if urgent else None
        if urgent:
            rows["urgent_flags"].append(
                {
                    "id": self.next_id("urgent_flags"),
                    "assessment_id": assessment_id,
                    "message": "He said he is taking a knife to school tomorrow to sort them out.",
                    "flagged_at": flagged_at,
                }
            )
        rows["assessments"].append(
            {
                "id": assessment_id,
                "reference": reference,
                "conversation_id": conversation_id,
                "practitioner_id": practitioner,
                "team_id": team_id,
                "mode": mode,
                "status": "submitted",
                "bank_version": self.bank.version,
                "current_question_id": None,
                "urgent": urgent,
                "urgent_first_at": flagged_at,
                "created_at": created,
                "updated_at": submitted,
                "submitted_at": submitted,
            }
        )
        self._answers(rows["answers"], assessment_id, mode, created, submitted)
        if mode == "live":
            self.seeded.live_by_team[team["name"]] = self.seeded.live_by_team.get(team["name"], 0) + 1
        else:
            self.seeded.rehearsal += 1
        self._review(rows, assessment_id, practitioner, self.leads[team_id], submitted)

    def _answers(
        self,
        rows: list[dict[str, Any]],
        assessment_id: int,
        mode: str,
        created: dt.datetime,
        submitted: dt.datetime,
    ) -> None:
        rng = self.rng
        full = rng.random() < 0.85  # reached the exploratory assessment: the age question was answered
        others = rng.sample(self.others, min(self.args.answers, len(self.others)))
        step = (submitted - created) / (len(others) + 10)
        at = created

        def add(question: Question, revision: int, words: str, value: object, status: str) -> None:
            rows.append(
                {
                    "id": self.next_id("answers"),
                    "assessment_id": assessment_id,
                    "question_id": question.id,
                    "revision": revision,
                    "wording": question.text,
                    "text": words,
                    "value": value,
                    "status": status,
                    "source": None,
                    "fact_date": None,
                    "recorded_at": at,
                }
            )

        role = self.counted["practitioner_role"]
        for revision in range(1, 3 if rng.random() < 0.05 else 2):  # 5% changed their role once
            at += step
            choice = role.choice(_pick(rng, ROLES))
            if choice is None:  # a check that `python -O` keeps
                raise SystemExit("bench/reports.py: ROLES names a role the question bank does not offer")
            add(role, revision, choice.label, choice.value, "answered")
        for question_id, none_share in (("concern_kinds", 0.0), ("other_needs", 0.35)):
            at += step
            question = self.counted[question_id]
            picked = [c for c in question.choices if c.value not in ("unsure", "none")]
            roll = rng.random()
            if roll < 0.03:
                add(question, 1, "Not sure", ["unsure"], "unsure")
                continue
            if roll < 0.03 + none_share:
                chosen = [c for c in question.choices if c.value == "none"]
            else:
                chosen = rng.sample(picked, rng.choices((1, 2, 3), weights=(5, 3, 2))[0])
            add(question, 1, ", ".join(c.label for c in chosen), [c.value for c in chosen], "answered")
        if full:
            at += step
            age_question = self.counted["young_person_age"]
            if rng.random() < 0.05:
                add(age_question, 1, "not sure", None, "unsure")
            else:
                age = rng.choices(
                    (8, 10, 12, 13, 14, 15, 16, 17, 18), weights=(2, 4, 9, 12, 16, 18, 16, 12, 3)
                )
                add(age_question, 1, str(age[0]), age[0], "answered")
        for question in others:
            at += step
            if (
                question.answer_type in (AnswerType.SINGLE_CHOICE, AnswerType.YES_NO_UNSURE)
                and question.choices
            ):
                choice = rng.choice(question.choices)
                add(
                    question,
                    1,
                    choice.label,
                    choice.value,
                    "unsure" if choice.value == "unsure" else "answered",
                )
            elif question.answer_type == AnswerType.MULTIPLE_CHOICE and question.choices:
                chosen = rng.sample(question.choices, rng.randint(1, min(3, len(question.choices))))
                add(question, 1, ", ".join(c.label for c in chosen), [c.value for c in chosen], "answered")
            else:
                words = " ".join(rng.sample(sentences(), rng.randint(1, 5)))
                add(question, 1, words, words, "answered")

    def _review(
        self,
        rows: dict[str, list[dict[str, Any]]],
        assessment_id: int,
        practitioner: int,
        lead: int,
        submitted: dt.datetime,
    ) -> None:
        rng = self.rng
        roll = rng.random()
        status = (
            "decided" if roll < 0.45 else "closed" if roll < 0.70 else "in_review" if roll < 0.80 else None
        )
        if status is None:
            return
        opened = min(self.now, submitted + dt.timedelta(hours=rng.uniform(1, 72)))
        referral_id = self.next_id("referrals")
        rows["referrals"].append(
            {
                "id": referral_id,
                "assessment_id": assessment_id,
                "status": status,
                "created_at": opened,
                "updated_at": opened,
            }
        )
        rows["referral_status_changes"].append(
            {
                "id": self.next_id("referral_status_changes"),
                "referral_id": referral_id,
                "from_status": None,
                "to_status": "submitted",
                "reason": None,
                "changed_by": practitioner,
                "changed_at": submitted,
            }
        )
        if status == "in_review":
            return
        decided_at = min(self.now, opened + dt.timedelta(days=rng.uniform(0.1, 30)))
        for _ in range(2 if rng.random() < 0.05 else 1):  # 5% decided again later
            decision_id = self.next_id("decisions")
            first = _pick(rng, PATHWAY_WEIGHTS)
            # 10% combine a second pathway (never with "no further action", as the form insists).
            chosen = [first]
            if first != "no_further_action" and rng.random() < 0.10:
                chosen += [
                    rng.choice([k for k, _ in PATHWAY_WEIGHTS if k not in (first, "no_further_action")])
                ]
            for position, key in enumerate(chosen, start=1):
                rows["decision_pathways"].append(
                    {
                        "id": self.next_id("decision_pathways"),
                        "decision_id": decision_id,
                        "position": position,
                        "pathway": key,
                        "rationale": " ".join(rng.sample(sentences(), 3)),
                        "shared": "The concern and the family's details, to the team named.",
                        "owner": "DSL",
                        "partner": "example_mentoring" if key == "community_partner" else None,
                    }
                )
            rows["decisions"].append(
                {
                    "id": decision_id,
                    "referral_id": referral_id,
                    "decided_by": lead,
                    "decided_at": decided_at,
                    "pathway": None,
                    "rationale": None,
                    "lawful_bases": ["art6_public_task", "art9_sch1_para18"],
                    "consent": "given",
                    "consent_reason": None,
                    "review_date": (decided_at + dt.timedelta(days=rng.choice((14, 28, 42, 90)))).date()
                    if rng.random() < 0.6
                    else None,
                    "feedback": FEEDBACK if rng.random() < 0.75 else None,
                    "feedback_given_on": (decided_at + dt.timedelta(days=2)).date(),
                }
            )
            decided_at = min(self.now, decided_at + dt.timedelta(days=rng.uniform(1, 20)))


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([name for name, _ in weighted], weights=[w for _, w in weighted])[0]


def seed(url: str, args: argparse.Namespace) -> Seeded:
    started = time.perf_counter()
    seeder = Seeder(load_bank(), args, dt.datetime.now(dt.UTC))
    if set(PATHWAYS) != {name for name, _ in PATHWAY_WEIGHTS}:  # a check that `python -O` keeps
        raise SystemExit("bench/reports.py: PATHWAY_WEIGHTS does not weigh every pathway")
    modes = ["live"] * args.assessments + ["rehearsal"] * args.rehearsal
    random.Random(args.seed + 2).shuffle(modes)  # noqa: S311  # seeded, repeatable made-up data; nothing secret
    engine = db.make_engine(url)
    order = bulk_load.table_names()
    try:
        with engine.begin() as connection:
            bulk_load.insert_rows(connection, seeder.people())
        for start in range(0, len(modes), CHUNK):
            rows = seeder.chunk(modes[start : start + CHUNK])
            with engine.begin() as connection:
                bulk_load.insert_rows(connection, rows)
            done = min(start + CHUNK, len(modes))
            log(f"  seeded {done:,} assessments ({time.perf_counter() - started:.0f} s)")
        with engine.connect() as connection:
            counts = bulk_load.row_counts(connection)
        if engine.dialect.name == "postgresql":
            after_bulk_load_on_postgres(engine, [name for name in order if counts[name]])
    finally:
        engine.dispose()
    seeder.seeded.rows = {name: count for name, count in counts.items() if count}
    seeder.seeded.seconds = time.perf_counter() - started
    return seeder.seeded


# -- measuring -------------------------------------------------------------------------------------------


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


# -- the run ---------------------------------------------------------------------------------------------


@contextlib.contextmanager
def database(backend: str, folder: Path) -> Iterator[tuple[str, int | None, dict[str, Any]]]:
    if backend == "sqlite":
        path = folder / "store.db"
        yield f"sqlite:///{path}", None, {"file": str(path)}
        return
    with PostgresCluster(prefix="bench-reports-pg-", locale="C.UTF-8") as cluster:
        url = cluster.create_database("store")
        yield (
            url,
            cluster.server_pid,
            {"server_version": cluster.version, "locale": "C.UTF-8", "fsync": "off"},
        )


def database_bytes(url: str) -> int | None:
    engine = db.make_engine(url)
    try:
        if engine.dialect.name == "sqlite":
            path = Path(engine.url.database or "")
            return sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT pg_database_size(current_database())")).scalar_one())
    finally:
        engine.dispose()


def run_backend(backend: str, args: argparse.Namespace) -> tuple[list[Timed], dict[str, Any]]:
    folder = Path(tempfile.mkdtemp(prefix=f"bench-reports-{backend}-"))
    try:
        with database(backend, folder) as (url, server_pid, about):
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
    _print(results, record, args, json_path)
    return 130 if record.get("interrupted") else 0


def _print(
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


if __name__ == "__main__":
    sys.exit(main())
