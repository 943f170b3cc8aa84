"""Issue #12, closing: the case page lists the documents already made (leads only, Action.SEND_DOCUMENTS), and
a lead's PDF and JSON exports carry the council case-record ID and the child's chronology while a
practitioner's export of the same case has neither. Through the real app on a migrated SQLite store; the PDF
read back with pdftotext."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

from aiohttp.test_utils import TestClient
from document_helpers import CONCERN, decide, documents_case, pdftotext
from review_helpers import page
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.review.document_records import DocumentIn
from bot.review.services import ReviewService
from bot.store.models import AuditEvent
from bot.store.services import Store

AsUser = Callable[[str | None], Awaitable[TestClient]]
ADDRESS = "192.0.2.40"
RECORD_ID = "CR-0424242"
NAME = "Robin Example-Child"
LATER = "A second worry: he was seen outside the school gates with the older group."


async def test_documents_made_listed_for_leads_and_the_lead_export_carries_the_chronology(
    as_user: AsUser,
    store: Store,
    bank: QuestionBank,
    sessions: sessionmaker[Session],
    people: dict[str, UserInfo],
) -> None:
    lead = people["north-lead"]
    review = ReviewService(sessions, bank)
    case = documents_case(store, bank, people["north-practitioner"])
    later = documents_case(store, bank, people["north-colleague"])
    client = await as_user("north-lead")
    body = await page(client, f"/cases/{case.id}")
    assert 'id="documents-link"' not in body  # nothing to send from before a decision
    assert 'id="documents-made"' not in body

    pathways = decide(review, sessions, lead, case)
    made = review.make_document(
        lead.id,
        ADDRESS,
        case.id,
        DocumentIn(
            pathway=str(pathways["prevent_referral"]),
            method="secure_email",
            lawful_basis="art6_public_task",
            child_name=NAME,
        ),
    )
    partner = review.make_document(
        lead.id,
        ADDRESS,
        case.id,
        DocumentIn(
            pathway=str(pathways["community_partner"]), method="secure_email", lawful_basis="art6_public_task"
        ),
    )
    review.link_case_record(lead.id, ADDRESS, case.id, RECORD_ID)
    review.link_case_record(lead.id, ADDRESS, later.id, RECORD_ID.lower())

    body = await page(client, f"/cases/{case.id}")
    assert 'id="documents-link"' in body
    table = body[body.index('id="documents-made-table"') :].split("</table>")[0]
    rows = table.split('<tr class="govuk-table__row" id="document-')[1:]
    assert [row.split('"')[0] for row in rows] == [str(made), str(partner)]  # oldest first
    assert "Prevent referral" in rows[0] and "north-lead" in rows[0]
    assert "Example Youth Mentoring Service (fictional example)" in rows[1]
    assert NAME not in table  # identifying details stay in the document itself
    for link in (f"/cases/{case.id}/documents/{made}.pdf", f"/cases/{case.id}/documents/{made}.json"):
        assert f'href="{link}"' in rows[0]
        response = await client.get(link)
        assert response.status == 200
    # The lead's exports: the case-record ID and one chronology of both linked referrals.
    exported = json.loads(await page(client, f"/cases/{case.id}/export.json"))
    child = exported["child"]
    assert child["case_record_id"] == RECORD_ID
    assert [r["id"] for r in child["chronology"]["referrals"]] == [case.id, later.id]
    words = [item["words"] for item in child["chronology"]["items"]]
    assert CONCERN in words  # verbatim, spaces and line breaks kept
    assert {item["referral"] for item in child["chronology"]["items"]} == {case.reference, later.reference}
    response = await client.get(f"/cases/{case.id}/export.pdf")
    assert response.status == 200
    text = " ".join(pdftotext(await response.read()).split())
    assert "Child's case record and chronology" in text and RECORD_ID in text
    assert later.reference in text
    with sessions() as session:
        exports = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "case.exported").order_by(AuditEvent.id)
        ).all()
    assert [(e.detail["format"], e.detail["case_record_id"]) for e in exports] == [
        ("json", RECORD_ID),
        ("pdf", RECORD_ID),
    ]

    # The practitioner reads their own case: no documents, no link, and exports without either.
    client = await as_user("north-practitioner")
    body = await page(client, f"/cases/{case.id}")
    assert 'id="documents-link"' not in body and 'id="documents-made"' not in body
    exported = json.loads(await page(client, f"/cases/{case.id}/export.json"))
    assert "child" not in exported and RECORD_ID not in json.dumps(exported)
    response = await client.get(f"/cases/{case.id}/export.pdf")
    text = " ".join(pdftotext(await response.read()).split())
    assert RECORD_ID not in text and "Child's case record" not in text and later.reference not in text
    # ...and the documents themselves are a lead's only.
    assert (await client.get(f"/cases/{case.id}/documents/{made}.pdf")).status == 403
