"""Concerns made the way the product makes them (the store's services, the review's decisions), each with
the closed answers the reports count, at a moment the test chooses."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

from aiohttp.test_utils import TestClient
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import AnswerIn, UserInfo
from bot.questions import QuestionBank
from bot.review.forms import DecisionIn
from bot.review.pathway_records import PathwayIn
from bot.review.services import ReviewService
from bot.store.services import Store
from tests.builders import give_answer, report_danger
from tests.fixtures.clocks import Clock

PASSWORD = "correct horse battery staple"


@dataclass(frozen=True)
class Concern:
    submitted_at: datetime
    role: str = "teacher"
    age: int | None = 14
    kinds: tuple[str, ...] = ("something_said",)
    needs: tuple[str, ...] = ("none",)
    urgent: bool = False
    full: bool = True  # reached the exploratory assessment (answered its first question)
    mode: str = "live"
    # pathway (or pathways, combined in one decision), when, review date, feedback
    decision: tuple[str | tuple[str, ...], datetime, date | None, str] | None = None


def seed(
    sessions: sessionmaker[Session], bank: QuestionBank, practitioner: UserInfo, concern: Concern
) -> int:
    """One submitted concern; its id."""
    clock = Clock(concern.submitted_at)
    store = Store(sessions, clock=clock)
    conversation = store.conversations.open_conversation(practitioner.id, "web")
    store.assessments.start_or_resume(conversation, bank.version, concern.mode)
    answers: list[tuple[str, str, object, str]] = [
        ("practitioner_role", concern.role, concern.role, "answered"),
        ("concern_kinds", ", ".join(concern.kinds), list(concern.kinds), "answered"),
        ("other_needs", ", ".join(concern.needs), list(concern.needs), "answered"),
    ]
    if concern.full:
        if concern.age is None:
            answers.append(("young_person_age", "not sure", None, "unsure"))
        else:
            answers.append(("young_person_age", str(concern.age), concern.age, "answered"))
    for question_id, text, value, status in answers:
        give_answer(
            store,
            conversation,
            AnswerIn(
                question_id=question_id,
                revision=1,
                wording=bank.question(question_id).text,
                text=text,
                value=value,
                status=status,
            ),
        )
    if concern.urgent:
        report_danger(store, conversation, "They said they would hurt someone today.")
    record = store.assessments.submit(conversation)
    if concern.decision is not None:
        pathway, decided_at, review_date, feedback = concern.decision
        decide(sessions, bank, record.id, pathway, decided_at, review_date, feedback)
    return record.id


def decide(
    sessions: sessionmaker[Session],
    bank: QuestionBank,
    case_id: int,
    pathway: str | tuple[str, ...],
    at: datetime,
    review_date: date | None,
    feedback: str,
) -> None:
    with sessions() as session:
        from bot.store.models import Assessment, User

        assessment = session.get(Assessment, case_id)
        assert assessment is not None
        lead = session.query(User).filter_by(team_id=assessment.team_id, role="lead").first()
        assert lead is not None
        lead_id = lead.id
    review = ReviewService(sessions, bank, clock=Clock(at))
    form = DecisionIn(
        pathways=tuple(
            PathwayIn(
                key,
                rationale="Because.",
                shared="The concern, to the team named.",
                owner="Safeguarding lead",
            )
            for key in ((pathway,) if isinstance(pathway, str) else pathway)
        ),
        lawful_bases=("art6_public_task",),
        consent="given",
        review_date=""
        if review_date is None
        else f"{review_date.day}/{review_date.month}/{review_date.year}",
        feedback=feedback,
        feedback_given_on="" if not feedback else f"{at.day}/{at.month}/{at.year}",
    )
    review.record_decision(lead_id, "127.0.0.1", case_id, form)


def at(year: int, month: int, day: int, hour: int = 12) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


async def page(client: TestClient, path: str, status: int = 200) -> str:
    response = await client.get(path, allow_redirects=False)
    body = await response.text()
    assert response.status == status, (path, response.status, body[:500])
    return body


async def sign_in(client: TestClient, username: str) -> None:
    match = re.search(r'name="csrf_token" value="([^"]+)"', await page(client, "/sign-in"))
    assert match, "the sign-in page has no form token"
    response = await client.post(
        "/sign-in",
        data={"username": username, "password": PASSWORD, "csrf_token": match.group(1)},
        allow_redirects=False,
    )
    assert response.status == 303, await response.text()
