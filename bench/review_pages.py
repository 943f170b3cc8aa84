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
import contextlib
import datetime as dt
import itertools
import math
import os
import platform
import random
import re
import secrets
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import Connection, Engine, event, text
from sqlalchemy.engine import make_url

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
from bot.domain.vocabulary import CONSENT_DECISIONS, CONSENT_NEEDS_REASON, PATHWAYS, VAF_DIMENSIONS
from bot.questions import QuestionBank, load_bank
from bot.questions.model import AnswerType, Question
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
PASSWORD = "benchmark lead password"  # noqa: S105  # the bench's made-up users, in a throwaway database
LEAD = "north-lead"
TEAMS = (
    ("North team", 0.40),
    ("South team", 0.15),
    ("East team", 0.15),
    ("West team", 0.15),
    ("Central team", 0.15),
)
PRACTITIONERS_PER_TEAM = 25
CHUNK = 250  # assessments per seeding transaction
PAGE_SIZE = 25  # bot.review.services.PAGE_SIZE
LATER_PAGE = 100
REVIEWED = (("in_review", 0.15), ("decided", 0.20), ("closed", 0.10))  # the rest: never opened
SOURCES = (
    "I saw or heard it myself",
    "The young person told me",
    "Someone else told me: their form tutor",
    "Someone else told me: mum",
    "Online: a post the young person shared",
)
URGENT_MESSAGES = (
    "He said he is taking a knife to school tomorrow to sort them out.",
    "She has told friends she is flying out on Friday to join them and not coming back.",
)
LEGEND = """
ms per request, from sending the GET to having read the whole page, one request at a time, signed in as
the North lead. SQL/req: statements the app sent to the database per request (median; on SQLite this
counts the BEGIN the store issues itself). KB: size of the page (median). other load: cores
kept busy, on average, by processes this run did not start (other tests, builds) while the page was timed;
anything well above 0 means the figures are pessimistic."""


# -- seeding ---------------------------------------------------------------------------------------------


@dataclass
class Seeded:
    """What the measurement needs to know about the seeded store."""

    lead_team_id: int = 0
    unopened: list[int] = field(default_factory=list)  # North live cases nobody has opened yet
    reviewed: list[int] = field(default_factory=list)  # North live cases with a referral
    references: list[str] = field(default_factory=list)  # of North live cases
    visible: int = 0  # cases in the lead's list
    rows: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


class Seeder:
    """Builds the rows of one chunk of assessments at a time, with ids it assigns itself."""

    def __init__(self, bank: QuestionBank, args: argparse.Namespace, now: dt.datetime) -> None:
        self.rng = random.Random(args.seed)  # noqa: S311  # seeded, repeatable made-up data; nothing secret
        self.bank = bank
        self.args = args
        self.now = now
        self.questions = [q for q in bank.authored_questions if q.id != "mode"]
        self.ids = {name: itertools.count(1) for name in bulk_load.table_names()}
        self.references: set[str] = set()
        self.password_hash = hash_password(PASSWORD)  # one real argon2 hash for everyone
        self.teams: list[dict[str, Any]] = []
        self.users: list[dict[str, Any]] = []
        self.practitioners: dict[int, list[int]] = {}
        self.leads: dict[int, int] = {}
        self.trainers: dict[int, int] = {}
        self.tags = "evidence_tags" in bulk_load.table_names()
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
            self.trainers[team_id] = self._user(f"{short}-trainer", "trainer", team_id, start)
            self.practitioners[team_id] = [
                self._user(f"{short}-practitioner-{n}", "practitioner", team_id, start)
                for n in range(1, PRACTITIONERS_PER_TEAM + 1)
            ]
        self.seeded.lead_team_id = self.teams[0]["id"]
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

    def chunk(self, count: int) -> dict[str, list[dict[str, Any]]]:
        rows: dict[str, list[dict[str, Any]]] = {name: [] for name in bulk_load.table_names()}
        for _ in range(count):
            self._assessment(rows)
        return rows

    def _assessment(self, rows: dict[str, list[dict[str, Any]]]) -> None:
        rng = self.rng
        team = rng.choices(self.teams, weights=[w for _, w in TEAMS])[0]
        team_id = team["id"]
        practitioner = rng.choice(self.practitioners[team_id])
        mode = "live" if rng.random() < 0.85 else "rehearsal"
        submitted = self.now - dt.timedelta(seconds=rng.uniform(3600, 730 * 86400))
        created = submitted - dt.timedelta(minutes=rng.uniform(25, 120))
        sender = new_sender_id()
        conversation_id = self.next_id("conversations")
        rows["conversations"].append(
            {
                "id": conversation_id,
                "sender_id": sender,
                "user_id": practitioner,
                "channel": "web" if rng.random() < 0.7 else "msteams",
                "created_at": created,
            }
        )
        assessment_id = self.next_id("assessments")
        reference = new_reference(self.references.__contains__)
        self.references.add(reference)
        urgent = rng.random() < 0.06
        audit = _Audit(self, rows["audit_events"], sender, assessment_id)
        audit.add("conversation.opened", created, assessment=False, user_id=practitioner, channel="web")
        audit.add(
            "assessment.started", created, reference=reference, mode=mode, bank_version=self.bank.version
        )

        answers = self._answers(rows, assessment_id, mode, created, submitted, audit)
        flagged_at = None
        if urgent:
            for message in rng.sample(URGENT_MESSAGES, rng.randint(1, 2)):
                at = created + (submitted - created) * rng.uniform(0.1, 0.9)
                flagged_at = min(flagged_at or at, at)
                rows["urgent_flags"].append(
                    {
                        "id": self.next_id("urgent_flags"),
                        "assessment_id": assessment_id,
                        "message": message,
                        "flagged_at": at,
                    }
                )
                audit.add("assessment.flagged_urgent", at)
        audit.add("assessment.submitted", submitted)
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
        status = _pick(rng, REVIEWED)
        lead_case = team_id == self.seeded.lead_team_id and mode == "live"
        if lead_case:
            self.seeded.visible += 1
            self.seeded.references.append(reference)
            (self.seeded.reviewed if status else self.seeded.unopened).append(assessment_id)
        if status:
            reviewer = self.leads[team_id] if mode == "live" else self.trainers[team_id]
            self._review(rows, audit, assessment_id, practitioner, reviewer, submitted, status, answers, mode)

    def _answers(
        self,
        rows: dict[str, list[dict[str, Any]]],
        assessment_id: int,
        mode: str,
        created: dt.datetime,
        submitted: dt.datetime,
        audit: _Audit,
    ) -> list[dict[str, Any]]:
        rng = self.rng
        # A run's mode is on the assessment, not an answer (issue #26): every answer is a question's.
        wanted = self.args.answers
        chosen = set(rng.sample(range(len(self.questions)), min(wanted, len(self.questions))))
        questions = [q for n, q in enumerate(self.questions) if n in chosen]
        step = (submitted - created) / (len(questions) + 12)
        at = created
        given: list[dict[str, Any]] = []
        for question in questions:
            at += step
            audit.add("assessment.position_set", at, question_id=question.id)
            row = self._answer(question, assessment_id, 1, at, mode=mode)
            given.append(row)
            audit.add("answer.recorded", at, question_id=question.id, revision=1, status=row["status"])
        current = {row["question_id"]: row for row in given}
        revised = [row for row in given if row["question_id"] != "mode" and rng.random() < 0.08]
        for earlier in revised:  # changed later from "check your answers", sometimes twice
            for revision in range(2, 3 if rng.random() < 0.85 else 4):
                at += step / 4
                question = self.bank.question(earlier["question_id"])
                row = self._answer(question, assessment_id, revision, at, mode=mode)
                given.append(row)
                current[row["question_id"]] = row
                audit.add(
                    "answer.recorded", at, question_id=question.id, revision=revision, status=row["status"]
                )
        rows["answers"].extend(given)
        return list(current.values())

    def _answer(
        self, question: Question, assessment_id: int, revision: int, at: dt.datetime, *, mode: str
    ) -> dict[str, Any]:
        rng = self.rng
        status, value, fact_date, source = "answered", None, None, None
        kind = question.answer_type
        if kind in (AnswerType.SINGLE_CHOICE, AnswerType.YES_NO_UNSURE):
            choice = rng.choice(question.choices)
            words, value = choice.label, choice.value
            if choice.value == "unsure":
                status = "unsure"
        elif kind == AnswerType.MULTIPLE_CHOICE:
            picked = rng.sample(question.choices, rng.randint(1, min(3, len(question.choices))))
            words, value = ", ".join(c.label for c in picked), [c.value for c in picked]
        elif kind == AnswerType.DATE:
            fact_date = (at - dt.timedelta(days=rng.randint(1, 700))).date()
            words, value = f"{fact_date:%B %Y}", fact_date.isoformat()
        elif kind == AnswerType.AGE:
            age = rng.randint(9, 17)
            words, value = str(age), age
        elif rng.random() < 0.04 and question.optional:
            words, status = "", "skipped"
        else:
            words = " ".join(rng.sample(sentences(), rng.randint(1, 5)))
            value = words
            if rng.random() < 0.25:
                fact_date = (at - dt.timedelta(days=rng.randint(1, 700))).date()
        if question.ask_source and status == "answered":
            source = rng.choice(SOURCES)
        return {
            "id": self.next_id("answers"),
            "assessment_id": assessment_id,
            "question_id": question.id,
            "revision": revision,
            "wording": question.text,
            "text": words,
            "value": value,
            "status": status,
            "source": source,
            "fact_date": fact_date,
            "recorded_at": at,
        }

    def _review(
        self,
        rows: dict[str, list[dict[str, Any]]],
        audit: _Audit,
        assessment_id: int,
        practitioner: int,
        reviewer: int,
        submitted: dt.datetime,
        status: str,
        answers: list[dict[str, Any]],
        mode: str,
    ) -> None:
        rng = self.rng
        opened = min(self.now, submitted + dt.timedelta(hours=rng.uniform(1, 72)))
        referral_id = self.next_id("referrals")
        path = ["submitted", "in_review", "decided", "closed"][
            : ["in_review", "decided", "closed"].index(status) + 2
        ]
        changes = [(None, "submitted", practitioner, submitted)]
        at = opened
        for before, after in itertools.pairwise(path):
            changes.append((before, after, reviewer, at))
            at = min(self.now, at + dt.timedelta(hours=rng.uniform(1, 48)))
        rows["referrals"].append(
            {
                "id": referral_id,
                "assessment_id": assessment_id,
                "status": status,
                "created_at": opened,
                "updated_at": changes[-1][3],
            }
        )
        as_lead = {"actor": reviewer, "user_id": reviewer, "address": "127.0.0.1"}
        audit.add("referral.created", opened, referral_id=referral_id, **as_lead)
        for before, after, by, when in changes:
            rows["referral_status_changes"].append(
                {
                    "id": self.next_id("referral_status_changes"),
                    "referral_id": referral_id,
                    "from_status": before,
                    "to_status": after,
                    "reason": None,
                    "changed_by": by,
                    "changed_at": when,
                }
            )
            if before is not None:
                audit.add("referral.status_changed", when, from_status=before, to_status=after, **as_lead)
        for _ in range(rng.randint(1, 4)):
            audit.add("case.viewed", opened + dt.timedelta(minutes=rng.uniform(0, 600)), **as_lead)
        if status in ("decided", "closed"):
            decided_at = changes[2][3]
            decision_id = self.next_id("decisions")
            consent = rng.choice(list(CONSENT_DECISIONS))
            rows["decisions"].append(
                {
                    "id": decision_id,
                    "referral_id": referral_id,
                    "decided_by": reviewer,
                    "decided_at": decided_at,
                    "pathway": None,
                    "rationale": None,
                    "lawful_bases": ["art6_public_task", "art9_sch1_para18"],
                    "consent": consent,
                    "consent_reason": "Telling the family now could put the young person at risk."
                    if consent in CONSENT_NEEDS_REASON
                    else None,
                    "review_date": (decided_at + dt.timedelta(days=42)).date(),
                    "feedback": "Thank you: we are offering early help and will keep you informed.",
                    "feedback_given_on": (decided_at + dt.timedelta(days=2)).date(),
                }
            )
            pathway = rng.choice(list(PATHWAYS))
            rows["decision_pathways"].append(
                {
                    "id": self.next_id("decision_pathways"),
                    "decision_id": decision_id,
                    "position": 1,
                    "pathway": pathway,
                    "rationale": " ".join(rng.sample(sentences(), 4)),
                    "shared": "The concern and the family's details, to the team named.",
                    "owner": "DSL",
                    "partner": "example_mentoring" if pathway == "community_partner" else None,
                }
            )
            for position in range(1, rng.randint(1, 3) + 1):
                rows["decision_actions"].append(
                    {
                        "id": self.next_id("decision_actions"),
                        "decision_id": decision_id,
                        "position": position,
                        "description": "Arrange a meeting with the family and the school.",
                        "owner": "DSL",
                        "due_date": (decided_at + dt.timedelta(days=7 * position)).date(),
                    }
                )
            audit.add("decision.recorded", decided_at, decision_id=decision_id, **as_lead)
            if self.tags and mode == "live":
                free_text = [a for a in answers if isinstance(a["value"], str) and a["status"] == "answered"]
                for answer, dimension in zip(
                    rng.sample(free_text, min(3, len(free_text))),
                    rng.sample(list(VAF_DIMENSIONS), 3),
                    strict=False,
                ):
                    rows["evidence_tags"].append(
                        {
                            "id": self.next_id("evidence_tags"),
                            "assessment_id": assessment_id,
                            "question_id": answer["question_id"],
                            "answer_revision": answer["revision"],
                            "dimension": dimension,
                            "note": None,
                            "tagged_by": reviewer,
                            "tagged_at": decided_at - dt.timedelta(minutes=5),
                            "removed_by": None,
                            "removed_at": None,
                        }
                    )


class _Audit:
    """The audit events one assessment gets, shaped as bot.store.audit.record_event writes them."""

    def __init__(self, seeder: Seeder, rows: list[dict[str, Any]], sender: str, assessment_id: int) -> None:
        self.seeder, self.rows, self.sender, self.assessment_id = seeder, rows, sender, assessment_id

    def add(
        self,
        action: str,
        at: dt.datetime,
        *,
        assessment: bool = True,
        actor: int | None = None,
        user_id: int | None = None,
        **detail: Any,
    ) -> None:
        self.rows.append(
            {
                "id": self.seeder.next_id("audit_events"),
                "at": at,
                "actor_kind": "user" if actor else "service",
                "actor_id": str(actor) if actor else None,
                "action": action,
                "conversation_id": self.sender,
                "assessment_id": self.assessment_id if assessment else None,
                "user_id": user_id,
                "detail": detail,
            }
        )


def _pick(rng: random.Random, weighted: tuple[tuple[str, float], ...]) -> str | None:
    roll = rng.random()
    for name, weight in weighted:
        if roll < weight:
            return name
        roll -= weight
    return None


def seed(url: str, args: argparse.Namespace) -> Seeded:
    started = time.perf_counter()
    seeder = Seeder(load_bank(), args, dt.datetime.now(dt.UTC))
    engine = db.make_engine(url)
    order = bulk_load.table_names()
    try:
        with engine.begin() as connection:
            bulk_load.insert_rows(connection, seeder.people())
        done = 0
        while done < args.assessments:
            count = min(CHUNK, args.assessments - done)
            rows = seeder.chunk(count)
            with engine.begin() as connection:
                bulk_load.insert_rows(connection, rows)
            done += count
            if done % 1000 == 0 or done == args.assessments:
                log(f"  seeded {done:,} assessments ({time.perf_counter() - started:.0f} s)")
        with engine.connect() as connection:
            counts = bulk_load.row_counts(connection)
        if engine.dialect.name == "postgresql":
            after_bulk_load_on_postgres(engine, [name for name in order if counts[name]])
    finally:
        engine.dispose()
    seeder.seeded.rows = counts
    seeder.seeded.seconds = time.perf_counter() - started
    return seeder.seeded


# -- measuring -------------------------------------------------------------------------------------------


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


# -- the run ---------------------------------------------------------------------------------------------


@contextlib.contextmanager
def database(backend: str, folder: Path) -> Iterator[tuple[str, int | None, dict[str, Any]]]:
    """A new empty database: its URL, the server's pid (PostgreSQL) and what to record about it."""
    if backend == "sqlite":
        path = folder / "store.db"
        yield f"sqlite:///{path}", None, {"file": str(path)}
        return
    with PostgresCluster(prefix="bench-review-pg-", locale="C.UTF-8") as cluster:
        url = cluster.create_database("store")
        yield (
            url,
            cluster.server_pid,
            {"server_version": cluster.version, "locale": "C.UTF-8", "fsync": "off"},
        )


def database_bytes(url: str) -> int | None:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*") if p.is_file())
    engine = db.make_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT pg_database_size(current_database())")).scalar_one())
    finally:
        engine.dispose()


def run_backend(backend: str, args: argparse.Namespace) -> tuple[list[Timed], dict[str, Any]]:
    folder = Path(tempfile.mkdtemp(prefix=f"bench-review-{backend}-"))
    try:
        with database(backend, folder) as (url, server_pid, about):
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
    _print(results, record, args, json_path)
    return 130 if record.get("interrupted") else 0


def _print(
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


if __name__ == "__main__":
    sys.exit(main())
