"""Issue #18 in the documents a lead sends (issue #12): a "when" typed as a rough date ("March 2024", "last
summer") shows the words as typed and the whole range it means, never an invented first day; an exact date
shows its day; a "don't know" shows as not dated. Through the real ReviewService on SQLite and PostgreSQL,
with the JSON and the PDF read back with pdftotext, as the chronology tests do."""

from __future__ import annotations

from datetime import date

import pytest
from dated_cases import MONDAY, case_with_dates
from document_helpers import decide, pdftotext
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.review.document_content import to_json
from bot.review.document_pdf import render_document_pdf
from bot.review.document_records import DocumentIn
from bot.review.services import ReviewService
from bot.store.services import Store
from tests.fixtures.clocks import Clock

ADDRESS = "192.0.2.19"


@pytest.fixture
def database_url(database_url_on_each_backend: str) -> str:
    """Both backends (tests/fixtures/databases.py)."""
    return database_url_on_each_backend


@pytest.mark.parametrize(
    ("typed", "first", "last", "written"),
    [
        ("March 2024", "2024-03-01", "2024-03-31", "1 March to 31 March 2024"),
        ("last summer", "2026-06-01", "2026-08-31", "1 June to 31 August 2026"),
    ],
)
def test_a_document_shows_a_rough_date_as_its_range_and_a_dont_know_as_not_dated(
    sessions: sessionmaker[Session],
    bank: QuestionBank,
    people: dict[str, UserInfo],
    typed: str,
    first: str,
    last: str,
    written: str,
) -> None:
    clock = Clock(MONDAY)
    store = Store(sessions, clock=clock)
    review = ReviewService(sessions, bank, clock=clock)
    lead = people["north-lead"]
    case = case_with_dates(store, bank, people["north-practitioner"], typed, date(2024, 3, 5))
    pathways = decide(review, sessions, lead, case)
    form = DocumentIn(
        pathway=str(pathways["prevent_referral"]), method="secure_email", lawful_basis="art6_public_task"
    )
    document_id = review.make_document(lead.id, ADDRESS, case.id, form)
    document = review.read_document(lead.id, ADDRESS, case.id, document_id, "pdf")

    answers = {a["question_id"]: a for s in to_json(document)["sections"] for a in s["answers"]}
    rough = answers["online_concern__when"]
    assert rough["answer"] == typed  # the words as typed
    assert rough["when"] == f"{first}/{last}"  # an ISO 8601 interval, never the first day alone
    assert rough["when_shown"] == written
    exact = answers["first_noticed_date"]
    assert (exact["when"], exact["when_shown"]) == ("2024-03-05", "5 March 2024")
    unknown = answers["unknown_contacts__when"]
    assert (unknown["answer"], unknown["when"], unknown["when_shown"]) == ("don't know", None, "not dated")

    text = " ".join(pdftotext(render_document_pdf(document)).split())
    assert f"{typed} " in text and f"When: {written}" in text
    assert "When: 5 March 2024" in text
    assert f"When: {date.fromisoformat(first).day} {date.fromisoformat(first):%B %Y} " not in text
    assert "don't know" in text and "When: not dated" in text
