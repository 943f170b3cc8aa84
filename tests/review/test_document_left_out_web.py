"""Leaving identifying details out of one document on the documents form, through the real app (issue #12):
a checkbox beside each field; opened for a partner request, the address is ticked by default with the reason
beside it; an unknown field id is the form again with a clear message and nothing saved; a document sent with
fields ticked keeps the case's details version, and the case page's table says what it left out."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.test_utils import TestClient
from document_helpers import decide, documents_case
from review_helpers import page, post_form
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.store.document_models import IdentifyingDetails, ReferralDocument
from bot.store.services import Store
from bot.web.review import REVIEW

AsUser = Callable[[str | None], Awaitable[TestClient]]


def count(sessions: sessionmaker[Session], model: type) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def ticked(body: str) -> set[str]:
    return set(re.findall(r'name="left_out" type="checkbox" value="(\w+)" checked', body))


async def test_leaving_fields_out_defaults_errors_and_the_document_sent(
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
    partner = str(pathways["community_partner"])
    client = await as_user("north-lead")
    details = {"child_name": "Sam", "date_of_birth": "27/3/2012", "address": "12 Example Road"}
    form = {"pathway": str(pathways["prevent_referral"]), "method": "phone", "lawful_basis": "consent"}
    assert (await post_form(client, path, {**form, **details})).status == 303

    # No document chosen yet: nothing ticked, and a link opens the partner request with its defaults.
    body = await page(client, path)
    assert ticked(body) == set() and body.count('name="left_out"') == 5
    assert f'href="{path}?pathway={partner}"' in body and "leaves address out by default" in body

    body = await page(client, f"{path}?pathway={partner}")
    assert ticked(body) == {"address"}
    assert re.search(rf'id="pathway-{partner}" name="pathway" type="radio" value="{partner}" checked', body)
    hint = re.search(r'id="left_out-address-hint"[^>]*>([^<]*)<', body)
    assert hint and "Left out by default for" in hint.group(1) and "home address" in hint.group(1)
    assert 'value="12 Example Road"' not in body  # a textarea: the address is its content
    assert "12 Example Road</textarea>" in body  # still offered: left out of this document only

    # An unknown field id: the form again as sent, with the message, and nothing saved.
    fields = {**form, "pathway": partner, **details}
    sent = [*fields.items(), ("left_out", "address"), ("left_out", "religion")]
    response = await post_form(client, path, sent)
    body = await response.text()
    assert response.status == 400
    assert 'href="#left_out-child_name"' in body and "&#39;religion&#39; is not one of them" in body
    assert ticked(body) == {"address"}
    assert count(sessions, ReferralDocument) == 1

    # Sent with the date of birth and the address left out: the same details version, listed on the case.
    sent = [*sent[:-1], ("left_out", "date_of_birth")]
    response = await post_form(client, path, sent)
    assert response.status == 303
    assert count(sessions, ReferralDocument) == 2 and count(sessions, IdentifyingDetails) == 1
    case_page = await page(client, f"/cases/{case.id}")
    table = case_page[case_page.index('id="documents-made-table"') :]
    assert "left out: date of birth, address" in table and table.count("Version 1") == 2
