"""The case-record link, the chronology and assignment over the real app (issue #12): bad input shows the
case again with an error summary and changes nothing; the case list shows the assigned lead and the wait by
the app's clock (moved by the test), filters and sorts by them; a lead's home page lists what is assigned to
them; and a new app on the same store (a restart) shows the same."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from aiohttp.test_utils import TestClient, TestServer
from review_helpers import make_user, page, post_form, sign_in
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.settings import Settings
from bot.store.review_models import Referral
from bot.store.services import Store
from bot.web.app import create_app
from tests.fixtures.cases import build_case
from tests.fixtures.clocks import Clock

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


async def test_link_assign_and_wait_over_the_real_app_and_a_restart(
    settings: Settings,
    sessions: sessionmaker[Session],
    bank: QuestionBank,
    store: Store,
    people: dict[str, UserInfo],
) -> None:
    second = make_user(store, "north-lead-two", "lead", "North team")
    clock = Clock(START)
    clocked = Store(sessions, clock=clock)
    first = build_case(
        clocked, bank, people["north-practitioner"], text="First words.", fact_date=date(2026, 10, 1)
    )
    clock.now += timedelta(days=3, hours=4)
    later = build_case(
        clocked, bank, people["north-colleague"], text="Later words.", fact_date=date(2026, 10, 30)
    )
    clock.now += timedelta(days=1, hours=2)  # first has waited 4 days 6 hours, later 1 day 2 hours

    async with TestClient(TestServer(create_app(settings, clocked))) as client:
        await sign_in(client, "north-lead")
        bad = await post_form(client, f"/cases/{first.id}/case-record", {"case_record_id": "not an id"})
        body = await bad.text()
        assert bad.status == 400 and 'href="#case_record_id"' in body and "for example CR-0123456" in body
        assert 'value="not an id"' in body  # the form as sent
        with sessions() as session:
            assert (
                session.scalars(
                    select(Referral.case_record_id).where(Referral.case_record_id.is_not(None))
                ).all()
                == []
            )
        for case in (first, later):
            linked = await post_form(
                client, f"/cases/{case.id}/case-record", {"case_record_id": "cr-7654321"}
            )
            assert linked.status == 303 and "done=linked" in linked.headers["Location"]
        wrong = await post_form(
            client, f"/cases/{first.id}/assignment", {"assignee": str(people["south-lead"].id)}
        )
        assert wrong.status == 400 and 'href="#assignee"' in await wrong.text()
        assigned = await post_form(client, f"/cases/{first.id}/assignment", {"assignee": str(second.id)})
        assert assigned.status == 303 and "done=assigned" in assigned.headers["Location"]

        case_page = await page(client, f"/cases/{later.id}")
        assert 'id="child-chronology-table"' in case_page and "CR-7654321" in case_page
        assert case_page.index("First words.") < case_page.index("Later words.")  # oldest first
        assert f">{first.reference}</a>" in case_page and f">{later.reference}</a>" in case_page

        listed = await page(client, "/cases?sort=waiting")
        assert listed.index(first.reference) < listed.index(later.reference)
        assert "4 days 6 hours" in listed and "1 day 2 hours" in listed and "north-lead-two" in listed
        unassigned = await page(client, "/cases?assigned=none")
        assert later.reference in unassigned and first.reference not in unassigned
        refused = await page(client, "/cases?assigned=everyone", status=200)
        assert "Choose assigned to you, not assigned or anyone" in refused

    # A restart: a new app and store on the same database, the clock a day on.
    clock.now += timedelta(days=1)
    async with TestClient(TestServer(create_app(settings, Store(sessions, clock=clock)))) as client:
        await sign_in(client, "north-lead-two")
        home = await page(client, "/cases")
        mine = home[home.index('id="assigned-to-you"') : home.index('<form method="get" action="/cases"')]
        assert first.reference in mine and "5 days 6 hours" in mine and later.reference not in mine
        only_mine = await page(client, "/cases?assigned=me")
        assert first.reference in only_mine and later.reference not in only_mine
        unlinked = await post_form(client, f"/cases/{first.id}/case-record/remove", {})
        assert unlinked.status == 303 and "done=unlinked" in unlinked.headers["Location"]
        after = await page(client, f"/cases/{later.id}?done=unlinked")
        assert "The case is no longer linked to the child" in after
        assert "First words." not in after.split('id="child-chronology-table"')[1].split("</table>")[0]

    # A practitioner never sees the case-record ID or the assignment forms.
    async with TestClient(TestServer(create_app(settings, store))) as client:
        await sign_in(client, "north-practitioner")
        own = await page(client, f"/cases/{first.id}")
        assert "case-record-form" not in own and "CR-7654321" not in own and "assignment-form" not in own
