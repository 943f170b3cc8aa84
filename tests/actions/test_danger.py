"""action_danger_interrupt: the 999 guidance, an urgent flag carrying the practitioner's words, and (at a
free-text question) the same words kept as the answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.controls import ActionDangerInterrupt
from bot.questions import QuestionBank
from bot.store.services import StoreService
from tests.actions.trackers import said, tracker_from

CARRY_ON = "When you have made the call and told your lead, you can carry on below, or pause."
DANGER_SAID = ["utter_danger", "utter_danger_lines", CARRY_ON]
REPORT = "He showed me a knife in his bag and said he will use it on someone after school today"


async def test_danger_at_a_choice_question_flags_urgent_with_the_message(
    store_up: None,
    service: StoreService,
    started: str,
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    tracker = tracker_from("control_message", started, REPORT, intent="report_danger", typed_text=REPORT)

    events = await ActionDangerInterrupt().run(dispatcher, tracker, domain)

    assert events == []
    assert said(dispatcher) == DANGER_SAID
    record = service.get_assessment(conversation_id=started)
    assert record is not None
    assert record.urgent is True and record.urgent_first_at is not None
    assert [message.text for message in record.urgent_messages] == [REPORT]
    assert (record.answers, record.current_question_id) == ({}, None)  # not an answer to "real or practice?"


async def test_danger_at_a_free_text_question_is_also_the_answer(
    store_up: None,
    service: StoreService,
    started: str,
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    service.set_position(started, "concern_summary")
    typed = REPORT + "\r\n"
    tracker = tracker_from("control_message", started, REPORT, intent="report_danger", typed_text=typed)

    events = await ActionDangerInterrupt().run(dispatcher, tracker, domain)

    assert events == []
    assert said(dispatcher) == DANGER_SAID
    record = service.get_assessment(conversation_id=started)
    assert record is not None
    assert record.urgent is True
    assert [message.text for message in record.urgent_messages] == [typed]
    answer = record.answers["concern_summary"]
    assert (answer.revision, answer.text, answer.value, answer.status) == (1, typed, typed, "answered")
    assert record.current_question_id == "concern_summary__source"


async def test_the_danger_button_flags_with_the_answer_it_followed(
    store_up: None,
    service: StoreService,
    started: str,
    answered: Callable[[str, str, Any], None],
    bank: QuestionBank,
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    answered("mode", "A real young person", "live")
    service.set_position(started, "immediate_danger")
    tracker = tracker_from("control_message", started, "/report_danger", intent="report_danger")

    await ActionDangerInterrupt().run(dispatcher, tracker, domain)

    assert said(dispatcher) == DANGER_SAID
    record = service.get_assessment(conversation_id=started)
    assert record is not None
    expected = (
        "Immediate danger reported with the button after answering: "
        f"{bank.question('mode').text} - A real young person"
    )
    assert [message.text for message in record.urgent_messages] == [expected]
    assert list(record.answers) == ["mode"]


async def test_a_second_report_adds_its_message_and_keeps_the_first_flag_time(
    store_up: None,
    service: StoreService,
    started: str,
    domain: dict[str, Any],
) -> None:
    async def report(text: str) -> None:
        tracker = tracker_from("control_message", started, text, intent="report_danger")
        await ActionDangerInterrupt().run(CollectingDispatcher(), tracker, domain)

    await report(REPORT)
    first = service.get_assessment(conversation_id=started)
    await report("And his brother has the other knife")
    record = service.get_assessment(conversation_id=started)

    assert first is not None and record is not None
    assert [m.text for m in record.urgent_messages] == [REPORT, "And his brother has the other knife"]
    assert record.urgent_first_at == first.urgent_first_at
