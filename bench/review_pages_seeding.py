"""The review pages benchmark's made-up store: teams, people, and submitted assessments with their answers
and audit trail, a chunk at a time (see bench/review_pages.py for what is seeded and why).
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import random
import time
from dataclasses import dataclass, field
from typing import Any

from bench.common import after_bulk_load_on_postgres, log, sentences
from bench.review_pages_reviews import Audit, review_rows
from bot.questions import QuestionBank, load_bank
from bot.questions.model import AnswerType, Question
from bot.store import bulk_load, db
from bot.store.conversations import new_sender_id
from bot.store.passwords import hash_password
from bot.store.references import new_reference

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
        audit = Audit(self, rows["audit_events"], sender, assessment_id)
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
            review_rows(
                self, rows, audit, assessment_id, practitioner, reviewer, submitted, status, answers, mode
            )

    def _answers(
        self,
        rows: dict[str, list[dict[str, Any]]],
        assessment_id: int,
        mode: str,
        created: dt.datetime,
        submitted: dt.datetime,
        audit: Audit,
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
