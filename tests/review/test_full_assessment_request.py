"""A lead asks for the full assessment after reading a Request for Support (issue #12).

The service (real migrated SQLite store): the assessment is in progress again at the first exploratory
question, its answers and screening stage kept; the referral waits for the practitioner with the lead's
message verbatim; the practitioner gets a notice that holds no case content; their full submission puts the
case back in the lead's queue, in the same record. Refusals change nothing. Then the real app's pages: the
lead's button and form, and the practitioner's home page.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from review_helpers import Case, page, post_form
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from test_request_for_support_pages import CONCERN, send_screening

from bot.dialogue.moves import first_assessment_question
from bot.domain.audit_actions import AuditAction
from bot.domain.errors import ConflictError, NotFoundError, ValidationError
from bot.domain.records import AnswerIn, TurnIn, UserInfo
from bot.domain.referral import ReferralStatus
from bot.notify.messages import full_assessment_for_practitioner
from bot.questions import ParsedAnswer, QuestionBank, parse_answer
from bot.store.models import Assessment, AuditEvent
from bot.store.review_models import Referral, ReferralStatusChange
from bot.store.services import Store
from bot.store.urgent_models import Notification
from bot.web.review import REVIEW
from tests.builders import give_answer

AsUser = Callable[[str | None], Awaitable[TestClient]]
MESSAGE = "  Please complete the family section: <what> do the parents say?\n"
ADDRESS = "127.0.0.1"


@pytest.fixture
def request_for_support(store: Store, bank: QuestionBank, people: dict[str, UserInfo]) -> Case:
    store.users.set_user_email("north-practitioner", "north-practitioner@example.invalid")
    return send_screening(store, bank, people["north-practitioner"])


def assessment(sessions: sessionmaker[Session], case: Case) -> Assessment:
    with sessions() as session:
        row = session.get(Assessment, case.id)
        assert row is not None
        session.expunge(row)
        return row


def referral_status(sessions: sessionmaker[Session], case: Case) -> str | None:
    with sessions() as session:
        return session.scalar(select(Referral.status).where(Referral.assessment_id == case.id))


def actions_of(sessions: sessionmaker[Session], case: Case) -> list[str]:
    with sessions() as session:
        return list(
            session.scalars(
                select(AuditEvent.action).where(AuditEvent.assessment_id == case.id).order_by(AuditEvent.id)
            )
        )


def answer_first_exploratory_question(store: Store, bank: QuestionBank, case: Case) -> str:
    record = store.assessments.start_or_resume(case.conversation_id, bank.version)
    question = first_assessment_question(bank, record.answer_values())
    assert question is not None and record.current_question_id == question.id
    text = "14"  # the first exploratory question is the young person's age
    parsed = parse_answer(question, text, today=date(2026, 12, 6))
    assert isinstance(parsed, ParsedAnswer)
    give_answer(
        store,
        case.conversation_id,
        AnswerIn(
            question_id=question.id,
            revision=1,
            wording=question.text,
            text=text,
            value=parsed.value,
            status=parsed.status,
        ),
    )
    return question.id


def test_asking_reopens_the_same_record_and_the_full_submission_returns_it_to_the_lead(
    app: web.Application,
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
    sessions: sessionmaker[Session],
    request_for_support: Case,
) -> None:
    case, lead = request_for_support, people["north-lead"]
    app[REVIEW].ask_for_full_assessment(lead.id, ADDRESS, case.id, MESSAGE)

    row = assessment(sessions, case)
    first = first_assessment_question(bank, {"concern_summary": CONCERN})
    assert first is not None
    assert (row.status, row.submitted_stage, row.current_question_id) == (
        "in_progress",
        "screening",
        first.id,
    )
    assert row.full_requested_at is not None
    assert referral_status(sessions, case) == ReferralStatus.AWAITING_FULL
    with sessions() as session:
        change = session.scalars(
            select(ReferralStatusChange).where(ReferralStatusChange.to_status == "awaiting_full")
        ).one()
        assert change.reason == MESSAGE  # verbatim
        notices = session.scalars(select(Notification)).all()
    assert {(n.purpose, n.recipient_id, n.channel) for n in notices} >= {
        ("full_assessment_requested", people["north-practitioner"].id, "email")
    }
    assert AuditAction.FULL_ASSESSMENT_REQUESTED in actions_of(sessions, case)
    # The notice holds the reference and a link, never the lead's message or an answer.
    notice = full_assessment_for_practitioner(case.reference, f"https://x/chat/{case.reference}")
    assert "parents" not in notice.text and CONCERN not in notice.text and case.reference in notice.subject

    mine = {s.reference: s for s in store.practitioners.assessments_of(people["north-practitioner"].id)}
    assert mine[case.reference].status == "in_progress"
    assert mine[case.reference].full_requested_at is not None
    assert mine[case.reference].full_request_message == MESSAGE

    answered = answer_first_exploratory_question(store, bank, case)
    record = store.assessments.apply_turn(case.conversation_id, TurnIn(submit=True))
    assert (record.id, record.status, record.submitted_stage) == (case.id, "submitted", "full")
    assert {"concern_summary", answered} <= set(record.answer_values())
    assert referral_status(sessions, case) == ReferralStatus.SUBMITTED
    mine = {s.reference: s for s in store.practitioners.assessments_of(people["north-practitioner"].id)}
    assert mine[case.reference].full_requested_at is None  # answered: no longer shown as asked
    # The lead opens it again, in review, as the full assessment.
    view = app[REVIEW].open_case(lead.id, ADDRESS, case.id)
    assert view.status == ReferralStatus.IN_REVIEW and view.stage_label is None and not view.can_ask_full


def test_a_blank_message_is_no_message(
    app: web.Application,
    people: dict[str, UserInfo],
    sessions: sessionmaker[Session],
    request_for_support: Case,
) -> None:
    app[REVIEW].ask_for_full_assessment(people["north-lead"].id, ADDRESS, request_for_support.id, "  \n")
    with sessions() as session:
        change = session.scalars(
            select(ReferralStatusChange).where(ReferralStatusChange.to_status == "awaiting_full")
        ).one()
    assert change.reason is None


def test_refusals_change_nothing(
    app: web.Application,
    people: dict[str, UserInfo],
    cases: dict[str, Case],
    sessions: sessionmaker[Session],
    request_for_support: Case,
) -> None:
    service, case = app[REVIEW], request_for_support
    for outsider in ("south-lead", "north-practitioner", "north-admin"):
        with pytest.raises(NotFoundError):
            service.ask_for_full_assessment(people[outsider].id, ADDRESS, case.id, "")
    assert AuditAction.CASE_ASK_FULL_REFUSED in actions_of(sessions, case)
    with pytest.raises(ValidationError):
        service.ask_for_full_assessment(people["north-lead"].id, ADDRESS, case.id, "x" * 100_000)
    with pytest.raises(ConflictError, match="Request for Support"):  # a full assessment is not sent back
        service.ask_for_full_assessment(
            people["north-lead"].id, ADDRESS, cases["north-colleague-live"].id, ""
        )
    assert assessment(sessions, case).status == "submitted"
    assert referral_status(sessions, cases["north-colleague-live"]) is None  # rolled back with the refusal
    service.ask_for_full_assessment(people["north-lead"].id, ADDRESS, case.id, "")
    with pytest.raises(ConflictError, match="already completing"):
        service.ask_for_full_assessment(people["north-lead"].id, ADDRESS, case.id, "")
    with sessions() as session:
        assert len(session.scalars(select(Notification)).all()) == 1


async def test_the_lead_asks_on_the_case_page_and_the_practitioner_sees_it_on_their_home_page(
    as_user: AsUser, cases: dict[str, Case], sessions: sessionmaker[Session], request_for_support: Case
) -> None:
    case = request_for_support
    client = await as_user("north-lead")
    assert "Ask for the full assessment" in await page(client, f"/cases/{case.id}")
    assert "Ask for the full assessment" not in await page(
        client, f"/cases/{cases['north-colleague-live'].id}"
    )

    response = await post_form(client, f"/cases/{case.id}/ask-full", {"message": "x" * 100_000})
    assert response.status == 400 and 'href="#message"' in await response.text()
    assert assessment(sessions, case).status == "submitted"

    response = await post_form(client, f"/cases/{case.id}/ask-full", {"message": MESSAGE})
    assert response.status == 303, await response.text()
    body = await page(client, response.headers["Location"])
    assert "has been asked for the full assessment" in body
    assert "Waiting for the practitioner" in body
    assert "&lt;what&gt; do the parents say?" in body  # the status history, verbatim
    listing = await page(client, "/cases")
    row = listing[listing.index(f'href="/cases/{case.id}"') :].split("</tr>")[0]
    assert "Waiting for the practitioner" in row

    client = await as_user("north-practitioner")
    home = await page(client, "/chat")
    drafts = home[
        home.index('id="drafts"') : home.index('id="submitted"') if 'id="submitted"' in home else None
    ]
    row = drafts[drafts.index(f'id="full-requested-{case.reference}"') :].split("</tr>")[0]
    assert "Your lead asked for the full assessment" in row
    assert "Please complete the family section: &lt;what&gt; do the parents say?" in row
    # "Carry on" asks the engine to carry on from the first exploratory question (tests/e2e shows it does).
    assert f'action="/chat/{case.reference}/start"' in row and "Carry on" in row
