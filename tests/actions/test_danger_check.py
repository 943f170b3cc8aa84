"""Danger read in typed text, through the action server and the real store over HTTP (issue #26, item 5): the
999 advice at once, then "is anyone in immediate danger now?"; a clear "no" keeps the typed account as the
answer and stands the report down (its waiting lead notices withdrawn), anything else tells the leads and
goes on to the follow-up questions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions.controls import ActionDangerInterrupt
from bot.dialogue.danger_followups import load_followups
from bot.dialogue.followups import NO_LEAD_REACHED
from bot.domain.limits import DEFAULT_TYPED_DANGER_CHECK_SECONDS
from bot.questions import QuestionBank
from bot.store.models import UrgentFlag
from bot.store.services import Store
from bot.store.urgent_models import Notification
from tests import builders
from tests.actions.test_danger import asked, record_of, reply, report, stored_followup
from tests.actions.trackers import said

FOLLOWUPS = load_followups()
CHECK = FOLLOWUPS.check
ACCOUNT = "He is angry and hurt about dad leaving, and said he could kill him for it"


def statuses(service: Store) -> list[str]:
    with service.session_factory() as session:
        return list(session.scalars(select(Notification.status).order_by(Notification.id)))


async def typed_danger(service: Store, started: str, domain: dict[str, Any]) -> CollectingDispatcher:
    """Danger read in an account typed at a free-text question (the team's lead can be reached by email, so
    a notice is queued)."""
    builders.move(service, started, "concern_summary")
    dispatcher = CollectingDispatcher()
    await ActionDangerInterrupt().run(dispatcher, report(started, ACCOUNT, typed_text=ACCOUNT), domain)
    return dispatcher


async def test_a_clear_no_keeps_the_account_as_the_answer_and_no_lead_is_told(
    store_up: None, service: Store, started: str, domain: dict[str, Any]
) -> None:
    guidance = await typed_danger(service, started, domain)

    assert said(guidance) == [CHECK.guidance, "utter_danger_lines"]
    assert (await asked(started, domain))["text"].startswith(CHECK.text)
    assert statuses(service) == ["pending"]  # queued, waiting for the check

    answered = await reply(started, CHECK.no, domain, intent="deny")

    assert said(answered)[0] == CHECK.stood_down
    record = record_of(service, started)
    assert record.urgent is False
    assert record.answers["concern_summary"].text == ACCOUNT  # the ordinary account, verbatim
    assert record.current_question_id == "concern_summary__source"  # the assessment carries on
    assert statuses(service) == ["withdrawn"]


async def test_yes_tells_the_lead_at_once_and_asks_the_follow_ups(
    store_up: None, service: Store, started: str, domain: dict[str, Any]
) -> None:
    await typed_danger(service, started, domain)

    answered = await reply(started, "yes, he is still in the classroom shouting", domain)

    assert said(answered)[:2] == [CHECK.told, FOLLOWUPS.intro]
    record = record_of(service, started)
    assert record.urgent is True
    assert [(m.question_id, m.text) for m in record.urgent_messages] == [
        (None, ACCOUNT),
        (CHECK.id, "yes, he is still in the classroom shouting"),
    ]
    assert record.current_question_id == stored_followup(FOLLOWUPS.first.id, "concern_summary__source")
    with service.session_factory() as session:
        [notice] = session.scalars(select(Notification))
        flag = session.scalars(select(UrgentFlag).where(UrgentFlag.question_id.is_(None))).one()
    # Released: due now, not when the check time would have been up.
    assert notice.status == "pending"
    assert flag.checking_until is not None and notice.next_attempt_at == flag.checking_until
    assert flag.checking_until < flag.flagged_at + timedelta(seconds=DEFAULT_TYPED_DANGER_CHECK_SECONDS)


async def test_in_a_team_no_lead_can_be_reached_the_reply_says_to_phone_one_at_once(
    store_up: None, service: Store, domain: dict[str, Any], bank: QuestionBank
) -> None:
    """Issue #26, item 8: "your lead can see it" would be false where no lead can be reached; the practitioner
    is told at once to phone their lead, by the button and after the check alike."""
    user = service.users.create_user("ash", "correct horse battery staple", "practitioner", "East Team")
    conversation = service.conversations.open_conversation(user.id, "test")
    service.assessments.start_or_resume(conversation, bank.version)
    builders.move(service, conversation, "practitioner_role")

    pressed = CollectingDispatcher()
    await ActionDangerInterrupt().run(pressed, report(conversation, "/report_danger"), domain)

    assert said(pressed)[:2] == [NO_LEAD_REACHED.text, "utter_danger_lines"]
    assert "utter_danger" not in said(pressed)
    record = record_of(service, conversation)
    assert record.lead_unreached_at is not None  # the page's banner says the same

    builders.move(service, conversation, "concern_summary")
    await ActionDangerInterrupt().run(
        CollectingDispatcher(), report(conversation, ACCOUNT, typed_text=ACCOUNT), domain
    )
    answered = await reply(conversation, CHECK.yes, domain)
    assert said(answered)[0] == NO_LEAD_REACHED.text and CHECK.told not in said(answered)
