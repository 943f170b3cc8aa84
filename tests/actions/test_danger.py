"""action_danger_interrupt and the danger follow-ups, with the real store over HTTP: the 999 guidance, an
urgent flag carrying the practitioner's words, then the questions a lead needs, each reply kept verbatim
with the flag, then back to where they were."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import func, select

from actions.assessment import ActionAskAnswer, ActionStartAssessment, ValidateAssessmentForm
from actions.conduct import carry_out, plan_for, reading_of
from actions.controls import ActionDangerInterrupt, ActionExplainQuestion, ActionSkipQuestion
from actions.store import store
from bot.dialogue.danger_followups import load_followups
from bot.domain.positions import AtQuestion, FollowingUpDanger
from bot.domain.records import AssessmentRecord
from bot.questions import QuestionBank
from bot.store.services import Store
from bot.store.urgent_models import Notification
from tests import builders
from tests.actions.trackers import said, tracker_from

FOLLOWUPS = load_followups()
STEPS = FOLLOWUPS.steps
FIRST = STEPS[0].id
DANGER_SAID = ["utter_danger", "utter_danger_lines", FOLLOWUPS.intro]
REPORT = "He showed me a knife in his bag and said he will use it on someone after school today"


def stored_followup(step_id: str, back_to: str) -> str:
    """The position the store holds while follow-up `step_id` is open, going back to question `back_to`."""
    return FollowingUpDanger(step_id, AtQuestion(back_to)).stored()


def record_of(service: Store, cid: str) -> AssessmentRecord:
    record = service.assessments.get_assessment(conversation_id=cid)
    assert record is not None
    return record


def notices(service: Store) -> int:
    with service.session_factory() as session:
        return int(session.scalar(select(func.count()).select_from(Notification)) or 0)


async def reply(
    cid: str, text: str, domain: dict[str, Any], *, intent: str = "inform", typed: str | None = None
) -> CollectingDispatcher:
    """One message while the form is open, as the engine hands it to the form's validation."""
    dispatcher = CollectingDispatcher()
    tracker = tracker_from("form_answer", cid, text, intent=intent, typed_text=typed)
    await ValidateAssessmentForm().run(dispatcher, tracker, domain)
    return dispatcher


async def asked(cid: str, domain: dict[str, Any]) -> dict[str, Any]:
    dispatcher = CollectingDispatcher()
    await ActionAskAnswer().run(dispatcher, tracker_from("form_answer", cid), domain)
    [message] = dispatcher.messages
    return message


def report(cid: str, text: str, fixture: str = "control_message", **kwargs: Any) -> Tracker:
    return tracker_from(fixture, cid, text, intent="report_danger", **kwargs)


async def test_danger_at_a_choice_question_flags_it_then_asks_what_is_happening(
    store_up: None,
    service: Store,
    started: str,
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    events = await ActionDangerInterrupt().run(dispatcher, report(started, REPORT, typed_text=REPORT), domain)

    assert events == []
    assert said(dispatcher) == DANGER_SAID  # the 999 guidance first
    record = record_of(service, started)
    assert record.urgent is True and record.urgent_first_at is not None
    assert [(m.text, m.question_id, m.wording) for m in record.urgent_messages] == [(REPORT, None, None)]
    assert record.answers == {}  # not read as an answer to "is anyone in immediate danger?"
    assert record.current_question_id == stored_followup(FIRST, "immediate_danger")
    question = await asked(started, domain)
    assert question["text"].endswith(STEPS[0].text)
    assert [b["title"] for b in question["buttons"]] == [
        "Skip this question",
        "Carry on with the assessment",
        "Why are you asking?",
        "Pause",
    ]


async def test_danger_at_a_free_text_question_is_also_the_answer(
    store_up: None,
    service: Store,
    started: str,
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    builders.move(service, started, "concern_summary")
    typed = REPORT + "\r\n"

    await ActionDangerInterrupt().run(dispatcher, report(started, REPORT, typed_text=typed), domain)

    # Read in typed text: the 999 advice at once, then "is anyone in danger now?" (tests/actions/
    # test_danger_check.py follows both answers through).
    assert said(dispatcher) == [FOLLOWUPS.check.guidance, "utter_danger_lines"]
    record = record_of(service, started)
    assert [message.text for message in record.urgent_messages] == [typed]
    answer = record.answers["concern_summary"]
    assert (answer.revision, answer.text, answer.value, answer.status) == (1, typed, typed, "answered")
    assert record.current_question_id == stored_followup(FOLLOWUPS.check.id, "concern_summary__source")


async def test_the_danger_button_flags_with_the_answer_it_followed(
    store_up: None,
    service: Store,
    started: str,
    answered: Callable[[str, str, Any], None],
    bank: QuestionBank,
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    answered("discussed_with_lead", "Not yet", "not_yet")
    builders.move(service, started, "practitioner_role")

    await ActionDangerInterrupt().run(dispatcher, report(started, "/report_danger"), domain)

    assert said(dispatcher) == DANGER_SAID
    record = record_of(service, started)
    expected = (
        "Immediate danger reported with the button after answering: "
        f"{bank.question('discussed_with_lead').text} - Not yet"
    )
    assert [message.text for message in record.urgent_messages] == [expected]
    assert list(record.answers) == ["discussed_with_lead"]
    assert record.current_question_id == stored_followup(FIRST, "practitioner_role")


async def test_a_danger_turn_carried_out_twice_from_one_read_flags_once_and_tells_the_lead_once(
    store_up: None,
    service: Store,
    started: str,
    bank: QuestionBank,
    domain: dict[str, Any],
) -> None:
    """The engine retrying a turn whose reply was lost (issue #29): the turn carries how many reports the
    record it was planned from held, so the store raises the report once and the retry says the same."""
    tracker = report(started, "/report_danger")
    record = await store().get_assessment(started)
    plan = plan_for(reading_of(tracker, bank, record), bank, record, tracker)
    first, second = CollectingDispatcher(), CollectingDispatcher()

    assert await carry_out(plan, record, tracker, first) is True
    assert await carry_out(plan, record, tracker, second) is True

    assert said(first) == said(second) == DANGER_SAID
    assert [m.question_id for m in record_of(service, started).urgent_messages] == [None]
    assert notices(service) == 1


async def test_a_second_report_adds_its_message_keeps_the_first_time_and_does_not_nest(
    store_up: None,
    service: Store,
    started: str,
    domain: dict[str, Any],
) -> None:
    await ActionDangerInterrupt().run(CollectingDispatcher(), report(started, REPORT), domain)
    first = record_of(service, started)
    await reply(started, "He is in the corridor", domain)
    again = CollectingDispatcher()
    await ActionDangerInterrupt().run(again, report(started, "/report_danger"), domain)

    record = record_of(service, started)
    assert said(again) == DANGER_SAID
    assert [(m.text, m.question_id) for m in record.urgent_messages] == [
        (REPORT, None),
        ("He is in the corridor", FIRST),
        ("Immediate danger reported again with the button, during the questions about the danger.", None),
    ]
    assert record.urgent_first_at == first.urgent_first_at
    assert record.current_question_id == stored_followup(FIRST, "immediate_danger")


async def test_not_sure_to_the_danger_question_flags_and_every_follow_up_is_kept_verbatim(
    store_up: None,
    service: Store,
    started: str,
    domain: dict[str, Any],
) -> None:
    builders.move(service, started, "immediate_danger")

    first = await reply(started, "Not sure", domain, intent="unsure")

    assert said(first) == DANGER_SAID
    record = record_of(service, started)
    assert record.answers["immediate_danger"].status == "unsure"
    assert [m.text for m in record.urgent_messages] == ["Not sure"]
    flagged_notices = notices(service)

    typed = [
        "  He is shouting at staff 😡\r\n",
        "No, not yet",
        " In the PE changing rooms ",
        "🙂 his form tutor",
    ]
    for step, text in zip(STEPS, typed, strict=True):
        assert (await asked(started, domain))["text"].endswith(step.text)
        await reply(started, text.strip(), domain, typed=text)

    record = record_of(service, started)
    details = [(m.question_id, m.wording, m.text) for m in record.urgent_messages[1:]]
    assert details == [(step.id, step.text, text) for step, text in zip(STEPS, typed, strict=True)]
    assert record.current_question_id == "discussed_with_lead"  # where the danger answer led
    assert notices(service) == flagged_notices  # the replies add to the flag; they notify no one


async def test_skip_help_and_carry_on_at_a_follow_up(
    store_up: None,
    service: Store,
    started: str,
    domain: dict[str, Any],
) -> None:
    builders.move(service, started, "practitioner_role")
    await ActionDangerInterrupt().run(CollectingDispatcher(), report(started, "/report_danger"), domain)

    why = CollectingDispatcher()
    await ActionExplainQuestion().run(
        why, tracker_from("control_message", started, "/help", intent="help"), domain
    )
    assert said(why) == [f"Why we ask: {STEPS[0].why}"]

    # "Skip this question" read by the classifier as "skip": the action still reads it as the button's words.
    skip = tracker_from("control_message", started, "Skip this question", intent="skip", confidence=0.98)
    await ActionSkipQuestion().run(CollectingDispatcher(), skip, domain)
    assert record_of(service, started).current_question_id == stored_followup(
        STEPS[1].id, "practitioner_role"
    )

    left = await reply(started, "Carry on with the assessment", domain, intent="resume")

    assert said(left) == [FOLLOWUPS.left]
    record = record_of(service, started)
    assert record.current_question_id == "practitioner_role"
    assert [m.question_id for m in record.urgent_messages] == [None]  # skipping and leaving keep nothing


async def test_danger_typed_at_a_follow_up_is_the_reply_not_a_new_report(
    store_up: None,
    service: Store,
    started: str,
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    await ActionDangerInterrupt().run(CollectingDispatcher(), report(started, REPORT), domain)
    now = "He has the knife out now and is threatening to stab a teacher"

    await ActionDangerInterrupt().run(dispatcher, report(started, now), domain)

    assert dispatcher.messages == []  # the guidance was just given; the next follow-up follows
    record = record_of(service, started)
    assert [(m.text, m.question_id) for m in record.urgent_messages] == [(REPORT, None), (now, FIRST)]
    assert record.current_question_id == stored_followup(STEPS[1].id, "immediate_danger")


async def test_outside_the_form_a_report_goes_on_into_the_follow_ups_and_a_restart_resumes_there(
    store_up: None,
    service: Store,
    started: str,
    answered: Callable[[str, str, Any], None],
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    answered("immediate_danger", "No", "no")
    builders.move(service, started, "discussed_with_lead")  # then paused: no form is active

    events = await ActionDangerInterrupt().run(
        dispatcher, report(started, "/report_danger", "outside_message"), domain
    )

    assert events == []  # the rule goes on into the form, which asks the first follow-up
    assert said(dispatcher) == DANGER_SAID
    assert record_of(service, started).current_question_id == stored_followup(FIRST, "discussed_with_lead")
    restart = CollectingDispatcher()
    await ActionStartAssessment().run(restart, tracker_from("start_assessment", started), domain)
    assert said(restart) == ["Carrying on from the questions about the danger you reported."]
    assert (await asked(started, domain))["text"].endswith(STEPS[0].text)


async def test_a_submitted_assessment_is_not_reopened_by_a_report(
    store_up: None,
    service: Store,
    started: str,
    answered: Callable[[str, str, Any], None],
    dispatcher: CollectingDispatcher,
    domain: dict[str, Any],
) -> None:
    answered("immediate_danger", "No", "no")
    builders.move(service, started, "__review__")
    builders.submit(service, started)

    events = await ActionDangerInterrupt().run(dispatcher, report(started, REPORT, "outside_message"), domain)

    assert events == [FollowupAction("action_listen")]  # no form: nothing more is asked
    assert said(dispatcher)[:2] == ["utter_danger", "utter_danger_lines"]
    assert "already been sent to your lead" in said(dispatcher)[-1]
    record = record_of(service, started)
    assert (record.status, record.current_question_id) == ("submitted", "__review__")


async def test_outside_the_form_with_the_store_down_the_turn_ends_after_the_guidance(
    store_down: None, started: str, dispatcher: CollectingDispatcher, domain: dict[str, Any]
) -> None:
    events = await ActionDangerInterrupt().run(dispatcher, report(started, REPORT, "outside_message"), domain)

    assert events == [FollowupAction("action_listen")]
    assert said(dispatcher) == ["utter_danger_unsaved", "utter_danger_lines", "utter_store_unavailable"]


async def test_the_form_asks_the_follow_up_after_a_danger_answer_in_the_same_turn(
    store_up: None,
    service: Store,
    started: str,
    domain: dict[str, Any],
) -> None:
    builders.move(service, started, "immediate_danger")

    dispatcher = CollectingDispatcher()
    tracker = tracker_from("form_answer", started, "Yes", intent="affirm")
    events = await ValidateAssessmentForm().run(dispatcher, tracker, domain)
    await ActionAskAnswer().run(dispatcher, tracker, domain)  # the same turn: reads the record just saved

    assert events == [SlotSet("answer", None)]
    assert said(dispatcher)[:3] == DANGER_SAID
    assert said(dispatcher)[3].startswith(
        "Questions about the danger you reported, question 1 of 4 · Live case"
    )


async def test_a_practice_run_stays_a_practice_run_through_a_danger_answer(
    store_up: None,
    service: Store,
    conversation: str,
    bank: QuestionBank,
    domain: dict[str, Any],
) -> None:
    """Issue #26: a run's mode is fixed when it starts; no answer or report through the actions moves it."""
    service.assessments.start_or_resume(conversation, bank.version, "rehearsal")
    first = await asked(conversation, domain)
    assert first["text"].split("\n\n")[0].endswith(" · Rehearsal - fictional case")

    dispatcher = CollectingDispatcher()
    tracker = tracker_from("form_answer", conversation, "Yes", intent="affirm")
    await ValidateAssessmentForm().run(dispatcher, tracker, domain)
    await ActionAskAnswer().run(dispatcher, tracker, domain)

    # The practice run's own 999 guidance: the flag stays with the practice case.
    assert said(dispatcher)[:3] == ["utter_danger_rehearsal", *DANGER_SAID[1:]]
    assert said(dispatcher)[3].startswith(
        "Questions about the danger you reported, question 1 of 4 · Rehearsal - fictional case"
    )
    record = record_of(service, conversation)
    danger = record.answers["immediate_danger"]
    assert (record.mode, record.urgent, danger.value) == ("rehearsal", True, "yes")
