"""Teams, with the real engine: several assessments in one Teams chat, and danger reported from a card.

A linked practitioner starts a screening from the welcome card, answers, opens "My assessments" and starts a
second, answers it, carries on the first from the card, and uses "Someone is in danger now" on a question
card. The team's lead, linked in Teams and with an email address, is told at once through both: a proactive
Teams message (at the loopback Bot Connector) and an email (at a real SMTP server), neither with case content.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import aiohttp

from tests.e2e.conftest import Product, _service
from tests.e2e.mail_server import MailServer
from tests.e2e.screening import plan_for
from tests.e2e.test_teams_real_engine import (
    Practitioner,
    TeamsClient,
    card_of,
    card_text,
    submit_data,
)
from tests.teams.teams_helpers import BOT_ID, TENANT


def linked(product: Product, role: str, team: str, email: str | None = None) -> Practitioner:
    username, password, user_id = product.new_user(role, team, email=email)
    aad_object_id = str(uuid.uuid4())
    done = product.bot("user", "link-teams", username, "--tenant", TENANT, "--aad-object-id", aad_object_id)
    assert done.returncode == 0, done.stderr
    return Practitioner(username, password, user_id, aad_object_id)


async def answer_card(teams: TeamsClient, card: dict[str, Any]) -> dict[str, Any]:
    """Answer the card's question with the screening plan's answer (a button, or typed text)."""
    planned = plan_for(card_text(card))
    if planned.button is not None:
        return card_of(await teams.send(teams.activity(value=submit_data(card, planned.button))))
    return card_of(await teams.send(teams.activity(planned.typed)))


async def test_two_assessments_in_one_teams_chat_and_danger_from_a_card_reaches_the_lead(
    product: Product, mail: MailServer
) -> None:
    mail.start()
    assert product.teams is not None
    team = f"Teams team {uuid.uuid4().hex[:6]}"
    who = linked(product, "practitioner", team)
    lead = linked(product, "lead", team, email=f"teams-lead-{uuid.uuid4().hex[:6]}@example.invalid")
    store = _service(product.settings)
    async with aiohttp.ClientSession() as http:
        # The lead has the bot in Teams (so it knows where their chat is).
        lead_teams = TeamsClient(http, product, lead)
        await lead_teams.send(lead_teams.activity("hello"))
        lead_chat = lead_teams.activity("hello")["conversation"]["id"]

        teams = TeamsClient(http, product, who)
        welcome = card_of(
            await teams.send(teams.activity(type="conversationUpdate", membersAdded=[{"id": BOT_ID}]))
        )
        card = card_of(await teams.send(teams.activity(value=submit_data(welcome, "Start a new screening"))))
        for _ in range(3):
            card = await answer_card(teams, card)
        first_question = card_text(card)

        home = card_of(await teams.send(teams.activity(value=submit_data(card, "My assessments"))))
        card = card_of(await teams.send(teams.activity(value=submit_data(home, "Start a new screening"))))
        card = await answer_card(teams, card)
        card = await answer_card(teams, card)

        drafts = [a for a in store_drafts(product, who.user_id)]
        assert len(drafts) == 2
        first, second = drafts[1], drafts[0]  # most recently used first
        home = card_of(await teams.send(teams.activity(value=submit_data(card, "My assessments"))))
        titles = [action["title"] for action in home["actions"]]
        carry_on = next(t for t in titles if t.startswith(f"Carry on {first}"))
        assert any(t.startswith(f"Carry on {second}") for t in titles)
        card = card_of(await teams.send(teams.activity(value=submit_data(home, carry_on))))
        assert card_text(card) == first_question, "carried on where the first one stopped"

        before = len(product.teams.connector.replies)
        reported = await teams.send(teams.activity(value=submit_data(card, "Someone is in danger now")))
        said = "\n".join(r.get("text", "") for r in reported) + "\n".join(
            card_text(a["content"]) for r in reported for a in r.get("attachments", [])
        )
        assert "999" in said

        def proactive() -> list[Any]:
            """Messages the bot started in the lead's chat (not replies to an activity)."""
            posted = product.teams.connector.replies[before:]
            return [r for r in posted if r.conversation_id == lead_chat and not r.activity_id]

        async def lead_told() -> bool:
            return bool(proactive()) and bool(mail.inbox.to(lead_email(product, lead)))

        deadline = time.monotonic() + 10
        while not await lead_told() and time.monotonic() < deadline:
            await asyncio.sleep(0.25)
        assert await lead_told()
        # The stand-in connector gives every personal chat one id, so the practitioner's own notices share it:
        # on a loaded machine the "no lead reached in time" notice to the practitioner (which ends with "Your
        # assessment:") can arrive too. The lead's urgent notice is what is counted here.
        to_lead = [r for r in proactive() if "Your assessment:" not in r.body["text"]]
        assert len(to_lead) == 1 and first in to_lead[0].body["text"], to_lead
        assert "Urgent" in to_lead[0].body["text"]

    exported = product.export_reference(first)
    assert exported["assessment"]["urgent"] is True
    assert product.export_reference(second)["assessment"]["urgent"] is False
    assert store.assessments.get_assessment(assessment_id=first) is not None


def store_drafts(product: Product, user_id: int) -> list[str]:
    from bot.store.db import make_session_factory
    from bot.store.practitioner import PractitionerService

    service = PractitionerService(make_session_factory(product.settings.database_url))
    return [a.reference for a in service.assessments_of(user_id) if not a.submitted]


def lead_email(product: Product, lead: Practitioner) -> str:
    from sqlalchemy import select

    from bot.store.models import User

    with _service(product.settings).session_factory() as session:
        return session.scalars(select(User.email).where(User.id == lead.user_id)).one()
