"""A lead reviews what a practitioner said to the real engine: the case is in the list as soon as it is
submitted, its answers are on the case page, the transcript (read from the engine's own tracker store) shows
the text exactly as typed, each answer links to its turn, and the lead's decision is stored.

Real engine, action server and app on loopback ports; the lead's pages are driven over HTTP.
"""

from __future__ import annotations

import re
import secrets

import aiohttp
from markupsafe import escape
from sqlalchemy import select

from bot.store.db import make_session_factory
from bot.store.review_models import Decision, DecisionPathway, Referral
from bot.store.services import Store
from tests.e2e.conftest import Product
from tests.e2e.test_thin_path import answer_until_free_text, start
from tests.web.web_helpers import csrf_from, page, sign_in

TYPED = "  She said: «we're moving» 🙁\r\nand then went quiet.  "
RATIONALE = "  Known to school; early help fits.\nReview in a month. "
SHARED = "Nothing shared yet: the family are told first."
OWNER = "Early help coordinator"


async def test_a_lead_reviews_a_case_walked_through_the_engine_and_records_a_decision(
    product: Product,
) -> None:
    store = Store(make_session_factory(product.settings.database_url))
    sender, replies = start(product)
    asked = answer_until_free_text(product, sender, replies, TYPED)
    record = store.assessments.submit(sender)
    password = secrets.token_urlsafe(16)
    lead = store.users.create_user(f"e2e-lead-{secrets.token_hex(3)}", password, "lead", "E2E team")

    async with aiohttp.ClientSession(
        base_url=product.settings.app_url, cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as client:
        assert (await sign_in(client, lead.username, password)).status == 303
        # Read once, straight after submitting: the case is already in the queue (no waiting, no retries).
        listing = await page(client, "/cases")
        assert f'href="/cases/{record.id}"' in listing and record.reference in listing

        case = await page(client, f"/cases/{record.id}")
        assert str(escape(TYPED)) in case
        for answer in record.answers.values():
            assert str(escape(answer.text)) in case
        typed_question = next(a for a in record.answers.values() if a.text == TYPED)
        assert typed_question.wording.strip() and typed_question.wording in asked

        link = re.search(
            rf'id="answer-{re.escape(typed_question.question_id)}".*?href="(/cases/{record.id}/transcript)#turn-(\d+)"',
            case,
            re.S,
        )
        assert link, "the typed answer links to the transcript turn that produced it"
        transcript = await page(client, link.group(1))
        turn = re.search(rf'<li id="turn-{link.group(2)}".*?</li>', transcript, re.S)
        assert turn and str(escape(TYPED)) in turn.group(0), "the turn holds the text exactly as typed"
        assert 'id="transcript-note"' not in transcript

        token = csrf_from(case)
        decided = await client.post(
            f"/cases/{record.id}/decision",
            data={
                "csrf_token": token,
                "pathways": "early_help",
                "pathway-early_help-rationale": RATIONALE,
                "pathway-early_help-shared": SHARED,
                "pathway-early_help-owner": OWNER,
                "lawful_bases": "art6_public_task",
                "consent": "given",
            },
            allow_redirects=False,
        )
        assert decided.status == 303, await decided.text()
        assert "The decision has been recorded." in await page(client, decided.headers["Location"])

    with store.session_factory() as session:
        referral = session.scalar(select(Referral).where(Referral.assessment_id == record.id))
        assert referral is not None and referral.status == "decided"
        [decision] = session.scalars(select(Decision).where(Decision.referral_id == referral.id))
        [chosen] = session.scalars(select(DecisionPathway).where(DecisionPathway.decision_id == decision.id))
        assert (chosen.pathway, chosen.rationale) == ("early_help", RATIONALE), "the lead's words verbatim"
        assert (chosen.shared, chosen.owner) == (SHARED, OWNER)
        assert list(decision.lawful_bases) == ["art6_public_task"]
        assert decision.decided_by == lead.id
