"""From screening to support, closing (issue #12), through the real engine, action server, app, outbox worker
and a real SMTP server: a practitioner walks the web chat and submits; the lead decides on two pathways
(a police Prevent referral and a children's social care assessment), makes both documents through the web
pages and reads them with pdftotext (the practitioner's answer verbatim, the identifying details present),
logs a share, records an outcome and sets a review date; the clock moves past it and the reminder email
reaches the lead, holding the reference and a link only."""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

import aiohttp
from sqlalchemy import select

from bot.domain.local_time import LOCAL_ZONE
from bot.store.review_models import DecisionPathway
from tests.e2e.conftest import Product, _service
from tests.e2e.mail_server import MailServer
from tests.e2e.test_review_notices_real_engine import only_reference, walk_and_submit, whole
from tests.e2e.test_urgent_reaches_lead import wait_for
from tests.pdf_text import pdftotext
from tests.web.web_helpers import csrf_from, sign_in

DELIVERY_SECONDS = 60  # a loop guard for the outbox worker's round trip, not a target
NAME = "Sam Example-Child"
SCHOOL = "Example Academy"


def on(day: datetime) -> str:
    return f"{day.day}/{day.month}/{day.year}"


async def test_two_pathways_two_documents_a_share_an_outcome_and_a_review_reminder(
    product: Product, mail: MailServer
) -> None:
    mail.start()
    tag = secrets.token_hex(3)
    team = f"Closing {tag}"
    practitioner, practitioner_password, _ = product.new_user("practitioner", team)
    lead_address = f"lead-{tag}@example.invalid"
    lead, lead_password, _ = product.new_user("lead", team, email=lead_address)

    reference = only_reference(
        await walk_and_submit(product, practitioner, practitioner_password, practice=False)
    )
    export = product.export_reference(reference)
    case_id = export["assessment"]["id"]
    stored = {a["question_id"]: a["revisions"][-1]["text"] for a in export["answers"]}
    concern = stored["concern_summary"]
    today = datetime.now(LOCAL_ZONE)

    async with aiohttp.ClientSession(
        base_url=product.settings.app_url, cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as client:
        assert (await sign_in(client, lead, lead_password)).status == 303

        async def post(path: str, data: list[tuple[str, str]]) -> aiohttp.ClientResponse:
            token = csrf_from(await (await client.get(f"/cases/{case_id}")).text())
            return await client.post(path, data=[("csrf_token", token), *data], allow_redirects=False)

        decided = await post(
            f"/cases/{case_id}/decision",
            [
                ("pathways", "prevent_referral"),
                ("pathway-prevent_referral-rationale", "Police screening is needed."),
                ("pathway-prevent_referral-shared", "The referral form."),
                ("pathway-prevent_referral-owner", "Safeguarding lead"),
                ("pathways", "s17_assessment"),
                ("pathway-s17_assessment-rationale", "The family needs an assessment of need."),
                ("pathway-s17_assessment-shared", "The front door referral."),
                ("pathway-s17_assessment-owner", "Safeguarding lead"),
                ("lawful_bases", "art6_public_task"),
                ("consent", "given"),
            ],
        )
        assert decided.status == 303, await decided.text()
        with _service(product.settings).session_factory() as session:
            rows = session.execute(
                select(DecisionPathway.pathway, DecisionPathway.id).order_by(DecisionPathway.id.desc())
            ).all()
        ids: dict[str, int] = {}
        for pathway, pathway_id in rows:
            ids.setdefault(pathway, pathway_id)  # the newest decision's (this test's) rows

        for pathway, details in (
            ("prevent_referral", [("child_name", NAME), ("date_of_birth", "3/4/2012"), ("school", SCHOOL)]),
            ("s17_assessment", [("child_name", NAME)]),
        ):
            made = await post(
                f"/cases/{case_id}/documents",
                [
                    ("pathway", str(ids[pathway])),
                    ("method", "secure_email"),
                    ("lawful_basis", "art6_public_task"),
                    *details,
                ],
            )
            assert made.status == 303, await made.text()
            document_id = re.search(r"made=(\d+)", made.headers["Location"])
            assert document_id, made.headers["Location"]
            pdf = await client.get(f"/cases/{case_id}/documents/{document_id.group(1)}.pdf")
            assert pdf.status == 200
            text = " ".join(pdftotext(await pdf.read()).split())
            assert " ".join(concern.split()) in text, pathway  # the practitioner's words, verbatim
            assert NAME in text, pathway
            if pathway == "prevent_referral":
                assert SCHOOL in text and "3 April 2012" in text and "The referrer" in text
        case_page = await (await client.get(f"/cases/{case_id}")).text()
        assert case_page.count('id="document-') == 2  # both listed under "Documents made"

        shared = await post(
            f"/cases/{case_id}/sharing",
            [
                ("shared_what", "The chronology, by phone."),
                ("recipient", "MASH duty social worker"),
                ("shared_on", on(today)),
                ("method", "phone"),
                ("lawful_basis", "art6_public_task"),
                ("sharing_pathway", str(ids["s17_assessment"])),
            ],
        )
        assert shared.status == 303, await shared.text()
        outcome = await post(
            f"/cases/{case_id}/outcomes",
            [("outcome", f"{ids['prevent_referral']}:police_not_adopted"), ("outcome_on", on(today))],
        )
        assert outcome.status == 303, await outcome.text()
        review_on = today + timedelta(days=7)
        reviewed = await post(f"/cases/{case_id}/reviews", [("review_on", on(review_on))])
        assert reviewed.status == 303, await reviewed.text()

    async def reminded() -> bool:
        return any(m["Subject"] == f"A review of {reference} is due" for m in mail.inbox.to(lead_address))

    assert not await reminded()
    product.advance_app_clock(8 * 86400)  # eight days on: the review date has come
    assert await wait_for(reminded, DELIVERY_SECONDS), [m["Subject"] for m in mail.inbox.messages]
    [message] = [m for m in mail.inbox.to(lead_address) if m["Subject"] == f"A review of {reference} is due"]
    text = whole(message)
    assert f"{product.settings.link_base_url}/cases/{case_id}" in text.split()
    for secret in (" ".join(concern.split())[:40], NAME, SCHOOL, practitioner):
        assert secret not in text, secret
