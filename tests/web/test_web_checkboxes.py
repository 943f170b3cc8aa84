"""A multiple choice question on the web chat: GOV.UK checkboxes and one Continue, without JavaScript.

The store says the assessment is at a multiple choice question and the bot's buttons are its options, so the
page offers checkboxes; the ticked options go to the engine as one message that the real answer reader reads
as exactly those options, and the chat shows it as what the practitioner chose.
"""

from __future__ import annotations

import html
import re
from datetime import date

from aiohttp.test_utils import TestClient
from web_helpers import FakeEngine, csrf_from, field_value, messages_on, page, start_screening

from bot.domain.records import UserInfo
from bot.questions import ParsedAnswer, load_bank, parse_answer
from bot.store.services import Store
from tests.builders import move
from tests.web.web_helpers import conversation_of

QUESTION = "other_needs"
NAVIGATION = [{"title": "Back", "payload": "/go_back"}, {"title": "Skip", "payload": "/skip"}]


async def _at_multiple_choice(client: TestClient, store: Store, user: UserInfo, engine: FakeEngine) -> str:
    path = await start_screening(client)
    move(store, conversation_of(store, user.id, path), QUESTION)
    question = load_bank().question(QUESTION)
    engine.buttons = [{"title": c.label, "payload": c.label} for c in question.choices] + NAVIGATION
    body = await page(client, path)
    response = await client.post(
        f"{path}/send",
        data={"csrf_token": csrf_from(body), "seen": field_value(body, "seen"), "text": "my answer"},
        allow_redirects=False,
    )
    assert response.status == 303
    return path


async def test_a_multiple_choice_question_is_checkboxes_with_one_continue(
    signed_in: TestClient, store: Store, user: UserInfo, engine: FakeEngine
) -> None:
    client = signed_in
    path = await _at_multiple_choice(client, store, user, engine)
    body = await page(client, path)
    question = load_bank().question(QUESTION)
    boxes = re.findall(
        r'<input class="govuk-checkboxes__input" id="chosen-(\d+)" name="chosen" type="checkbox"', body
    )
    assert [int(b) for b in boxes] == list(range(len(question.choices)))
    labels = [
        html.unescape(label)
        for label in re.findall(r'govuk-checkboxes__label" for="chosen-\d+">([^<]*)<', body)
    ]
    assert labels == [c.label for c in question.choices]
    assert 'name="continue" value="1"' in body and "Choose all that apply" in body
    assert 'data-behaviour="exclusive"' in body  # "Not sure" stands apart
    assert ">Back</button>" in body  # the controls stay buttons


async def test_posting_the_checkboxes_sends_the_choices_as_one_answer(
    signed_in: TestClient, store: Store, user: UserInfo, engine: FakeEngine
) -> None:
    client = signed_in
    path = await _at_multiple_choice(client, store, user, engine)
    body = await page(client, path)
    response = await client.post(
        f"{path}/send",
        data=[
            ("csrf_token", csrf_from(body)),
            ("seen", field_value(body, "seen")),
            ("text", ""),
            ("chosen", "5"),
            ("chosen", "1"),
            ("continue", "1"),
        ],
        allow_redirects=False,
    )
    assert response.status == 303, await response.text()
    sent = engine.received[-1]
    chosen = "Criminal exploitation or gangs, Special educational needs, disability or neurodivergence"
    assert sent["message"] == chosen and sent["metadata"] == {"typed_text": chosen}
    parsed = parse_answer(load_bank().question(QUESTION), sent["message"], today=date(2026, 3, 1))
    assert isinstance(parsed, ParsedAnswer) and parsed.value == ["criminal_exploitation", "send"]
    assert chosen in messages_on(await page(client, path))  # the chat shows what was chosen


async def test_continue_with_nothing_ticked_or_a_forged_option_sends_nothing(
    signed_in: TestClient, store: Store, user: UserInfo, engine: FakeEngine
) -> None:
    client = signed_in
    path = await _at_multiple_choice(client, store, user, engine)
    before = len(engine.received)
    for chosen in ([], [("chosen", "99")], [("chosen", str(len(engine.buttons) - 1))]):
        body = await page(client, path)
        data = [
            ("csrf_token", csrf_from(body)),
            ("seen", field_value(body, "seen")),
            ("continue", "1"),
            *chosen,
        ]
        response = await client.post(f"{path}/send", data=data, allow_redirects=False)
        assert response.status == 400
    assert len(engine.received) == before
