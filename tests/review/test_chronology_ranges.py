"""Issue #18 in the child's chronology (issue #12): a rough date stays the range it means beside the words as
typed, never one day; items order by the earliest moment they can have happened; a "don't know" is listed
apart as undated. On the real bank, through the review service on SQLite and PostgreSQL, with the JSON and
the PDF (read back with pdftotext) of a lead's export, and the case page through the real app."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from aiohttp.test_utils import TestClient, TestServer
from dated_cases import MONDAY, case_with_dates
from document_helpers import pdftotext
from review_helpers import page, sign_in
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.review.case_json import to_json
from bot.review.chronology import ChronologyItem, sort_key
from bot.review.formats import day_range
from bot.review.pdf import render_pdf
from bot.review.records import LinkedCase
from bot.review.services import ReviewService
from bot.settings import Settings
from bot.store.services import Store
from bot.web.app import create_app
from tests.fixtures.clocks import Clock

ADDRESS = "192.0.2.18"
CASE = LinkedCase(1, "REF-1", MONDAY)
OTHER = LinkedCase(2, "REF-2", MONDAY)


@pytest.fixture
def database_url(database_url_on_each_backend: str) -> str:
    """Both backends (tests/fixtures/databases.py)."""
    return database_url_on_each_backend


def item(
    on: date, *, until: date | None = None, at: datetime | None = None, what: str = ""
) -> ChronologyItem:
    return ChronologyItem(on, at, "answer" if at is None else "decision", what, "", CASE, until=until)


def test_a_range_is_written_as_its_first_and_last_day_without_abbreviations() -> None:
    assert day_range(date(2024, 3, 1), date(2024, 3, 31)) == "1 March to 31 March 2024"
    assert day_range(date(2023, 12, 1), date(2024, 2, 29)) == "1 December 2023 to 29 February 2024"
    assert (
        day_range(date(2024, 3, 5), None) == day_range(date(2024, 3, 5), date(2024, 3, 5)) == "5 March 2024"
    )
    assert day_range(None, None) == ""


def test_items_order_by_the_earliest_moment_ranges_first_on_their_first_day_narrower_first() -> None:
    march = item(date(2024, 3, 1), until=date(2024, 3, 31), what="March 2024")
    first_week = item(date(2024, 3, 1), until=date(2024, 3, 7), what="first week of March")
    first_march = item(date(2024, 3, 1), what="1 March 2024")
    decided = item(date(2024, 3, 1), at=datetime(2024, 3, 1, 10, 0, tzinfo=UTC), what="decided 1 March 10:00")
    year = item(date(2024, 1, 1), until=date(2024, 12, 31), what="2024")
    mid_march = item(date(2024, 3, 15), what="15 March 2024")  # inside March's range, after its first day
    february = item(date(2024, 2, 28), what="28 February 2024")
    shuffled = [mid_march, decided, first_march, march, february, year, first_week]
    assert [i.what for i in sorted(shuffled, key=sort_key)] == [
        "2024",
        "28 February 2024",
        "first week of March",
        "March 2024",
        "1 March 2024",
        "decided 1 March 10:00",
        "15 March 2024",
    ]
    # Two referrals' items on the same footing keep a stable order: by referral.
    other = ChronologyItem(date(2024, 3, 1), None, "answer", "other", "", OTHER)
    assert sorted([other, first_march], key=sort_key) == [first_march, other]


def test_linked_chronology_keeps_ranges_and_undated_answers_in_the_export(
    sessions: sessionmaker[Session], bank: QuestionBank, people: dict[str, UserInfo]
) -> None:
    clock = Clock(MONDAY)
    store = Store(sessions, clock=clock)
    review = ReviewService(sessions, bank, clock=clock)
    lead = people["north-lead"]
    first = case_with_dates(store, bank, people["north-practitioner"], "March 2024", date(2024, 3, 1))
    clock.now += timedelta(days=1)
    second = case_with_dates(store, bank, people["north-colleague"], "last summer", date(2024, 3, 15))
    for case in (first, second):
        review.link_case_record(lead.id, ADDRESS, case.id, "CR-1818181")

    chronology = review.open_case(lead.id, ADDRESS, second.id).child.chronology
    assert chronology is not None
    answers = [(i.on, i.until, i.words, i.case.id) for i in chronology.items if i.kind == "answer"]
    assert answers == [
        (
            date(2024, 3, 1),
            date(2024, 3, 31),
            "March 2024",
            first.id,
        ),  # the range before its first day's date
        (date(2024, 3, 1), None, "01/03/2024", first.id),
        (date(2024, 3, 15), None, "15/03/2024", second.id),
        (date(2026, 6, 1), date(2026, 8, 31), "last summer", second.id),
    ]
    assert all(i.question_id for i in chronology.items if i.kind == "answer")
    # "don't know" is neither dropped nor dated: one per referral, apart.
    assert [(i.on, i.words, i.case.id) for i in chronology.undated] == [
        (None, "don't know", first.id),
        (None, "don't know", second.id),
    ]

    document = review.export_case(lead.id, ADDRESS, second.id, "json")
    exported = json.loads(json.dumps(to_json(document)))["child"]["chronology"]
    march = next(i for i in exported["items"] if i["words"] == "March 2024")
    assert march["on"] == "2024-03-01" and march["until"] == "2024-03-31"
    assert march["when"] == "1 March to 31 March 2024" and march["question_id"] == "online_concern__when"
    assert [(i["on"], i["words"]) for i in exported["undated"]] == [
        (None, "don't know"),
        (None, "don't know"),
    ]
    today = MONDAY.date().isoformat()
    assert all(i["on"] != today for i in exported["undated"])

    text = " ".join(pdftotext(render_pdf(document)).split())
    assert "1 March to 31 March 2024" in text and "March 2024" in text
    assert "1 June to 31 August 2026" in text and "last summer" in text
    assert "Not dated" in text and "don't know" in text


async def test_case_page_shows_ranges_links_each_answer_and_lists_undated_apart(
    settings: Settings, sessions: sessionmaker[Session], bank: QuestionBank, people: dict[str, UserInfo]
) -> None:
    clock = Clock(MONDAY)
    store = Store(sessions, clock=clock)
    review = ReviewService(sessions, bank, clock=clock)
    first = case_with_dates(store, bank, people["north-practitioner"], "March 2024", date(2024, 3, 1))
    review.link_case_record(people["north-lead"].id, ADDRESS, first.id, "CR-1818182")

    async with TestClient(TestServer(create_app(settings, store))) as client:
        await sign_in(client, "north-lead")
        body = await page(client, f"/cases/{first.id}")
    own = body[body.index('id="chronology"') : body.index('id="answers"')]
    assert "1 March to 31 March 2024" in own and "March 2024</span>" in own
    assert 'href="#answer-online_concern__when"' in own and 'href="#answer-first_noticed_date"' in own
    assert own.index("1 March to 31 March 2024") < own.index("1 March 2024</td>")
    assert 'id="chronology-undated-list"' in own and "don&#39;t know" in own
    assert 'href="#answer-unknown_contacts__when"' in own
    child = body[body.index('id="child-chronology"') :]
    assert "1 March to 31 March 2024" in child
    assert f'href="/cases/{first.id}#answer-online_concern__when"' in child
    assert 'id="child-chronology-undated-list"' in child and "don&#39;t know" in child
    assert 'id="answer-online_concern__when"' in body  # the link's target exists on the page
