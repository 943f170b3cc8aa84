"""Teams replies do not repeat the practitioner's answers or their summary (issue #30): a Teams chat's history
is kept outside this product's retention. Through the real endpoint (/api/messages, real tokens, real store);
only the engine is a stand-in, replying with the messages the real dialogue writes (bot.dialogue)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from teams_helpers import TENANT, Authority, Connector, Post, message
from web_helpers import BUTTONS, FakeClock, FakeEngine, make_settings

from bot.dialogue.at_question import ANSWER_WAS, KEEP_OR_CHANGE
from bot.dialogue.at_review import REVIEW_HEADING
from bot.domain.records import UserInfo
from bot.store.services import Store
from bot.teams.withheld import ANSWERED_ALREADY, SUMMARY_WITHHELD
from bot.web.app import create_app

ANSWER = "He told his teacher that his older cousin shows him videos at the weekend"
SUMMARY = (
    f"{REVIEW_HEADING}\n\nWhat you noticed\n1. What have you noticed?\n   {ANSWER}\n\n"
    "To change an answer, type 'change' and its number (for example 'change 3'). When you are happy that "
    "this is your own account, choose 'Submit to my lead'."
)
ASKED_AGAIN = (
    f"What you noticed, question 1 of 4; section 1 of 3\n\nWhat have you noticed?\n\n"
    f"{ANSWER_WAS}{ANSWER}. {KEEP_OR_CHANGE}"
)


def reply_with(engine: FakeEngine, *texts: str) -> None:
    replies: list[dict[str, Any]] = [{"recipient_id": "x", "text": text} for text in texts]
    replies[-1]["buttons"] = BUTTONS
    engine.raw_body = json.dumps(replies)


def everything_said(connector: Connector) -> str:
    return json.dumps([r.body for r in connector.replies])


async def start_and_answer(post: Post, connector: Connector, engine: FakeEngine, *texts: str) -> None:
    assert (await post(message(connector.url, value={"action": "start"}))).status == 200
    reply_with(engine, *texts)
    assert (await post(message(connector.url, ANSWER))).status == 200


async def test_the_summary_is_not_repeated_into_teams(
    post: Post, connector: Connector, engine: FakeEngine, user: UserInfo
) -> None:
    await start_and_answer(post, connector, engine, SUMMARY)
    assert ANSWER not in everything_said(connector)
    card = connector.cards()[-1]
    assert card["body"][0]["text"] == f"{REVIEW_HEADING}\n\n{SUMMARY_WITHHELD}"
    # The buttons stay, so the practitioner can still submit (or go back, or pause) from Teams.
    titles = [action["title"] for action in card["actions"]]
    assert {button["title"] for button in BUTTONS} <= set(titles)


async def test_a_question_asked_again_says_it_was_answered_not_what(
    post: Post, connector: Connector, engine: FakeEngine, user: UserInfo
) -> None:
    await start_and_answer(post, connector, engine, ASKED_AGAIN)
    assert ANSWER not in everything_said(connector)
    text = connector.cards()[-1]["body"][0]["text"]
    assert text.startswith("What you noticed, question 1 of 4")
    assert text.endswith(f"What have you noticed?\n\n{ANSWERED_ALREADY} {KEEP_OR_CHANGE}")


async def test_other_messages_are_shown_as_the_dialogue_wrote_them(
    post: Post, connector: Connector, engine: FakeEngine, user: UserInfo
) -> None:
    await start_and_answer(post, connector, engine, "Thank you.", "What have you noticed?")
    assert "Thank you." in connector.texts()
    assert connector.cards()[-1]["body"][0]["text"] == "What have you noticed?"


@pytest.fixture
async def showing_client(
    tmp_path: Path,
    database_url: str,
    engine: FakeEngine,
    authority: Authority,
    connector: Connector,
    store: Store,
):
    settings = make_settings(
        tmp_path,
        database_url,
        engine.port,
        BOT_TEAMS_APP_ID="00000000-0000-4000-8000-00000000a99d",
        BOT_TEAMS_APP_PASSWORD="test-client-secret",
        BOT_TEAMS_TENANT_IDS=TENANT,
        BOT_TEAMS_OPENID_URL=f"{authority.url}/openid",
        BOT_TEAMS_TOKEN_URL_TEMPLATE=f"{connector.url}/{{tenant}}/oauth2/v2.0/token",
        BOT_TEAMS_SHOW_ANSWERS="true",
    )
    assert settings.teams_show_answers
    async with TestClient(TestServer(create_app(settings, store, clock=FakeClock()))) as test_client:
        yield test_client


async def test_the_setting_allows_answers_into_teams(
    showing_client: TestClient, minter: Any, connector: Connector, engine: FakeEngine, user: UserInfo
) -> None:
    async def post(activity: Any) -> Any:
        return await showing_client.post(
            "/api/messages", json=activity, headers={"Authorization": f"Bearer {minter.token()}"}
        )

    await start_and_answer(post, connector, engine, SUMMARY)
    assert connector.cards()[-1]["body"][0]["text"] == SUMMARY


def test_answers_are_withheld_by_default(tmp_path: Path, database_url: str) -> None:
    assert make_settings(tmp_path, database_url, 1).teams_show_answers is False
