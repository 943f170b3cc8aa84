"""The documents a lead sends (issue #12), through the real ReviewService on a migrated store, on SQLite and
on a real PostgreSQL server: identifying details stored apart and merged in only when a document is generated,
the share logged and audited, bad input refused with nothing saved, and the PDF read back with pdftotext."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from document_helpers import CONCERN, HOW_KNOWN, PROTECTIVE, decide, documents_case, pdftotext
from review_helpers import Case
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.errors import NotFoundError, ValidationError
from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.review.document_content import to_json
from bot.review.document_pdf import render_document_pdf
from bot.review.document_records import DocumentIn
from bot.review.document_types import DOCUMENT_TYPES, check_against
from bot.review.errors import LeadsOnlyError
from bot.review.services import ReviewService
from bot.store.document_models import IdentifyingDetails, ReferralDocument
from bot.store.models import Assessment, AuditEvent
from bot.store.outcome_models import SharingEntry
from bot.store.services import Store

ADDRESS = "192.0.2.10"
NOW = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)
NAME = "Sam O'Neill-Ng"
ADDRESS_LINES = "12 Example Road\nExampletown EX1 2MP"
SCHOOL = "Example Academy"
CARERS = "Mother: Pat O'Neill, 07700 900123"


@pytest.fixture
def database_url(database_url_on_each_backend: str) -> str:
    """Both backends (tests/fixtures/databases.py)."""
    return database_url_on_each_backend


@pytest.fixture
def review(sessions: sessionmaker[Session], bank: QuestionBank) -> ReviewService:
    return ReviewService(sessions, bank, clock=lambda: NOW)


@pytest.fixture
def case(store: Store, bank: QuestionBank, people: dict[str, UserInfo]) -> Case:
    return documents_case(store, bank, people["north-practitioner"])


def sending(pathway_id: int, **details: str) -> DocumentIn:
    return DocumentIn(
        pathway=str(pathway_id), method="secure_email", lawful_basis="art6_public_task", **details
    )


def count(sessions: sessionmaker[Session], model: type) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def actions(sessions: sessionmaker[Session]) -> list[str]:
    with sessions() as session:
        return list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))


def test_every_document_type_names_bank_sections_and_questions_that_exist(bank: QuestionBank) -> None:
    assert set(DOCUMENT_TYPES) == {"prevent_referral", "social_care_referral", "partner_request"}
    for kind in DOCUMENT_TYPES.values():
        assert check_against(kind, bank) == []


def test_a_prevent_referral_carries_the_verbatim_answer_and_the_details_only_once_generated(
    review: ReviewService,
    sessions: sessionmaker[Session],
    people: dict[str, UserInfo],
    case: Case,
) -> None:
    lead = people["north-lead"]
    pathways = decide(review, sessions, lead, case)
    form = sending(
        pathways["prevent_referral"],
        child_name=NAME,
        date_of_birth="3/4/2012",
        address=ADDRESS_LINES,
        school=SCHOOL,
        carers=CARERS,
    )
    choices = review.document_choices(lead.id, ADDRESS, case.id)
    assert [(c.kind, c.partner) for c in choices] == [
        ("prevent_referral", None),
        ("partner_request", "example_mentoring"),
    ]

    document_id = review.make_document(lead.id, ADDRESS, case.id, form)

    with sessions() as session:
        stored = session.scalars(select(IdentifyingDetails)).one()
        assert (stored.child_name, stored.date_of_birth, stored.address) == (
            NAME,
            date(2012, 4, 3),
            ADDRESS_LINES,
        )
        share = session.scalars(select(SharingEntry)).one()
        assert (share.shared_what, share.recipient, share.method) == (
            "Prevent referral",
            DOCUMENT_TYPES["prevent_referral"].recipient,
            "secure_email",
        )
        assert share.decision_pathway_id == pathways["prevent_referral"]
        # Stored apart: the assessment's own row and answers hold none of it.
        assessment = session.get_one(Assessment, case.id)
        assert NAME not in repr(assessment.__dict__)
        made = session.scalars(select(AuditEvent).where(AuditEvent.action == "document.made")).one()
        assert NAME not in json.dumps(made.detail) and SCHOOL not in json.dumps(made.detail)

    document = review.read_document(lead.id, ADDRESS, case.id, document_id, "pdf")
    exported = to_json(document)
    answers = {a["question_id"]: a for s in exported["sections"] for a in s["answers"]}
    assert answers["concern_summary"]["answer"] == CONCERN
    assert answers["concern_summary"]["how_known"] == HOW_KNOWN
    assert answers["concern_summary"]["when"] == "2026-11-20"
    assert answers["family_strengths"]["answer"] == PROTECTIVE
    assert exported["sections"][0]["identifying_details"] == {
        "child_name": NAME,
        "date_of_birth": "2012-04-03",
        "address": ADDRESS_LINES,
        "school": SCHOOL,
        "carers": CARERS,
    }
    assert "vaf" not in json.dumps(exported)

    # Words in order, as a reader sees them; pdftotext wraps lines within the table's columns.
    text = " ".join(pdftotext(render_document_pdf(document)).split())
    for heading in (
        "The person's details",
        "Describe your concerns",
        "Complex needs or other vulnerabilities",
        "Other information",
        "The referrer",
    ):
        assert heading in text
    assert " ".join(CONCERN.split()) in text
    assert HOW_KNOWN in text and "20 November 2026" in text
    for detail in (NAME, "3 April 2012", " ".join(ADDRESS_LINES.split()), SCHOOL, CARERS):
        assert detail in text
    assert "document.generated" in actions(sessions)


def test_without_details_the_json_and_pdf_have_none_and_the_partner_request_names_the_partner(
    review: ReviewService, sessions: sessionmaker[Session], people: dict[str, UserInfo], case: Case
) -> None:
    lead = people["north-lead"]
    pathways = decide(review, sessions, lead, case)
    document_id = review.make_document(lead.id, ADDRESS, case.id, sending(pathways["community_partner"]))

    document = review.read_document(lead.id, ADDRESS, case.id, document_id, "json")

    exported = to_json(document)
    assert all("identifying_details" not in section for section in exported["sections"])
    assert exported["recipient"]["name"] == "Example Youth Mentoring Service (fictional example)"
    assert count(sessions, IdentifyingDetails) == 0
    with sessions() as session:
        assert session.scalars(select(SharingEntry.partner)).one() == "example_mentoring"
    text = " ".join(pdftotext(render_document_pdf(document)).split())
    assert "remains the lead worker" in text and "No identifying details were entered" in text


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"date_of_birth": "31/2/2012"}, "date_of_birth"),
        ({"date_of_birth": "1/1/2030"}, "date_of_birth"),
        ({"method": "carrier pigeon"}, "method"),
        ({"lawful_basis": ""}, "lawful_basis"),
        ({"pathway": "999"}, "pathway"),
        ({"child_name": "x" * 501}, "child_name"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    review: ReviewService,
    sessions: sessionmaker[Session],
    people: dict[str, UserInfo],
    case: Case,
    change: dict[str, str],
    field: str,
) -> None:
    lead = people["north-lead"]
    pathways = decide(review, sessions, lead, case)
    form = sending(pathways["prevent_referral"], child_name=NAME)
    with pytest.raises(ValidationError) as refused:
        review.make_document(lead.id, ADDRESS, case.id, DocumentIn(**{**form.__dict__, **change}))
    assert field in refused.value.fields
    assert count(sessions, IdentifyingDetails) == count(sessions, ReferralDocument) == 0
    assert count(sessions, SharingEntry) == 0


def test_a_practitioner_is_refused_and_a_lead_of_another_team_finds_nothing(
    review: ReviewService, sessions: sessionmaker[Session], people: dict[str, UserInfo], case: Case
) -> None:
    pathways = decide(review, sessions, people["north-lead"], case)
    form = sending(pathways["prevent_referral"], child_name=NAME)
    document_id = review.make_document(people["north-lead"].id, ADDRESS, case.id, form)

    with pytest.raises(LeadsOnlyError):
        review.read_document(people["north-practitioner"].id, ADDRESS, case.id, document_id, "pdf")
    with pytest.raises(NotFoundError):
        review.read_document(people["south-lead"].id, ADDRESS, case.id, document_id, "pdf")
    with pytest.raises(NotFoundError):
        review.make_document(people["south-lead"].id, ADDRESS, case.id, form)
    assert actions(sessions).count("case.document_refused") == 3
    assert count(sessions, ReferralDocument) == 1
