"""The case's identifying details on the documents form, through the real app (issue #12): offered again
pre-filled, with the version they are; a bad correction is the form again as sent, with a clear message and
nothing saved; a Request for Support waiting for its full assessment has the form (not a 409), saying that a
document made now is based on the screening only."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.test_utils import TestClient
from document_helpers import decide, documents_case
from review_helpers import page, post_form
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from test_request_for_support_pages import send_screening

from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.store.document_models import IdentifyingDetails, ReferralDocument
from bot.store.services import Store
from bot.web.review import REVIEW

AsUser = Callable[[str | None], Awaitable[TestClient]]
NAME = "Sam <O'Neill>"


def count(sessions: sessionmaker[Session], model: type) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


async def test_the_form_offers_the_case_details_again_and_a_bad_correction_changes_nothing(
    as_user: AsUser,
    app: web.Application,
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
    sessions: sessionmaker[Session],
) -> None:
    case = documents_case(store, bank, people["north-practitioner"])
    pathways = decide(app[REVIEW], sessions, people["north-lead"], case)
    path = f"/cases/{case.id}/documents"
    form = {"pathway": str(pathways["prevent_referral"]), "method": "phone", "lawful_basis": "consent"}
    client = await as_user("north-lead")
    response = await post_form(client, path, {**form, "child_name": NAME, "date_of_birth": "27/3/2012"})
    assert response.status == 303

    body = await page(client, path)
    assert 'value="Sam &lt;O&#39;Neill&gt;"' in body and 'value="27/3/2012"' in body
    assert "version 1" in body

    response = await post_form(client, path, {**form, "child_name": "Sam", "date_of_birth": "next week"})
    body = await response.text()
    assert response.status == 400
    assert 'href="#date_of_birth"' in body and 'value="Sam"' in body  # the form as sent, with the message
    assert count(sessions, IdentifyingDetails) == count(sessions, ReferralDocument) == 1

    case_page = await page(client, f"/cases/{case.id}")
    assert "Version 1" in case_page[case_page.index('id="documents-made-table"') :]


async def test_a_request_for_support_awaiting_the_full_assessment_has_the_form_and_says_so(
    as_user: AsUser,
    app: web.Application,
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
) -> None:
    lead = people["north-lead"]
    case = send_screening(store, bank, people["north-practitioner"])
    app[REVIEW].ask_for_full_assessment(lead.id, "127.0.0.1", case.id, "")
    client = await as_user("north-lead")
    response = await client.get(f"/cases/{case.id}/documents", allow_redirects=False)
    body = await response.text()
    assert response.status == 200
    assert 'id="document-basis"' in body and "full assessment has been asked for and is awaited" in body
    assert 'id="documents-link"' not in await page(client, f"/cases/{case.id}")  # no decision to send from
