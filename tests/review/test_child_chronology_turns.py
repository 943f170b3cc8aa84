"""Issue #18 in the child's linked chronology (issue #12): each answer item links straight to the turn of its
referral's transcript that gave it, as the case page links an answer, and a "Not dated" item too. Only items
the lead may see are there: a referral of another team linked to the same case-record ID gives no item and
no link. Over the real app on SQLite and PostgreSQL, with the engine's record in a real tracker store."""

from __future__ import annotations

import json
from datetime import date

import pytest
from aiohttp.test_utils import TestClient, TestServer
from dated_cases import MONDAY, case_with_dates, engine_record
from review_helpers import page, sign_in
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.review.case_json import to_json
from bot.review.services import ReviewService
from bot.settings import Settings
from bot.store.services import Store
from bot.web.app import create_app
from tests.fixtures.clocks import Clock

ADDRESS = "192.0.2.20"
CASE_RECORD = "CR-1818184"


@pytest.fixture
def database_url(database_url_on_each_backend: str) -> str:
    """Both backends (tests/fixtures/databases.py)."""
    return database_url_on_each_backend


async def test_each_answer_in_the_child_chronology_links_to_its_transcript_turn_within_scope(
    settings: Settings, sessions: sessionmaker[Session], bank: QuestionBank, people: dict[str, UserInfo]
) -> None:
    clock = Clock(MONDAY)
    store = Store(sessions, clock=clock)
    review = ReviewService(sessions, bank, clock=clock, tracker_db=settings.engine_tracker_db)
    north = case_with_dates(store, bank, people["north-practitioner"], "March 2024", date(2024, 3, 1))
    south = case_with_dates(store, bank, people["south-practitioner"], "last summer", date(2024, 3, 2))
    turns = engine_record(settings.engine_tracker_db, north)
    engine_record(settings.engine_tracker_db, south)
    review.link_case_record(people["north-lead"].id, ADDRESS, north.id, CASE_RECORD)
    review.link_case_record(people["south-lead"].id, ADDRESS, south.id, CASE_RECORD)

    async with TestClient(TestServer(create_app(settings, store))) as client:
        await sign_in(client, "north-lead")
        body = await page(client, f"/cases/{north.id}")
        start = body.index('id="child-chronology"')
        child = body[start : body.index("</ul>", body.index('id="child-chronology-undated-list"'))]
        for qid in ("online_concern__when", "first_noticed_date", "unknown_contacts__when"):
            assert f'href="/cases/{north.id}/transcript#turn-{turns[qid]}"' in child, qid
        assert "#answer-" not in child  # straight to the turn, not via the case page
        # The other team's referral with the same ID: no item, no link to it or its transcript.
        assert f"/cases/{south.id}" not in body and south.reference not in body
        assert "2 March 2024" not in child and "1 June to 31 August 2026" not in child  # its dates

        # The link leads to the turn that gave the answer: the words as typed, at that anchor.
        transcript = await page(client, f"/cases/{north.id}/transcript")
        anchor = transcript.index(f'id="turn-{turns["online_concern__when"]}"')
        assert "March 2024" in transcript[anchor : anchor + 600]

    exported = to_json(review.export_case(people["north-lead"].id, ADDRESS, north.id, "json"))
    chronology = json.loads(json.dumps(exported))["child"]["chronology"]
    answers = [i for i in chronology["items"] + chronology["undated"] if i["question_id"]]
    assert {i["question_id"]: i["transcript_turn"] for i in answers} == turns
