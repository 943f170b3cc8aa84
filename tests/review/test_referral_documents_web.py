"""Documents to send through the real app (issue #12): a lead of the case's team makes a partner request
without identifying details and downloads its JSON (no details in it); bad input is the form again with
nothing saved; a practitioner is refused at the door (403) and a lead of another team finds nothing (404)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.test_utils import TestClient
from document_helpers import CONCERN, decide, documents_case
from review_helpers import page, post_form
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.store.document_models import IdentifyingDetails, ReferralDocument
from bot.store.outcome_models import SharingEntry
from bot.store.services import Store
from bot.web.review import REVIEW

AsUser = Callable[[str | None], Awaitable[TestClient]]


def count(sessions: sessionmaker[Session], model: type) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


async def test_a_lead_makes_a_partner_request_and_others_are_refused(
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
    form = {"pathway": str(pathways["community_partner"]), "method": "phone", "lawful_basis": "consent"}
    client = await as_user("north-lead")
    assert "Example Youth Mentoring Service" in await page(client, path)

    response = await post_form(
        client, path, {**form, "date_of_birth": "yesterday-ish", "school": "Example High"}
    )
    body = await response.text()
    assert response.status == 400
    assert 'href="#date_of_birth"' in body and 'value="Example High"' in body
    assert count(sessions, IdentifyingDetails) == count(sessions, SharingEntry) == 0

    response = await post_form(client, path, form)
    assert response.status == 303
    with sessions() as session:
        document_id = session.scalars(select(ReferralDocument.id)).one()
    location = response.headers["Location"]
    assert location.endswith(f"?made={document_id}")
    exported = json.loads(await page(client, f"{path}/{document_id}.json"))
    assert exported["document"] == "partner_request"
    assert "identifying_details" not in json.dumps(exported)
    answers = [a["answer"] for section in exported["sections"] for a in section["answers"]]
    assert CONCERN in answers
    assert count(sessions, IdentifyingDetails) == 0 and count(sessions, SharingEntry) == 1

    practitioner = await as_user("north-practitioner")
    assert (await practitioner.get(f"{path}/{document_id}.json", allow_redirects=False)).status == 403
    assert (await post_form(practitioner, path, form)).status == 403
    other_lead = await as_user("south-lead")
    assert (await other_lead.get(f"{path}/{document_id}.pdf", allow_redirects=False)).status == 404
    assert (await other_lead.get(path, allow_redirects=False)).status == 404
    assert count(sessions, ReferralDocument) == 1
