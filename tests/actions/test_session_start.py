"""action_session_start: a new engine session offers to carry on an assessment the store says is open."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rasa_sdk.events import ActionExecuted, SessionStarted
from rasa_sdk.executor import CollectingDispatcher

from actions.session import ActionSessionStart
from bot.store.services import Store
from tests import builders
from tests.actions.trackers import tracker_from


async def test_a_new_session_offers_to_carry_on_an_open_assessment(
    store_up: None,
    service: Store,
    started: str,
    answered: Callable[[str, str, Any], None],
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    answered("immediate_danger", "No", "no")
    builders.move(service, started, "discussed_with_lead")

    events = await ActionSessionStart().run(dispatcher, tracker_from("start_assessment", started), domain)

    assert events == [SessionStarted(), ActionExecuted("action_listen")]
    [message] = dispatcher.messages
    assert message["text"] == "Welcome back. You were on Before we start, question 2. Carry on?"
    assert message["buttons"] == [{"title": "Carry on where I left off", "payload": "/resume"}]


async def test_a_new_session_with_nothing_answered_offers_nothing(
    store_up: None, conversation: str, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    events = await ActionSessionStart().run(
        dispatcher, tracker_from("start_assessment", conversation), domain
    )

    assert events == [SessionStarted(), ActionExecuted("action_listen")]
    assert dispatcher.messages == []
