"""Two case-page flows of issue #12, through the real app on a real migrated SQLite store:

- a lead decides on a Request for Support, then asks for the full assessment from the decided case (the page
  says the decision stands and the case comes back); the practitioner sees the ask on their home page;
- "Change identifying details": the form pre-filled with the current version; a change makes the next
  version (audited with field names only, never values); an unchanged save makes nothing; bad input is the
  form again as sent with a GOV.UK error summary and nothing saved; a trainer is refused.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp.test_utils import TestClient
from document_helpers import documents_case
from review_helpers import page, post_form
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from test_request_for_support_pages import send_screening

from bot.domain.audit_actions import AuditAction
from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.store.document_models import IdentifyingDetails
from bot.store.models import AuditEvent
from bot.store.services import Store

AsUser = Callable[[str | None], Awaitable[TestClient]]
SOCIAL_CARE = {
    "pathways": "s17_assessment",
    "pathway-s17_assessment-rationale": "The family need support today.",
    "pathway-s17_assessment-shared": "The screening.",
    "pathway-s17_assessment-owner": "DSL",
    "lawful_bases": "art6_public_task",
    "consent": "given",
}
NAME = "Sam <O'Neill>"
ADDRESS = "  12 Example Road\nExampletown EX1 2MP "


def count(sessions: sessionmaker[Session], model: type) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def details_events(sessions: sessionmaker[Session]) -> list[dict[str, object]]:
    with sessions() as session:
        rows = session.scalars(
            select(AuditEvent).where(AuditEvent.action == AuditAction.DETAILS_CHANGED).order_by(AuditEvent.id)
        )
        return [dict(row.detail or {}) for row in rows]


async def test_a_lead_decides_on_the_screening_then_asks_for_the_full_assessment_on_the_case_page(
    as_user: AsUser, store: Store, bank: QuestionBank, people: dict[str, UserInfo]
) -> None:
    store.users.set_user_email("north-practitioner", "north-practitioner@example.invalid")
    case = send_screening(store, bank, people["north-practitioner"])
    client = await as_user("north-lead")
    response = await post_form(client, f"/cases/{case.id}/decision", SOCIAL_CARE)
    assert response.status == 303, await response.text()

    body = await page(client, f"/cases/{case.id}")
    form = body[body.index('id="ask-full"') :].split("</form>")[0]
    assert "Your decision stands, with its documents" in form
    assert "the case returns to the queue when the full assessment arrives" in form
    assert "Made on</dt>" in body and "The screening only (Request for Support)" in body

    response = await post_form(client, f"/cases/{case.id}/ask-full", {"message": "Family section, please."})
    assert response.status == 303, await response.text()
    body = await page(client, response.headers["Location"])
    assert "any decision already recorded stays on the case" in body
    assert "Waiting for the practitioner" in body
    assert "The family need support today." in body  # the decision is still there
    assert 'id="ask-full"' not in body

    client = await as_user("north-practitioner")
    home = await page(client, "/chat")
    row = home[home.index(f'id="full-requested-{case.reference}"') :].split("</tr>")[0]
    assert "Your lead asked for the full assessment" in row and "Family section, please." in row


async def test_a_decided_full_assessment_offers_no_ask(
    as_user: AsUser, store: Store, bank: QuestionBank, people: dict[str, UserInfo]
) -> None:
    case = documents_case(store, bank, people["north-practitioner"])
    client = await as_user("north-lead")
    assert (await post_form(client, f"/cases/{case.id}/decision", SOCIAL_CARE)).status == 303
    body = await page(client, f"/cases/{case.id}")
    assert 'id="ask-full"' not in body and "Made on</dt>" not in body
    response = await post_form(client, f"/cases/{case.id}/ask-full", {"message": ""})
    assert response.status == 409 and "Only a Request for Support" in await response.text()


async def test_change_identifying_details_on_their_own(
    as_user: AsUser,
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
    sessions: sessionmaker[Session],
) -> None:
    case = documents_case(store, bank, people["north-practitioner"])
    path = f"/cases/{case.id}/details"
    client = await as_user("north-lead")
    case_page = await page(client, f"/cases/{case.id}")
    assert f'href="{path}" id="details-link"' in case_page  # offered before any decision

    body = await page(client, path)
    assert "No details have been entered for this case yet." in body
    response = await post_form(client, path, {"child_name": NAME, "date_of_birth": "27/3/2012"})
    assert response.status == 303 and response.headers["Location"].endswith("done=details-changed")
    assert "The identifying details have been changed." in await page(client, response.headers["Location"])

    body = await page(client, path)
    assert 'value="Sam &lt;O&#39;Neill&gt;"' in body and 'value="27/3/2012"' in body and "version 1" in body
    same = {"child_name": NAME, "date_of_birth": "27/3/2012"}
    response = await post_form(client, path, same)
    assert response.headers["Location"].endswith("done=details-unchanged")
    assert count(sessions, IdentifyingDetails) == 1  # an unchanged save makes nothing

    response = await post_form(client, path, {**same, "address": ADDRESS})
    assert response.headers["Location"].endswith("done=details-changed")
    with sessions() as session:  # stored exactly as typed
        newest = session.scalars(select(IdentifyingDetails).order_by(IdentifyingDetails.id.desc())).first()
        assert newest is not None and newest.address == ADDRESS and newest.child_name == NAME
    events = details_events(sessions)
    assert [e["fields"] for e in events] == [["child_name", "date_of_birth"], ["address"]]
    assert all(NAME not in str(e) and "Example Road" not in str(e) for e in events)  # names, never values

    response = await post_form(client, path, {"child_name": "Sam", "date_of_birth": "next week"})
    body = await response.text()
    assert response.status == 400
    assert "govuk-error-summary" in body and 'href="#date_of_birth"' in body and 'value="Sam"' in body
    assert count(sessions, IdentifyingDetails) == 2 and len(details_events(sessions)) == 2  # nothing saved

    rehearsal = documents_case(store, bank, people["north-practitioner"], mode="rehearsal")
    trainer = await as_user("north-trainer")  # sees the team's rehearsals, but is no lead
    assert (await trainer.get(f"/cases/{rehearsal.id}/details", allow_redirects=False)).status == 403
    assert 'id="details-link"' not in await page(trainer, f"/cases/{rehearsal.id}")
    other = await as_user("south-lead")
    assert (await other.get(path, allow_redirects=False)).status == 404
