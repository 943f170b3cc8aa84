"""Decide on a Request for Support, then ask for the full assessment (issue #12), on SQLite and on a real
PostgreSQL server, through the real ReviewService and store: a lead who must act today records a decision on
the screening and sends its document, then asks; the decision and the document stay; the practitioner is
told and submits the full assessment; the case is back in the queue; the lead records a second decision; both
are kept, dated, each saying which submission it was made on (page view, JSON export and PDF). A decided
full assessment is never sent back. Test ids end in `[sqlite]` or `[postgresql]`."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from document_helpers import pdftotext
from review_helpers import Case
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from test_full_assessment_request import answer_first_exploratory_question
from test_request_for_support_pages import send_screening

from bot.domain.audit_actions import AuditAction
from bot.domain.errors import ConflictError
from bot.domain.records import TurnIn, UserInfo
from bot.domain.referral import ReferralStatus
from bot.questions import QuestionBank
from bot.review.case_json import to_json
from bot.review.document_records import DocumentIn
from bot.review.forms import DecisionIn
from bot.review.pathway_records import PathwayIn
from bot.review.pdf import render_pdf
from bot.review.records import CaseFilters
from bot.review.services import ReviewService
from bot.store.models import AuditEvent
from bot.store.review_models import Decision, Referral
from bot.store.services import Store
from bot.store.urgent_models import Notification
from tests.fixtures.clocks import Clock

ADDRESS = "192.0.2.41"
MONDAY = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
SOCIAL_CARE = PathwayIn("s17_assessment", "The family need support today.", "The screening.", "DSL")
EARLY_HELP = PathwayIn("early_help", "The full assessment shows a need for help.", "The concern.", "EH lead")


@pytest.fixture
def database_url(database_url_on_each_backend: str) -> str:
    """Both backends (tests/fixtures/databases.py)."""
    return database_url_on_each_backend


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY)


@pytest.fixture
def review(sessions: sessionmaker[Session], bank: QuestionBank, clock: Clock) -> ReviewService:
    return ReviewService(sessions, bank, clock=clock)


def decision(*pathways: PathwayIn) -> DecisionIn:
    return DecisionIn(pathways=pathways, lawful_bases=("art6_public_task",), consent="given")


def status_of(sessions: sessionmaker[Session], case_id: int) -> str | None:
    with sessions() as session:
        return session.scalar(select(Referral.status).where(Referral.assessment_id == case_id))


def count_of(sessions: sessionmaker[Session], model: type, **where: object) -> int:
    with sessions() as session:
        return len(session.scalars(select(model).filter_by(**where)).all())


def test_decide_on_the_screening_then_ask_then_decide_again_on_the_full_assessment(
    review: ReviewService,
    store: Store,
    bank: QuestionBank,
    sessions: sessionmaker[Session],
    people: dict[str, UserInfo],
    clock: Clock,
) -> None:
    lead, practitioner = people["north-lead"].id, people["north-practitioner"]
    store.users.set_user_email("north-practitioner", "north-practitioner@example.invalid")
    case: Case = send_screening(store, bank, practitioner)
    review.record_decision(lead, ADDRESS, case.id, decision(SOCIAL_CARE))  # a referral that cannot wait
    offered = review.document_form(lead, ADDRESS, case.id)
    sending = DocumentIn(
        pathway=str(offered.choices[0].pathway.id), method="secure_email", lawful_basis="art6_public_task"
    )
    document_id = review.make_document(lead, ADDRESS, case.id, sending)
    assert review.open_case(lead, ADDRESS, case.id).can_ask_full

    clock.advance(hours=2)
    review.ask_for_full_assessment(lead, ADDRESS, case.id, "Please carry on: the family section.")
    assert status_of(sessions, case.id) == ReferralStatus.AWAITING_FULL
    waiting = review.open_case(lead, ADDRESS, case.id)
    assert len(waiting.decisions) == 1 and waiting.decisions[0].made_on_screening
    assert [made.id for made in waiting.documents] == [document_id]  # the decision's document stays
    assert not waiting.can_decide and not waiting.can_ask_full
    # The practitioner is told as for any ask: their home page and an email (the notice holds no content).
    mine = {s.reference: s for s in store.practitioners.assessments_of(practitioner.id)}
    assert mine[case.reference].full_requested_at is not None
    assert mine[case.reference].full_request_message == "Please carry on: the family section."
    assert count_of(sessions, Notification, purpose="full_assessment_requested", recipient_id=practitioner.id)

    answer_first_exploratory_question(store, bank, case)
    store.assessments.apply_turn(case.conversation_id, TurnIn(submit=True))
    assert status_of(sessions, case.id) == ReferralStatus.SUBMITTED  # back in the queue
    listed = {c.id: c for c in review.list_cases(lead, ADDRESS, CaseFilters()).cases}
    assert listed[case.id].status == ReferralStatus.SUBMITTED and listed[case.id].stage_label is None

    clock.advance(days=1)
    reopened = review.open_case(lead, ADDRESS, case.id)
    assert reopened.status == ReferralStatus.IN_REVIEW and reopened.can_decide and not reopened.can_ask_full
    review.record_decision(lead, ADDRESS, case.id, decision(EARLY_HELP))

    view = review.open_case(lead, ADDRESS, case.id)
    assert [(d.pathways[0].key, d.made_on_screening) for d in view.decisions] == [
        ("early_help", False),
        ("s17_assessment", True),
    ]
    assert view.decisions[0].decided_at > view.decisions[1].decided_at
    assert count_of(sessions, Decision) == 2
    exported = to_json(review.export_case(lead, ADDRESS, case.id, "json"))
    assert [(d["pathways"][0]["pathway"], d["made_on"]) for d in exported["decisions"]] == [
        ("early_help", "full"),
        ("s17_assessment", "screening"),
    ]
    text = " ".join(pdftotext(render_pdf(review.export_case(lead, ADDRESS, case.id, "pdf"))).split())
    assert "Made on The full assessment" in text
    assert "Made on The screening only (Request for Support)" in text


def test_a_decided_full_assessment_is_never_sent_back(
    review: ReviewService,
    sessions: sessionmaker[Session],
    people: dict[str, UserInfo],
    cases: dict[str, Case],
) -> None:
    lead, case = people["north-lead"].id, cases["north-colleague-live"]
    review.record_decision(lead, ADDRESS, case.id, decision(SOCIAL_CARE))
    assert not review.open_case(lead, ADDRESS, case.id).can_ask_full
    with pytest.raises(ConflictError, match="Only a Request for Support"):
        review.ask_for_full_assessment(lead, ADDRESS, case.id, "")
    assert status_of(sessions, case.id) == ReferralStatus.DECIDED
    assert count_of(sessions, AuditEvent, action=AuditAction.FULL_ASSESSMENT_REQUESTED) == 0
    assert count_of(sessions, Notification, purpose="full_assessment_requested") == 0
