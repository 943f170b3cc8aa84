"""Changing a case's identifying details on their own (issue #12), through the real ReviewService on SQLite
and on a real PostgreSQL server: a change is the next version (audited with field names only), an unchanged
save makes nothing, bad input saves nothing, only the case's team's leads may, and a document made earlier
keeps the version it used. Test ids end in `[sqlite]` or `[postgresql]`."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from document_helpers import decide, documents_case
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.audit_actions import AuditAction
from bot.domain.errors import NotFoundError, ValidationError
from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.review.detail_checks import DetailsIn
from bot.review.document_records import DocumentIn
from bot.review.errors import LeadsOnlyError
from bot.review.services import ReviewService
from bot.store.document_models import IdentifyingDetails, ReferralDocument
from bot.store.models import AuditEvent
from bot.store.services import Store

ADDRESS = "192.0.2.42"
NOW = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)


@pytest.fixture
def database_url(database_url_on_each_backend: str) -> str:
    return database_url_on_each_backend


@pytest.fixture
def review(sessions: sessionmaker[Session], bank: QuestionBank) -> ReviewService:
    return ReviewService(sessions, bank, clock=lambda: NOW)


def rows(sessions: sessionmaker[Session]) -> list[IdentifyingDetails]:
    with sessions() as session:
        return list(session.scalars(select(IdentifyingDetails).order_by(IdentifyingDetails.id)))


def test_details_change_on_their_own_as_new_versions(
    review: ReviewService,
    store: Store,
    bank: QuestionBank,
    sessions: sessionmaker[Session],
    people: dict[str, UserInfo],
) -> None:
    lead = people["north-lead"]
    case = documents_case(store, bank, people["north-practitioner"])
    pathways = decide(review, sessions, lead, case)
    sending = DocumentIn(str(pathways["prevent_referral"]), "secure_email", "art6_public_task")

    assert review.details_form(lead.id, ADDRESS, case.id) is None
    first = DetailsIn(child_name="Sam Example", date_of_birth="3/4/2012")
    assert review.change_details(lead.id, ADDRESS, case.id, first) == 1
    made_with_first = review.make_document(
        lead.id,
        ADDRESS,
        case.id,
        DocumentIn(**{**sending.__dict__, "child_name": "Sam Example", "date_of_birth": "3/4/2012"}),
    )
    assert review.change_details(lead.id, ADDRESS, case.id, first) is None  # unchanged: nothing new
    corrected = DetailsIn(child_name="Sam Example-Ng", date_of_birth="3/4/2012", school="Example Academy")
    assert review.change_details(lead.id, ADDRESS, case.id, corrected) == 2

    current = review.details_form(lead.id, ADDRESS, case.id)
    assert current is not None and current.number == 2
    assert (current.details.child_name, current.details.date_of_birth, current.details.school) == (
        "Sam Example-Ng",
        date(2012, 4, 3),
        "Example Academy",
    )
    with sessions() as session:
        events = session.scalars(
            select(AuditEvent.detail).where(AuditEvent.action == AuditAction.DETAILS_CHANGED)
        ).all()
        first_doc = session.get_one(ReferralDocument, made_with_first)
    assert [e["fields"] for e in events] == [["child_name", "date_of_birth"], ["child_name", "school"]]
    assert not any("Sam" in str(e) or "Academy" in str(e) for e in events)
    assert first_doc.details_id == rows(sessions)[0].id  # an earlier document keeps the version it used

    with pytest.raises(ValidationError) as refused:
        review.change_details(lead.id, ADDRESS, case.id, DetailsIn(child_name="x", date_of_birth="1/1/2099"))
    assert set(refused.value.fields) == {"date_of_birth"}
    with pytest.raises(ValidationError):
        review.change_details(lead.id, ADDRESS, case.id, DetailsIn(carers="y" * 100_000))
    with pytest.raises(NotFoundError):
        review.change_details(people["south-lead"].id, ADDRESS, case.id, corrected)
    rehearsal = documents_case(store, bank, people["north-practitioner"], mode="rehearsal")
    with pytest.raises(LeadsOnlyError):
        review.change_details(people["north-trainer"].id, ADDRESS, rehearsal.id, corrected)
    assert len(rows(sessions)) == 2  # none of the refusals saved anything
