"""One screening, two channels, the real engine: begun on the web page, continued in Teams, finished on the
web page, and stored once with every answer exactly as given.

Microsoft's side is played on loopback (tests/teams' keys authority and Bot Connector, started by the e2e
fixture before the app, which has Teams switched on with their addresses). The Teams user is linked to the
practitioner the way an administrator does it, with `bot user link-teams`. Every Activity is posted to the
real app's /api/messages with a token minted by the test key, so the app checks it in full; its replies
arrive at the fake Bot Connector as Adaptive Cards, whose Action.Submit data the test sends back as Teams
would. Forged tokens are refused with 401 and leave the engine's own tracker store untouched.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.store.models import Assessment, Conversation
from tests.e2e.chat_page import PROGRESS
from tests.e2e.conftest import Product, TeamsSide, _service
from tests.e2e.screening import BY_ID, PLAN, is_screening_over, plan_for, screening_ids
from tests.e2e.web_practitioner import WebPractitioner
from tests.teams.teams_helpers import (
    APP_ID,
    BOT_ID,
    CONNECTOR_TOKEN,
    FOREIGN_TENANT,
    KID,
    TENANT,
    message,
    new_key,
)
from tests.web.web_helpers import sign_in


@dataclass
class Practitioner:
    username: str
    password: str
    user_id: int
    aad_object_id: str


def add_linked_practitioner(product: Product) -> Practitioner:
    """An administrator's two steps, through the real CLI: add the account, then link a Teams identity."""
    username = f"teams-practitioner-{secrets.token_hex(3)}"
    password = secrets.token_urlsafe(16)
    added = product.bot(
        "user", "add", username, "--role=practitioner", "--team=E2E team", "--create-team", stdin=password
    )
    assert added.returncode == 0, added.stderr
    aad_object_id = str(uuid.uuid4())
    linked = product.bot("user", "link-teams", username, "--tenant", TENANT, "--aad-object-id", aad_object_id)
    assert linked.returncode == 0, linked.stderr
    user = _service(product.settings).teams.user_for_teams(TENANT, aad_object_id)
    assert user is not None and user.username == username
    return Practitioner(username, password, user.id, aad_object_id)


class TeamsClient:
    """What the Bot Framework does for one Teams user: post their Activities, with tokens, to our endpoint."""

    def __init__(self, http: aiohttp.ClientSession, product: Product, who: Practitioner) -> None:
        assert product.teams is not None, "the e2e product runs with Teams switched on"
        self.http = http
        self.url = f"{product.settings.app_url}/api/messages"
        self.teams: TeamsSide = product.teams
        self.who = who

    def activity(self, text: str | None = None, **fields: Any) -> dict[str, Any]:
        sender = {"id": f"29:{self.who.aad_object_id}", "name": self.who.username}
        sender["aadObjectId"] = self.who.aad_object_id
        return message(self.teams.connector.url, text, **{"from": sender, **fields})

    async def post(self, activity: dict[str, Any], token: str | None = None) -> int:
        """Post one Activity with a good token, or with `token` ("" sends no Authorization header)."""
        token = self.teams.minter.token() if token is None else token
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        async with self.http.post(self.url, json=activity, headers=headers) as response:
            return response.status

    async def send(self, activity: dict[str, Any]) -> list[dict[str, Any]]:
        """Post with a good token; the replies the Bot Connector received for this Activity."""
        before = len(self.teams.connector.replies)
        status = await self.post(activity)
        assert status == 200, status
        return [reply.body for reply in self.teams.connector.replies[before:]]


def card_of(replies: list[dict[str, Any]]) -> dict[str, Any]:
    cards = [a["content"] for r in replies for a in r.get("attachments", [])]
    assert cards, f"no Adaptive Card among the replies: {replies}"
    card = cards[-1]
    assert card["type"] == "AdaptiveCard" and float(card["version"]) <= 1.5
    return card


def card_text(card: dict[str, Any]) -> str:
    return "\n".join(block.get("text", "") for block in card["body"])


def submit_data(card: dict[str, Any], title: str) -> dict[str, Any]:
    for action in card["actions"]:
        if action["title"] == title:
            assert action["type"] == "Action.Submit"
            return action["data"]
    raise AssertionError(f"no {title!r} on the card; it offers {[a['title'] for a in card['actions']]}")


@pytest.fixture
async def web(product: Product) -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession(
        base_url=product.settings.app_url, cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as client:
        yield client


async def web_answer(web: WebPractitioner, reference: str) -> str:
    """Answer the question the web page shows with its planned answer; returns the question's id."""
    shown = await web.page(reference)
    planned = plan_for(shown.latest_bot_text)
    if planned.button is not None:
        response = await web.press(reference, planned.button)
    else:
        response = await web.type(reference, planned.typed or "")
    assert response.status == 303, await response.text()
    return planned.question_id


def channel_of(product: Product, conversation: str) -> str:
    with _service(product.settings).session_factory() as session:
        query = select(Conversation.channel).where(Conversation.sender_id == conversation)
        return session.scalars(query).one()


async def test_a_screening_begun_on_the_web_continues_in_teams_and_is_finished_on_the_web(
    product: Product, web: aiohttp.ClientSession
) -> None:
    who = add_linked_practitioner(product)
    store = _service(product.settings)
    answered: list[str] = []

    # On the web page: sign in (a real session cookie), start, answer the first question.
    assert (await sign_in(web, who.username, who.password)).status == 303
    me = WebPractitioner(web)
    reference = await me.start_new()
    conversation = store.conversations.latest_conversation(who.user_id)
    assert conversation
    answered.append(await web_answer(me, reference))
    on_the_web = (await me.page(reference)).latest_bot_text

    # In Teams: the bot is added; the welcome card lists the draft begun on the web, the practitioner
    # presses "Carry on" for it and is shown the question the web page is showing, with its choices.
    async with aiohttp.ClientSession() as http:
        teams = TeamsClient(http, product, who)
        welcome = card_of(
            await teams.send(teams.activity(type="conversationUpdate", membersAdded=[{"id": BOT_ID}]))
        )
        carry_on = next(
            a["title"] for a in welcome["actions"] if a["title"].startswith(f"Carry on {reference}")
        )
        card = card_of(await teams.send(teams.activity(value=submit_data(welcome, carry_on))))
        assert card_text(card) == on_the_web, "Teams shows the question the web page left off at"
        assert store.conversations.latest_conversation(who.user_id) == conversation, (
            "the same conversation, not a new one"
        )

        # Buttons pressed in Teams (Action.Submit values), then a free-text answer typed in Teams.
        while (planned := plan_for(card_text(card))).button is not None:
            assert PROGRESS.search(card_text(card)), card_text(card)
            replies = await teams.send(teams.activity(value=submit_data(card, planned.button)))
            answered.append(planned.question_id)
            card = card_of(replies)
        teams_typed = planned
        replies = await teams.send(teams.activity(teams_typed.typed))
        answered.append(teams_typed.question_id)
        last_in_teams = card_text(card_of(replies))
        teams_questions = answered[1:]

        # Every reply went to the conversation the Activity came from, with the app's own connector token.
        assert {r.authorization for r in product.teams.connector.replies} == {f"Bearer {CONNECTOR_TOKEN}"}
        assert product.teams.connector.token_requests[0][0] == TENANT
        assert product.teams.connector.token_requests[0][1]["client_id"] == APP_ID

    # Back on the web page: the question Teams last asked, then the rest of the screening.
    shown = await me.page(reference)
    assert shown.latest_bot_text == last_in_teams
    assert ("user", teams_typed.typed.strip()) in shown.turns, "the Teams answer is in the web conversation"
    while not is_screening_over((await me.page(reference)).latest_bot_text):
        assert len(answered) <= len(PLAN), f"the screening should have ended; answered {answered}"
        answered.append(await web_answer(me, reference))

    # Stored once: one assessment for this practitioner, one conversation, each answer once and verbatim.
    with store.session_factory() as session:
        assessments = session.scalar(
            select(func.count()).select_from(Assessment).where(Assessment.practitioner_id == who.user_id)
        )
        conversations = session.scalars(
            select(Conversation.sender_id).where(Conversation.user_id == who.user_id)
        ).all()
    assert assessments == 1
    assert conversations == [conversation]
    assert channel_of(product, conversation) == "web", "begun on the web page, and recorded as such"
    export = product.export(conversation)
    assert export["assessment"]["practitioner"] == who.username
    assert export["assessment"]["mode"] == "live"
    ids = [answer["question_id"] for answer in export["answers"]]
    assert sorted(ids) == sorted(set(ids)), "each question answered once"
    assert set(ids) == set(answered) and set(answered) <= set(screening_ids())
    for answer in export["answers"]:
        [revision] = answer["revisions"]
        assert revision["text"] == BY_ID[answer["question_id"]].stored_text, answer
    assert {"discussed_with_lead", "lead_advice"} <= set(teams_questions)  # after the web answered the first
    # The display log both channels share holds the Teams turns in order, exactly as typed there.
    said = [m.text for m in store.conversations.chat_messages(conversation) if m.direction == "in"]
    assert said == [BY_ID[question].stored_text for question in answered]


async def test_forged_tokens_are_refused_and_nothing_reaches_the_engine(product: Product) -> None:
    who = add_linked_practitioner(product)
    store = _service(product.settings)
    async with aiohttp.ClientSession() as http:
        teams = TeamsClient(http, product, who)
        card = card_of(await teams.send(teams.activity(value={"action": "start"})))
        conversation = store.conversations.latest_conversation(who.user_id)
        assert conversation and plan_for(card_text(card)).question_id == "immediate_danger"
        assert channel_of(product, conversation) == "teams", "begun in Teams, and recorded as such"
        events = product.engine_events(conversation)
        assert events, "a good token reaches the engine"
        messages = store.conversations.chat_messages(conversation)
        replies = len(product.teams.connector.replies)

        minter = product.teams.minter
        typed = teams.activity("No")
        forged = {
            "another key, same key id": (minter.token(key=new_key()), typed),
            "unknown key id": (minter.token(kid="not-" + KID), typed),
            "alg none": (minter.unsigned(), typed),
            "HS256 with a guessed secret": (minter.hs256(b"guessed-secret-of-thirty-two-bytes!"), typed),
            "wrong audience": (minter.token(aud="someone-elses-bot"), typed),
            "wrong issuer": (minter.token(iss="https://sts.example.com"), typed),
            "expired": (minter.token(exp=1_600_000_000, nbf=1_599_999_000), typed),
            "serviceUrl of another connector": (
                minter.token(serviceurl="https://smba.example.com/"),
                typed,
            ),
            "foreign tenant": (
                minter.token(),
                teams.activity(
                    "No",
                    channelData={"tenant": {"id": FOREIGN_TENANT}},
                    conversation={
                        "id": "a:1personal-chat-id",
                        "conversationType": "personal",
                        "tenantId": FOREIGN_TENANT,
                    },
                ),
            ),
            "no token at all": ("", typed),
        }
        statuses = {name: await teams.post(activity, token) for name, (token, activity) in forged.items()}

    assert statuses == dict.fromkeys(forged, 401)
    assert product.engine_events(conversation) == events, "nothing reached the engine"
    assert store.conversations.chat_messages(conversation) == messages
    assert len(product.teams.connector.replies) == replies, "and nothing was said back"
    assert product.export(conversation)["answers"] == []
