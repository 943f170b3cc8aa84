"""An addition to a submitted assessment through the real action server and store API (issue #26 item 9):
the record the actions read carries the earlier reference, so the form asks what is new first, keeps it
verbatim, and "Yes, send it now" reaches "Check your answers" ready to submit."""

from __future__ import annotations

from typing import Any

from rasa_sdk.executor import CollectingDispatcher

from actions.assessment import ActionAskAnswer, ValidateAssessmentForm
from bot.questions import QuestionBank
from bot.store.services import Store
from tests import builders
from tests.actions.trackers import tracker_from

WHAT_IS_NEW = "  His sister rang: he has been skipping school since Monday.\n"


async def test_an_addition_asks_about_danger_then_what_is_new_and_can_be_sent_at_once(
    store_up: None, service: Store, bank: QuestionBank, domain: dict[str, Any]
) -> None:
    user = service.users.create_user(
        "pat.smith", "correct horse battery staple", "practitioner", "North Team"
    )
    earlier = service.practitioners.open_assessment(user.id, "web", bank.version)
    concern = bank.question("concern_summary")
    builders.answer(service, earlier.conversation_id, concern.id, "x", wording=concern.text)
    builders.submit(service, earlier.conversation_id)
    added = service.practitioners.open_assessment(user.id, "web", bank.version, linked_from=earlier.reference)
    cid = added.conversation_id

    # Danger first, for an addition too (guardrail 2); then what is new.
    first = CollectingDispatcher()
    await ActionAskAnswer().run(first, tracker_from("form_answer", cid), domain)
    assert first.messages[-1]["text"].endswith(bank.question("immediate_danger").text)
    await ValidateAssessmentForm().run(CollectingDispatcher(), tracker_from("form_answer", cid, "No"), domain)
    asked = CollectingDispatcher()
    await ActionAskAnswer().run(asked, tracker_from("form_answer", cid), domain)
    [message] = asked.messages
    assert message["text"].endswith(bank.question("what_is_new").text)
    assert "Skip" not in [button["title"] for button in message["buttons"]]

    await ValidateAssessmentForm().run(
        CollectingDispatcher(), tracker_from("form_answer", cid, WHAT_IS_NEW, typed_text=WHAT_IS_NEW), domain
    )
    record = service.assessments.get_assessment(conversation_id=cid)
    assert record is not None and record.linked_from == earlier.reference
    assert record.answers["what_is_new"].text == WHAT_IS_NEW
    assert record.current_question_id == "send_addition_now"

    await ValidateAssessmentForm().run(
        CollectingDispatcher(), tracker_from("form_answer", cid, "Yes"), domain
    )
    summary = CollectingDispatcher()
    await ActionAskAnswer().run(summary, tracker_from("form_answer", cid), domain)
    text = summary.messages[-1]["text"]
    assert text.startswith("Check your answers") and "You can't submit yet" not in text
    assert "Submit to my lead" in [button["title"] for button in summary.messages[-1]["buttons"]]
