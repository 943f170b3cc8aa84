"""The typed-danger check (issue #26) inside the evidence pattern (issue #18), through the action server and
the real store over HTTP: "Not sure" to the weapons question, then an account naming a knife at "what was said
or done". "No" keeps the account as the answer, stored once, and asks "When was this?" next; "Yes" tells the
leads and asks the follow-ups, which come back to "When was this?". The engine may read "No, no one is in
danger now" as a danger report ("danger now"), so "No" is sent both ways the engine can hand it over: to the
form's validation and to the danger interrupt."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.controls import ActionDangerInterrupt
from bot.dialogue.danger_followups import load_followups
from bot.questions import QuestionBank
from bot.store.services import Store
from tests import builders
from tests.actions.test_danger import asked, record_of, reply, report, stored_followup
from tests.actions.test_danger_check import statuses
from tests.actions.trackers import said

FOLLOWUPS = load_followups()
CHECK = FOLLOWUPS.check
WHAT = "  A kitchen knife in his bag, wrapped in a T-shirt.\nHe said «it's for protection».  "
DETAIL = "weapons_or_materials_detail"
WHEN = "weapons_or_materials__when"


async def knife_described(service: Store, started: str, domain: dict[str, Any]) -> CollectingDispatcher:
    """ "Not sure" to weapons, then the account typed at "what was said or done" (read as danger)."""
    builders.move(service, started, "weapons_or_materials")
    await reply(started, "Not sure", domain)
    assert record_of(service, started).current_question_id == DETAIL
    dispatcher = CollectingDispatcher()
    await ActionDangerInterrupt().run(dispatcher, report(started, WHAT.strip(), typed_text=WHAT), domain)
    return dispatcher


@pytest.mark.parametrize("route", ["form", "danger_interrupt"])
async def test_no_keeps_the_account_once_and_asks_when(
    store_up: None, service: Store, started: str, domain: dict[str, Any], bank: QuestionBank, route: str
) -> None:
    guidance = await knife_described(service, started, domain)
    assert said(guidance) == [CHECK.guidance, "utter_danger_lines"]
    assert (await asked(started, domain))["text"].startswith(CHECK.text)

    if route == "form":
        answered = await reply(started, CHECK.no, domain, intent="deny")
    else:
        answered = CollectingDispatcher()
        await ActionDangerInterrupt().run(answered, report(started, CHECK.no), domain)

    assert said(answered) == [CHECK.stood_down]
    record = record_of(service, started)
    assert record.current_question_id == WHEN
    assert record.answers[DETAIL].text == WHAT  # verbatim, surrounding spaces and line break kept
    assert record.latest_revisions[DETAIL] == 1  # stored once: "No" adds nothing to it
    assert record.answers["weapons_or_materials"].status == "unsure"
    assert record.urgent is False and statuses(service) == ["withdrawn"]
    assert bank.question(WHEN).text in (await asked(started, domain))["text"]


async def test_yes_tells_the_leads_and_the_follow_ups_come_back_to_when(
    store_up: None, service: Store, started: str, domain: dict[str, Any], bank: QuestionBank
) -> None:
    await knife_described(service, started, domain)

    answered = await reply(started, CHECK.yes, domain, intent="affirm")

    assert said(answered)[:2] == [CHECK.told, FOLLOWUPS.intro]
    record = record_of(service, started)
    assert record.urgent is True
    assert record.current_question_id == stored_followup(FOLLOWUPS.first.id, WHEN)
    assert [(m.question_id, m.text) for m in record.urgent_messages] == [(None, WHAT)]  # verbatim
    assert record.answers[DETAIL].text == WHAT and record.latest_revisions[DETAIL] == 1

    await reply(started, FOLLOWUPS.leave_label, domain)  # "Carry on with the assessment"
    assert record_of(service, started).current_question_id == WHEN
    assert bank.question(WHEN).text in (await asked(started, domain))["text"]
