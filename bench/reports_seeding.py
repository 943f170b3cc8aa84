"""The reports benchmark's made-up store: four teams, their people, and a year of live and practice concerns
with the answers the reports count and the decisions on them (see bench/reports.py for the spread).
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
from bot.domain.vocabulary import PATHWAYS
from bot.questions import QuestionBank, load_bank
from bot.questions.model import AnswerType, Question
from bot.store import bulk_load, db
from bot.store.conversations import new_sender_id
from bot.store.passwords import hash_password
from bot.store.references import new_reference

PASSWORD = "benchmark reports password"  # noqa: S105  # the bench's made-up users, in a throwaway database
LEAD = "north-lead"
COORDINATOR = "coordinator"
TEAMS = (("North team", 0.40), ("South team", 0.25), ("East team", 0.20), ("West team", 0.15))
PRACTITIONERS_PER_TEAM = 12
CHUNK = 1000  # assessments per seeding transaction
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
