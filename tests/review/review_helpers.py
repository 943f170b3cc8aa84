"""Building cases for the review tests: real users and real submitted assessments in a real SQLite store."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.review.records import CaseDocument
from bot.store.models import UrgentFlag
from bot.store.services import Store
from bot.store.urgent_models import Notification
from bot.web.review import REVIEW
from tests.fixtures.cases import build_case

PASSWORD = "correct horse battery staple"
# Leading spaces, a blank line, trailing space and characters HTML must escape: shown exactly as typed.
VERBATIM = '  He said: <b>"they\'ll see"</b> & left.\n\nThen he came back. '
URGENT_MESSAGE = "He has a knife in his bag right now."
FAR_FUTURE = datetime(2100, 1, 1, tzinfo=UTC)
# Answers to the danger follow-up questions: (question id, wording as asked, the practitioner's words).
DANGER_DETAILS = (
    (
        "danger_what",
        "What is happening now?",
        '  He said <he\'ll "do it" today> & ran off.\n\nNot seen since. ',
    ),
    ("danger_999", "Has 999 been called? If so, what is the police reference?", "Yes, ref CAD 4412/26"),
)


@dataclass(frozen=True)
class Case:
    id: int
    reference: str
    conversation_id: str


def make_user(store: Store, name: str, role: str, team: str) -> UserInfo:
    return store.users.create_user(name, PASSWORD, role, team)


def make_case(
    store: Store,
    bank: QuestionBank,
    practitioner: UserInfo,
    *,
    mode: str = "live",
    submit: bool = True,
    urgent: bool = False,
    text: str = VERBATIM,
) -> Case:
    """A real assessment with one free-text answer (dated) and one choice answer (tests/fixtures/cases.py)."""
    record = build_case(
        store,
        bank,
        practitioner,
        text=text,
        fact_date=date(2026, 2, 14),
        danger=URGENT_MESSAGE if urgent else None,
        submit=submit,
        mode=mode,
    )
    return Case(record.id, record.reference, record.conversation_id)


def urgent_cases(store: Store, bank: QuestionBank, people: dict[str, UserInfo]) -> dict[str, Case]:
    """Urgent and in progress on both teams, plus in-progress cases that must never reach a lead
    (tests/review/test_urgent_cases.py)."""
    north, south = people["north-practitioner"], people["south-practitioner"]
    return {
        "north-urgent": make_case(store, bank, north, submit=False, urgent=True),
        "south-urgent": make_case(store, bank, south, submit=False, urgent=True),
        "north-quiet": make_case(store, bank, north, submit=False),
        "north-urgent-rehearsal": make_case(store, bank, north, mode="rehearsal", submit=False, urgent=True),
    }


def flagged_cases(store: Store, bank: QuestionBank, people: dict[str, UserInfo]) -> dict[str, Case]:
    """North's urgent cases: one still being written, one submitted; and South's submitted urgent case
    (tests/review/test_urgent_stand_down.py)."""
    north, south = people["north-practitioner"], people["south-practitioner"]
    return {
        "unsubmitted": make_case(store, bank, north, submit=False, urgent=True),
        "submitted": make_case(store, bank, north, urgent=True),
        "south": make_case(store, bank, south, urgent=True),
    }


# Rows some modules' tests all start from besides the people and cases (a fixture of that name in the module
# returns them): made once per worker too, after the people and, for a test that also uses `cases`, after the
# cases, so every row has the id it had when each test made them in that order.
LAYERS: dict[str, Callable[[Store, QuestionBank, dict[str, UserInfo]], dict[str, Case]]] = {
    "urgent": urgent_cases,
    "flagged": flagged_cases,
}


# The seeded layer a test's database was copied from (tests/review/conftest.py `database_url`).
LAYER = pytest.StashKey[dict[str, Case]]()


def seeded_layer(
    name: str, store: Store, bank: QuestionBank, people: dict[str, UserInfo], request: pytest.FixtureRequest
) -> dict[str, Case]:
    """A module's layer fixture: the seeded rows, or made now when this test's database is not a seed copy
    (a module with its own `database_url`). Ask for `cases` first when the test uses both."""
    made = request.node.stash.get(LAYER, None)
    return dict(made) if made is not None else LAYERS[name](store, bank, people)


def tagged_answer(store: Store, case: Case) -> tuple[str, int]:
    """The question id and current revision of the case's free-text answer: the one the tag tests tag."""
    record = store.assessments.get_assessment(case.conversation_id)
    assert record is not None
    answer = next(a for a in record.answers.values() if a.value == a.text)
    return answer.question_id, answer.revision


async def page(client: TestClient, path: str, status: int = 200) -> str:
    response = await client.get(path, allow_redirects=False)
    body = await response.text()
    assert response.status == status, (path, response.status, body[:500])
    return body


def csrf_from(body: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', body)
    assert match, "the page has no form token"
    return match.group(1)


async def sign_in(client: TestClient, username: str) -> None:
    token = csrf_from(await page(client, "/sign-in"))
    response = await client.post(
        "/sign-in",
        data={"username": username, "password": PASSWORD, "csrf_token": token},
        allow_redirects=False,
    )
    assert response.status == 303, await response.text()


async def post_form(client: TestClient, path: str, data: Any, token_from: str = "/chat") -> Any:
    """Post with the session's own form token (read from a page every signed-in user may open)."""
    token = csrf_from(await page(client, token_from))
    fields = [("csrf_token", token), *(data.items() if isinstance(data, dict) else data)]
    return await client.post(path, data=fields, allow_redirects=False)


def add_danger_details(sessions: sessionmaker[Session], case: Case, at: datetime) -> None:
    """The answers to the danger follow-up questions, as rows of `urgent_flags` with their question.

    Written through a session: the store's service for them (`urgent_detail` in apply_turn) is another
    engineer's, and the rows are what the review reads."""
    with sessions.begin() as session:
        for question_id, wording, text in DANGER_DETAILS:
            session.add(
                UrgentFlag(
                    assessment_id=case.id,
                    message=text,
                    flagged_at=at,
                    question_id=question_id,
                    wording=wording,
                )
            )


def add_notice(
    sessions: sessionmaker[Session],
    case: Case,
    recipient: UserInfo,
    *,
    channel: str,
    status: str,
    at: datetime,
    attempts: int = 0,
    sent_at: datetime | None = None,
) -> None:
    """A row of the notification outbox as the notifier leaves it (it is the notifier's to write). A pending
    one is next due in the far future, so the app's own notifier leaves it alone while the test reads it."""
    with sessions.begin() as session:
        session.add(
            Notification(
                assessment_id=case.id,
                recipient_id=recipient.id,
                purpose="urgent_flag",
                channel=channel,
                status=status,
                attempts=attempts,
                next_attempt_at=FAR_FUTURE if status == "pending" else at,
                created_at=at,
                sent_at=sent_at,
            )
        )


def case_document(app: web.Application, viewer: UserInfo, case: Case) -> CaseDocument:
    """The case document an export renders, as `viewer` may read it (audited as a PDF export)."""
    return app[REVIEW].export_case(viewer.id, "127.0.0.1", case.id, "pdf")
