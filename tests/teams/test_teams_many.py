"""Many assessments in one Teams chat: the home card, "Carry on", buttons that name their assessment, forged
references, and "Someone is in danger now" on every card.

A Teams chat is one thread for all of a practitioner's assessments, so each card button carries the
reference of the assessment it answers, and typed text answers the draft last used (on either channel).
The real app and store, the stand-in engine, Microsoft's side played by real loopback servers.
"""

from __future__ import annotations

from typing import Any

import pytest
from teams_helpers import BOT_ID, Connector, Post, message
from web_helpers import (
    BUTTONS,
    OTHER_PASSWORD,
    START_REPLIES,
    FakeEngine,
    holdings,
    practitioners,
    typed_message,
)

from bot.chat.messages import (
    DANGER_BUTTON_FLAG,
    DANGER_WITHOUT_ENGINE_MESSAGE,
    NO_SUCH_ASSESSMENT_MESSAGE,
    NO_SUCH_OPTION_MESSAGE,
    SUBMITTED_MESSAGE,
)
from bot.domain.assessment_summary import AssessmentSummary
from bot.domain.records import ChatMessage, UserInfo
from bot.store.services import Store
from bot.teams.turns import HOME_MESSAGE, NO_SCREENING_MESSAGE, WELCOME_MESSAGE
from tests.builders import move

START = "Start a new screening"
DANGER_TITLE = "Someone is in danger now"


def actions(card: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(action["title"], action["data"]) for action in card["actions"]]


def reference_of(card: dict[str, Any]) -> str:
    """The assessment a choice card answers: every one of its choice buttons names it."""
    named = {data["reference"] for _title, data in actions(card) if "choice" in data}
    [reference] = named
    return reference


async def press(post: Post, connector: Connector, data: dict[str, Any]) -> dict[str, Any] | None:
    """Press a card button; the card the bot answered with, if it answered with one."""
    before = len(connector.cards())
    response = await post(message(connector.url, value=data))
    assert response.status == 200
    return connector.cards()[-1] if len(connector.cards()) > before else None


async def start(post: Post, connector: Connector) -> dict[str, Any]:
    card = await press(post, connector, {"action": "start"})
    assert card is not None
    return card


def summary(store: Store, user: UserInfo, reference: str) -> AssessmentSummary:
    held = practitioners(store).own_assessment(user.id, reference)
    assert held is not None
    return held


async def test_first_contact_shows_the_home_card_with_each_draft(
    post: Post, connector: Connector, engine: FakeEngine, store: Store, user: UserInfo
) -> None:
    web = practitioners(store)
    draft = web.open_assessment(user.id, "web", "test-bank")
    # nothing said yet: still "not started"
    move(store, draft.conversation_id, "concern_summary")
    begun = web.open_assessment(user.id, "web", "test-bank")
    store.conversations.append_chat_messages(
        begun.conversation_id, [ChatMessage(direction="out", text="A question")]
    )
    move(store, begun.conversation_id, "concern_summary")
    sent = web.open_assessment(user.id, "web", "test-bank")
    store.assessments.submit(sent.conversation_id)

    await post(message(connector.url, type="conversationUpdate", membersAdded=[{"id": BOT_ID}]))

    [card] = connector.cards()
    assert card["body"][0]["text"] == WELCOME_MESSAGE
    assert actions(card) == [
        (START, {"action": "start"}),
        # Drafts only, most recently used first, each with where it stopped.
        (
            f"Carry on {begun.reference} (What you've noticed, in brief, question 1)",
            {"action": "resume", "reference": begun.reference},
        ),
        (f"Carry on {draft.reference} (not started yet)", {"action": "resume", "reference": draft.reference}),
        (DANGER_TITLE, {"action": "danger"}),
    ]
    assert engine.received == []


async def test_typed_text_with_no_draft_gets_the_home_card(
    post: Post, connector: Connector, engine: FakeEngine, store: Store, user: UserInfo
) -> None:
    card = await start(post, connector)
    store.assessments.submit(summary(store, user, reference_of(card)).conversation_id)
    sent = len(engine.received)

    await post(message(connector.url, "one more thing"))

    home = connector.cards()[-1]
    assert home["body"][0]["text"] == NO_SCREENING_MESSAGE
    assert actions(home) == [(START, {"action": "start"}), (DANGER_TITLE, {"action": "danger"})]
    assert len(engine.received) == sent  # the submitted assessment takes no more answers


async def test_carry_on_resumes_that_draft(
    post: Post, connector: Connector, engine: FakeEngine, store: Store, user: UserInfo
) -> None:
    first = reference_of(await start(post, connector))
    home = await press(post, connector, {"action": "home"})  # "My assessments" on the first card
    assert home is not None and home["body"][0]["text"] == HOME_MESSAGE
    assert (f"Carry on {first} (Before we start, question 1)", {"action": "resume", "reference": first}) in (
        actions(home)
    )
    second = reference_of(await start(post, connector))
    assert second != first

    card = await press(post, connector, {"action": "resume", "reference": first})

    one = summary(store, user, first).conversation_id
    assert engine.received[-1] == {"sender": one, "message": "/resume"}
    assert card is not None and reference_of(card) == first
    # Typed text now answers the draft carried on, not the one started last.
    await post(message(connector.url, "about the first child"))
    assert engine.received[-1] == typed_message(one, "about the first child")
    assert summary(store, user, second).messages == len(START_REPLIES)


async def test_choice_buttons_answer_their_own_assessment_after_another_was_used(
    post: Post, connector: Connector, engine: FakeEngine, store: Store, user: UserInfo
) -> None:
    first_card = await start(post, connector)
    second_card = await start(post, connector)
    first, second = reference_of(first_card), reference_of(second_card)
    one, two = (summary(store, user, r).conversation_id for r in (first, second))
    await post(message(connector.url, "typed into the second"))  # the second is the last used
    assert engine.received[-1] == typed_message(two, "typed into the second")

    # A button on the first card still answers the first: its question has not moved on.
    answered = await press(post, connector, actions(first_card)[1][1])
    assert engine.received[-1] == {"sender": one, "message": BUTTONS[1]["payload"]}
    assert answered is not None and reference_of(answered) == first
    log = store.conversations.chat_messages(one)
    assert [m.text for m in log if m.direction == "in"] == [BUTTONS[1]["title"]]
    assert not [m for m in store.conversations.chat_messages(two) if m.text == BUTTONS[1]["title"]]

    # The second card is out of date (typed text answered it), so its buttons are refused.
    sent = len(engine.received)
    await press(post, connector, actions(second_card)[0][1])
    assert len(engine.received) == sent


async def test_a_submitted_assessment_cannot_be_resumed_or_answered_from_a_card(
    post: Post, connector: Connector, engine: FakeEngine, store: Store, user: UserInfo
) -> None:
    card = await start(post, connector)
    reference = reference_of(card)
    store.assessments.submit(summary(store, user, reference).conversation_id)
    sent = len(engine.received)
    for data in ({"action": "resume", "reference": reference}, actions(card)[0][1]):
        await press(post, connector, data)
        assert connector.texts()[-1] == SUBMITTED_MESSAGE
    assert len(engine.received) == sent


FORGED = {
    "lower-case": lambda real: real.lower(),
    "unknown": lambda real: "A-ZZZZZZ",
    "sql": lambda real: "A-' OR 1=1 --",
    "long": lambda real: "A-" + "Z" * 20_000,
    "not-a-string": lambda real: [real],
}
# Refused as no card of ours (the reference is not one we could have written) or as not found.
FORGED_REPLY = {"unknown": NO_SUCH_ASSESSMENT_MESSAGE}


@pytest.mark.parametrize("how", FORGED.keys())
async def test_a_forged_reference_in_a_card_reaches_nothing(
    post: Post,
    connector: Connector,
    engine: FakeEngine,
    store: Store,
    user: UserInfo,
    how: str,
) -> None:
    card = await start(post, connector)
    bob = store.users.create_user("bob", OTHER_PASSWORD, "practitioner", "North team")
    bobs = practitioners(store).open_assessment(bob.id, "web", "test-bank").reference
    sent = len(engine.received)
    before = holdings(store, user.id, bob.id)
    choice = actions(card)[0][1]
    forged = FORGED[how](bobs)

    for data in (
        {**choice, "reference": forged},
        {"action": "resume", "reference": forged},
        {"action": "danger", "reference": forged},
    ):
        assert await press(post, connector, data) is None
        assert connector.texts()[-1] == FORGED_REPLY.get(how, NO_SUCH_OPTION_MESSAGE), data["reference"]

    assert len(engine.received) == sent
    assert holdings(store, user.id, bob.id) == before


async def test_another_practitioners_real_reference_is_not_found(
    post: Post, connector: Connector, engine: FakeEngine, store: Store, user: UserInfo
) -> None:
    card = await start(post, connector)
    bob = store.users.create_user("bob", OTHER_PASSWORD, "practitioner", "North team")
    bobs = practitioners(store).open_assessment(bob.id, "web", "test-bank")
    sent = len(engine.received)
    before = holdings(store, user.id, bob.id)

    for data in (
        {**actions(card)[0][1], "reference": bobs.reference},
        {"action": "resume", "reference": bobs.reference},
        {"action": "danger", "reference": bobs.reference},
    ):
        assert await press(post, connector, data) is None
        assert connector.texts()[-1] == NO_SUCH_ASSESSMENT_MESSAGE

    assert len(engine.received) == sent
    assert holdings(store, user.id, bob.id) == before
    assert not summary(store, bob, bobs.reference).urgent


async def test_every_card_has_the_danger_action(
    post: Post, connector: Connector, engine: FakeEngine, store: Store, user: UserInfo
) -> None:
    await post(message(connector.url, type="conversationUpdate", membersAdded=[{"id": BOT_ID}]))
    await post(message(connector.url, "hello"))  # no draft: the home card
    choice = await start(post, connector)
    home = await press(post, connector, {"action": "home"})
    assert home is not None
    reference = reference_of(choice)
    for card in connector.cards():
        assert card["actions"][-1]["title"] == DANGER_TITLE, card
    assert actions(choice)[-1] == (DANGER_TITLE, {"action": "danger", "reference": reference})
    assert actions(home)[-1] == (DANGER_TITLE, {"action": "danger"})

    # On a choice card: into that assessment's conversation.
    after = await press(post, connector, actions(choice)[-1][1])
    held = summary(store, user, reference)
    assert engine.received[-1] == {"sender": held.conversation_id, "message": "/report_danger"}
    assert held.urgent and after is not None and reference_of(after) == reference
    assert actions(after)[-1] == (DANGER_TITLE, {"action": "danger", "reference": reference})

    # On the home card: a new assessment, made in Teams, holds the report.
    after = await press(post, connector, actions(home)[-1][1])
    assert after is not None
    new = summary(store, user, reference_of(after))
    assert new.reference != reference and new.urgent and new.channel == "teams"
    assert engine.received[-2:] == [
        {"sender": new.conversation_id, "message": "/start_assessment"},
        {"sender": new.conversation_id, "message": "/report_danger"},
    ]


@pytest.mark.parametrize("on", ["choice card", "home card"])
async def test_danger_with_the_engine_stopped_flags_and_says_999(
    post: Post, connector: Connector, engine: FakeEngine, store: Store, user: UserInfo, on: str
) -> None:
    choice = await start(post, connector)
    home = await press(post, connector, {"action": "home"})
    assert home is not None
    await engine.stop()

    await press(post, connector, actions(choice if on == "choice card" else home)[-1][1])

    assert connector.texts()[-1] == DANGER_WITHOUT_ENGINE_MESSAGE
    urgent = [a for a in practitioners(store).assessments_of(user.id) if a.urgent]
    assert len(urgent) == 1
    [held] = urgent
    if on == "choice card":
        assert held.reference == reference_of(choice)
    else:
        assert held.reference != reference_of(choice) and held.channel == "teams"
    record = store.assessments.get_assessment(held.conversation_id)
    assert record is not None and [m.text for m in record.urgent_messages] == [DANGER_BUTTON_FLAG]
