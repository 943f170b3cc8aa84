"""The documents a lead sends (issue #12), on SQLite and on a real PostgreSQL server, through the real
ReviewService: the case's identifying details stored once and offered again, a change kept as the next
version (audited with the fields' names, never their values) while each document keeps the version it used;
and a document made from a Request for Support while its full assessment is awaited, which carries the
screening answers only and says so, in its JSON and in its PDF (read back with pdftotext)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from document_helpers import CONCERN, decide, documents_case, pdftotext
from review_helpers import Case
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from test_full_assessment_request import answer_first_exploratory_question
from test_request_for_support_pages import CONCERN as SCREENING_CONCERN
from test_request_for_support_pages import send_screening

from bot.domain.audit_actions import AuditAction
from bot.domain.errors import ValidationError
from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.review.case_details import prefilled
from bot.review.document_basis import BASIS_NOTES
from bot.review.document_content import to_json
from bot.review.document_pdf import render_document_pdf
from bot.review.document_records import DocumentIn
from bot.review.forms import DecisionIn
from bot.review.pathway_records import PathwayIn
from bot.review.services import ReviewService
from bot.store.document_models import IdentifyingDetails, ReferralDocument
from bot.store.models import AuditEvent
from bot.store.services import Store

ADDRESS = "192.0.2.10"
NOW = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)
NAME = "Sam O'Neill-Ng"
FIRST_HOME = "12 Example Road\nExampletown EX1 2MP"
NEW_HOME = "  Flat 3, 40 Sample Street\nExampletown EX2 9ZZ "  # spaces kept: details go in as typed


@pytest.fixture
def database_url(database_url_on_each_backend: str) -> str:
    return database_url_on_each_backend


@pytest.fixture
def review(sessions: sessionmaker[Session], bank: QuestionBank) -> ReviewService:
    return ReviewService(sessions, bank, clock=lambda: NOW)


def sending(pathway_id: int, **details: str) -> DocumentIn:
    return DocumentIn(
        pathway=str(pathway_id), method="secure_email", lawful_basis="art6_public_task", **details
    )


def details_rows(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(IdentifyingDetails)) or 0


def events(sessions: sessionmaker[Session], action: AuditAction) -> list[dict[str, object]]:
    with sessions() as session:
        rows = session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id))
        return [dict(row.detail) for row in rows]


def test_details_are_entered_once_offered_again_and_a_change_is_a_new_version_each_document_keeps(
    review: ReviewService,
    store: Store,
    bank: QuestionBank,
    sessions: sessionmaker[Session],
    people: dict[str, UserInfo],
) -> None:
    lead = people["north-lead"].id
    case = documents_case(store, bank, people["north-practitioner"])
    pathways = decide(review, sessions, people["north-lead"], case)
    assert review.document_form(lead, ADDRESS, case.id).details is None  # nothing entered yet

    first = review.make_document(
        lead,
        ADDRESS,
        case.id,
        sending(pathways["prevent_referral"], child_name=NAME, date_of_birth="27/3/2012", address=FIRST_HOME),
    )
    offered = review.document_form(lead, ADDRESS, case.id)
    assert offered.details is not None and offered.details.number == 1
    form = prefilled(offered.details)
    assert (form.child_name, form.date_of_birth, form.address) == (NAME, "27/3/2012", FIRST_HOME)
    assert events(sessions, AuditAction.DETAILS_SHOWN)[-1]["version"] == 1

    # The form sent back as offered: the same version, no new row, no change event.
    pathway = pathways["community_partner"]
    same = review.make_document(
        lead,
        ADDRESS,
        case.id,
        DocumentIn(
            **{**form.__dict__, "pathway": str(pathway), "method": "phone", "lawful_basis": "consent"}
        ),
    )
    assert details_rows(sessions) == 1

    # A corrected address: the next version, audited by field name only.
    moved = review.make_document(
        lead,
        ADDRESS,
        case.id,
        sending(pathways["prevent_referral"], child_name=NAME, date_of_birth="27/3/2012", address=NEW_HOME),
    )
    assert details_rows(sessions) == 2
    changes = events(sessions, AuditAction.DETAILS_CHANGED)
    assert [change["fields"] for change in changes] == [
        ["child_name", "date_of_birth", "address"],
        ["address"],
    ]
    assert changes[-1]["version"] == 2
    with sessions() as session:
        trail = json.dumps([dict(row.detail) for row in session.scalars(select(AuditEvent))])
    assert "Sample Street" not in trail and "Example Road" not in trail and "O'Neill" not in trail
    assert review.document_form(lead, ADDRESS, case.id).details.details.address == NEW_HOME  # type: ignore[union-attr]

    versions = []
    for document_id, home in ((first, FIRST_HOME), (same, FIRST_HOME), (moved, NEW_HOME)):
        document = review.read_document(lead, ADDRESS, case.id, document_id, "json")
        exported = to_json(document)
        shown = [s["identifying_details"] for s in exported["sections"] if "identifying_details" in s]
        if document.kind == "prevent_referral":
            assert shown == [{"child_name": NAME, "date_of_birth": "2012-03-27", "address": home}]
        versions.append(exported["details_version"])
    assert versions == [1, 1, 2]
    text = pdftotext(render_document_pdf(review.read_document(lead, ADDRESS, case.id, moved, "pdf")))
    assert "version 2 of this case's details" in text


def test_a_bad_correction_changes_nothing(
    review: ReviewService,
    store: Store,
    bank: QuestionBank,
    sessions: sessionmaker[Session],
    people: dict[str, UserInfo],
) -> None:
    lead = people["north-lead"].id
    case = documents_case(store, bank, people["north-practitioner"])
    pathways = decide(review, sessions, people["north-lead"], case)
    review.make_document(lead, ADDRESS, case.id, sending(pathways["prevent_referral"], child_name=NAME))
    with pytest.raises(ValidationError) as refused:
        review.make_document(
            lead,
            ADDRESS,
            case.id,
            sending(pathways["prevent_referral"], child_name="Sam", date_of_birth="soon"),
        )
    assert "date_of_birth" in refused.value.fields
    assert details_rows(sessions) == 1
    assert review.document_form(lead, ADDRESS, case.id).details.details.child_name == NAME  # type: ignore[union-attr]
    assert len(events(sessions, AuditAction.DETAILS_CHANGED)) == 1  # the first entry only


def test_a_request_for_support_awaiting_its_full_assessment_can_be_sent_on_the_screening_only(
    review: ReviewService,
    store: Store,
    bank: QuestionBank,
    sessions: sessionmaker[Session],
    people: dict[str, UserInfo],
) -> None:
    lead = people["north-lead"].id
    case = send_screening(store, bank, people["north-practitioner"])
    social_care = PathwayIn("s17_assessment", "The family need support now.", "The screening.", "DSL")
    review.record_decision(
        lead,
        ADDRESS,
        case.id,
        DecisionIn(pathways=(social_care,), lawful_bases=("art6_public_task",), consent="given"),
    )
    review.reopen_case(lead, ADDRESS, case.id, "The full assessment is needed as well.")
    review.ask_for_full_assessment(lead, ADDRESS, case.id, "")
    exploratory = answer_first_exploratory_question(store, bank, case)  # the practitioner carries on

    offered = review.document_form(lead, ADDRESS, case.id)
    assert offered.basis == "awaiting_full" and [c.kind for c in offered.choices] == ["social_care_referral"]
    document_id = review.make_document(lead, ADDRESS, case.id, sending(offered.choices[0].pathway.id))
    with sessions() as session:
        assert session.get_one(ReferralDocument, document_id).basis == "awaiting_full"

    document = review.read_document(lead, ADDRESS, case.id, document_id, "json")
    exported = to_json(document)
    assert exported["based_on"] == "awaiting_full"
    assert "full assessment has been asked for and is awaited" in exported["based_on_note"]
    questions = [a["question_id"] for s in exported["sections"] for a in s["answers"]]
    assert "concern_summary" in questions and exploratory not in questions
    assert SCREENING_CONCERN in [a["answer"] for s in exported["sections"] for a in s["answers"]]
    text = " ".join(pdftotext(render_document_pdf(document)).split())
    assert " ".join(BASIS_NOTES["awaiting_full"].split()) in text


def test_a_document_from_the_full_assessment_says_nothing_about_its_basis(
    review: ReviewService,
    store: Store,
    bank: QuestionBank,
    sessions: sessionmaker[Session],
    people: dict[str, UserInfo],
) -> None:
    lead = people["north-lead"].id
    case: Case = documents_case(store, bank, people["north-practitioner"])
    pathways = decide(review, sessions, people["north-lead"], case)
    document_id = review.make_document(lead, ADDRESS, case.id, sending(pathways["prevent_referral"]))
    exported = to_json(review.read_document(lead, ADDRESS, case.id, document_id, "json"))
    assert (exported["based_on"], exported["based_on_note"], exported["details_version"]) == (
        "full",
        None,
        None,
    )
    assert CONCERN in [a["answer"] for s in exported["sections"] for a in s["answers"]]
