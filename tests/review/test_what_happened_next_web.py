"""What happened next over the real app (issue #12): a bad form shows the case again with an error summary and
the form as sent, nothing saved; a good one is on the page, in the JSON export, and a due review is tagged on
the case list and found by its filter."""

from __future__ import annotations

import html
import json
from collections.abc import Awaitable, Callable

from aiohttp.test_utils import TestClient
from review_helpers import Case, page, post_form
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.store.outcome_models import CaseReview, SharingEntry

AsUser = Callable[[str | None], Awaitable[TestClient]]
SHARE = {
    "shared_what": "The referral form,\n  as sent.",
    "recipient": "Police Prevent team",
    "shared_on": "1/1/2026",
    "method": "phone",
    "lawful_basis": "art9_sch1_para18",
}


async def test_a_bad_share_changes_nothing_and_a_good_one_is_on_the_page_and_in_the_export(
    as_user: AsUser, cases: dict[str, Case], sessions: sessionmaker[Session]
) -> None:
    client = await as_user("north-lead")
    case = cases["north-live"]
    path = f"/cases/{case.id}/sharing"
    response = await post_form(client, path, {**SHARE, "lawful_basis": "", "shared_on": "1/1/2099"})
    body = await response.text()
    assert response.status == 400
    assert 'id="error-summary"' in body and 'href="#lawful_basis"' in body and 'href="#shared_on"' in body
    assert "Police Prevent team" in body  # the form as sent
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(SharingEntry)) == 0

    response = await post_form(client, path, SHARE)
    assert response.status == 303 and "done=shared" in response.headers["Location"]
    body = await page(client, f"/cases/{case.id}")
    assert html.escape(SHARE["shared_what"]) in body and "Phone" in body
    exported = json.loads(await page(client, f"/cases/{case.id}/export.json"))
    assert exported["what_happened_next"]["sharing"][0]["shared_what"] == SHARE["shared_what"]


async def test_a_review_date_is_tagged_on_the_case_list_and_found_by_the_filter(
    as_user: AsUser, cases: dict[str, Case], sessions: sessionmaker[Session]
) -> None:
    client = await as_user("north-lead")
    case = cases["north-live"]
    bad = await post_form(client, f"/cases/{case.id}/reviews", {"review_on": "1/1/2020"})
    assert bad.status == 400 and "must be today or in the future" in await bad.text()
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(CaseReview)) == 0
    response = await post_form(client, f"/cases/{case.id}/reviews", {"review_on": "today"})
    assert response.status == 303, await response.text()
    listed = await page(client, "/cases?review=due&sort=review")
    assert case.reference in listed and "Review due" in listed
    assert cases["north-colleague-live"].reference not in listed
    assert case.reference not in await page(client, "/cases?review=overdue")
