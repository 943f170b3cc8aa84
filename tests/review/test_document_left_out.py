"""Leaving identifying details out of one document (issue #12), on SQLite and on a real PostgreSQL server,
through the real ReviewService: the fields ticked are absent from that document's JSON and PDF (read back with
pdftotext) and named there by label, kept on its row and named by id in its audit event, while the case's
details and their version stay as they were; an unknown field id is refused with a clear message and changes
nothing; a document type's defaults come from its YAML, checked against the known field ids."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from document_helpers import decide, documents_case, pdftotext
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.audit_actions import AuditAction
from bot.domain.errors import ValidationError
from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.review.case_details import prefilled
from bot.review.document_content import to_json
from bot.review.document_pdf import render_document_pdf
from bot.review.document_records import DocumentIn
from bot.review.document_types import DOCUMENT_TYPES, load_document_type
from bot.review.services import ReviewService
from bot.store.document_models import IdentifyingDetails, ReferralDocument
from bot.store.models import AuditEvent
from bot.store.outcome_models import SharingEntry
from bot.store.services import Store

ADDRESS = "192.0.2.10"
NOW = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)
NAME = "Sam O'Neill-Ng"
HOME = "12 Example Road\nExampletown EX1 2MP"
SCHOOL = "Example Academy"


@pytest.fixture
def database_url(database_url_on_each_backend: str) -> str:
    return database_url_on_each_backend


@pytest.fixture
def review(sessions: sessionmaker[Session], bank: QuestionBank) -> ReviewService:
    return ReviewService(sessions, bank, clock=lambda: NOW)


def count(sessions: sessionmaker[Session], model: type) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def events(sessions: sessionmaker[Session], action: AuditAction) -> list[dict[str, object]]:
    with sessions() as session:
        rows = session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))
        return [dict(row.detail) for row in rows]


def test_fields_left_out_are_absent_from_that_document_only_and_the_details_keep_their_version(
    review: ReviewService,
    store: Store,
    bank: QuestionBank,
    sessions: sessionmaker[Session],
    people: dict[str, UserInfo],
) -> None:
    lead = people["north-lead"].id
    case = documents_case(store, bank, people["north-practitioner"])
    pathways = decide(review, sessions, people["north-lead"], case)
    base = {"method": "secure_email", "lawful_basis": "art6_public_task"}
    full = review.make_document(
        lead,
        ADDRESS,
        case.id,
        DocumentIn(
            pathway=str(pathways["prevent_referral"]),
            child_name=NAME,
            date_of_birth="27/3/2012",
            address=HOME,
            school=SCHOOL,
            **base,
        ),
    )
    # The form as offered, with two fields ticked (and sent twice, in another order: kept once each).
    offered = prefilled(review.document_form(lead, ADDRESS, case.id).details)
    partner = review.make_document(
        lead,
        ADDRESS,
        case.id,
        DocumentIn(
            **{
                **offered.__dict__,
                **base,
                "pathway": str(pathways["community_partner"]),
                "left_out": ("address", "date_of_birth", "address"),
            }
        ),
    )

    assert count(sessions, IdentifyingDetails) == 1  # no new version of the details
    assert len(events(sessions, AuditAction.DETAILS_CHANGED)) == 1  # the first entry only
    with sessions() as session:
        assert session.get_one(ReferralDocument, partner).left_out == ["date_of_birth", "address"]
        assert session.get_one(ReferralDocument, full).left_out == []
    made = events(sessions, AuditAction.DOCUMENT_MADE)
    assert [event["left_out"] for event in made] == [[], ["date_of_birth", "address"]]
    trail = json.dumps([*made])
    assert "Example Road" not in trail and "2012" not in trail

    exported = to_json(review.read_document(lead, ADDRESS, case.id, partner, "json"))
    shown = [s["identifying_details"] for s in exported["sections"] if "identifying_details" in s]
    assert shown == [{"child_name": NAME, "school": SCHOOL}]  # absent, not blank
    assert exported["left_out_of_this_document"] == ["Date of birth", "Address"]
    assert exported["details_version"] == 1
    assert "Example Road" not in json.dumps(exported) and "2012-03-27" not in json.dumps(exported)

    text = pdftotext(render_document_pdf(review.read_document(lead, ADDRESS, case.id, partner, "pdf")))
    assert "Left out of this document: date of birth, address." in " ".join(text.split())
    assert "Example Road" not in text and "2012" not in text and NAME in text

    # The other document still carries every field, and the case page's list names what each left out.
    other = to_json(review.read_document(lead, ADDRESS, case.id, full, "json"))
    assert other["left_out_of_this_document"] == []
    assert [s["identifying_details"]["address"] for s in other["sections"] if "identifying_details" in s] == [
        HOME
    ]
    listed = {made.id: made.left_out for made in review.open_case(lead, ADDRESS, case.id).documents}
    assert listed == {full: (), partner: ("Date of birth", "Address")}


def test_an_unknown_field_left_out_is_refused_and_changes_nothing(
    review: ReviewService,
    store: Store,
    bank: QuestionBank,
    sessions: sessionmaker[Session],
    people: dict[str, UserInfo],
) -> None:
    lead = people["north-lead"].id
    case = documents_case(store, bank, people["north-practitioner"])
    pathways = decide(review, sessions, people["north-lead"], case)
    form = DocumentIn(
        pathway=str(pathways["community_partner"]),
        method="phone",
        lawful_basis="consent",
        child_name=NAME,
        left_out=("address", "religion"),
    )
    with pytest.raises(ValidationError) as refused:
        review.make_document(lead, ADDRESS, case.id, form)
    assert "'religion' is not one of them" in refused.value.fields["left_out"]
    assert count(sessions, ReferralDocument) == count(sessions, SharingEntry) == 0
    assert count(sessions, IdentifyingDetails) == 0
    assert events(sessions, AuditAction.DOCUMENT_MADE) == []


def test_a_document_types_defaults_come_from_its_yaml_and_name_known_fields_only(tmp_path: Path) -> None:
    assert set(DOCUMENT_TYPES["partner_request"].left_out_by_default) == {"address"}
    assert DOCUMENT_TYPES["prevent_referral"].left_out_by_default == {}
    source = (Path(__file__).parents[2] / "bot/review/documents/partner_request.yaml").read_text()
    broken = tmp_path / "partner_request.yaml"
    broken.write_text(source.replace("  address: >-", "  nationality: >-"))
    with pytest.raises(ValueError, match="unknown fields \\['nationality'\\]"):
        load_document_type(broken)
