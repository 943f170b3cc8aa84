"""Required questions in the dialogue (issue #26): never skipped, however "skip" is sent, and no submission
while one in the flow has no answer. The shipped bank, as the product loads it."""

from __future__ import annotations

from datetime import date

import pytest

from bot.dialogue.plans import ask, plan_answer, plan_control, read_reply
from bot.domain.positions import AtQuestion, AtReview
from bot.domain.records import AnswerRecord
from bot.questions import load_bank
from tests.dialogue.records import answer, record

BANK = load_bank()
TODAY = date(2025, 3, 13)
# Those asked of every run; the two asked only in an addition (issue #26 item 9) are in test_linked_addition.
REQUIRED = [question.id for question in BANK.questions if question.required and not question.show_if]
SKIP_BUTTON = ("Skip", "/skip")


def test_the_bank_marks_the_three_that_a_lead_cannot_act_without() -> None:
    assert REQUIRED == ["immediate_danger", "concern_summary", "own_account_confirmed"]


@pytest.mark.parametrize("qid", REQUIRED)
@pytest.mark.parametrize(("text", "intent"), [("/skip", "skip"), ("skip", "skip"), ("Skip this one", "skip")])
def test_skip_is_refused_at_each_required_question_and_nothing_is_recorded_or_moved(
    qid: str, text: str, intent: str
) -> None:
    at = record(AtQuestion(qid))
    reading = read_reply(BANK, at, text, intent, 0.95, today=TODAY)
    assert (reading.kind, reading.control) == ("control", "skip")

    plan = plan_control(BANK, at, "skip")

    assert (plan.record, plan.move_to, plan.submit, plan.urgent_message) == (None, None, False, None)
    [said] = plan.say
    assert said.text is not None and said.text.startswith("This question can't be skipped")
    assert BANK.question(qid).why in said.text


def test_the_refusal_says_what_to_do_when_you_do_not_know() -> None:
    def refusal(qid: str) -> str:
        [said] = plan_control(BANK, record(AtQuestion(qid)), "skip").say
        return said.text or ""

    assert "choose 'Not sure': I will flag this for your lead" in refusal("immediate_danger")
    assert "type 'not sure'" in refusal("concern_summary")
    assert "Please choose 'I confirm' or 'I'd like to check my answers first'." in refusal(
        "own_account_confirmed"
    )


def test_not_sure_at_the_danger_question_still_answers_it_and_raises_the_flag() -> None:
    plan = plan_answer(BANK, record(AtQuestion("immediate_danger")), "Not sure", today=TODAY)
    assert plan.record is not None and plan.record.status == "unsure"
    assert plan.urgent_message == "Not sure"


def buttons(qid: str, *answers: AnswerRecord) -> list[tuple[str, str]]:
    return [(b.title, b.payload) for b in ask(BANK, record(AtQuestion(qid), *answers)).buttons]


@pytest.mark.parametrize("qid", REQUIRED)
def test_no_skip_button_at_a_required_question(qid: str) -> None:
    offered = buttons(qid)
    assert SKIP_BUTTON not in offered
    assert ("Why are you asking?", "/help") in offered and ("Back", "/go_back") in offered
    assert SKIP_BUTTON in buttons("discussed_with_lead")


def test_keep_my_answer_is_offered_for_an_answer_but_not_for_an_old_skip() -> None:
    kept = answer("concern_summary", "He said he wants to fight", "He said he wants to fight")
    assert ("Keep my answer", "/skip") in buttons("concern_summary", kept)
    plan = plan_control(BANK, record(AtQuestion("concern_summary"), kept), "skip")
    assert plan.record is None and plan.move_to == AtQuestion("concern_summary__source")

    skipped = answer("concern_summary", None, "", status="skipped")
    assert ("Keep my answer", "/skip") not in buttons("concern_summary", skipped)
    text = ask(BANK, record(AtQuestion("concern_summary"), skipped)).text or ""
    assert "This one needs an answer before you can submit." in text
    refused = plan_control(BANK, record(AtQuestion("concern_summary"), skipped), "skip")
    assert (refused.record, refused.move_to) == (None, None)


def at_review(**given: AnswerRecord) -> list[AnswerRecord]:
    answers = {
        "immediate_danger": answer("immediate_danger", "no", "No"),
        "concern_summary": answer(
            "concern_summary", "He said he wants to fight", "He said he wants to fight"
        ),
        "own_account_confirmed": answer("own_account_confirmed", "confirmed", "I confirm"),
    }
    return list((answers | given).values())


def test_submission_is_refused_while_a_required_answer_is_missing_and_the_message_names_it() -> None:
    skipped = answer("concern_summary", None, "", status="skipped")  # stored by an older version
    at = record(AtReview(), *at_review(concern_summary=skipped))

    plan = plan_control(BANK, at, "submit")

    assert (plan.submit, plan.finish, plan.record, plan.move_to) == (False, None, None, None)
    [said] = plan.say
    assert said.text is not None and said.text.startswith("You can't submit yet")
    assert f"2. {BANK.question('concern_summary').text}" in said.text
    assert [(b.title, b.payload) for b in said.buttons] == [("Answer question 2", "change 2")]
    # the offered button goes to it
    assert plan_answer(BANK, at, "change 2", today=TODAY).move_to == AtQuestion("concern_summary")


def test_check_your_answers_lists_a_required_question_never_answered_and_offers_no_submit() -> None:
    answers = [a for a in at_review() if a.question_id != "own_account_confirmed"]  # a bank that changed
    at = record(AtReview(), *answers)

    summary = ask(BANK, at)

    text = summary.text or ""
    confirmation = BANK.question("own_account_confirmed").text
    assert f"3. {confirmation}\n   (no answer yet)" in text
    assert "You can't submit yet" in text
    offered = [(b.title, b.payload) for b in summary.buttons]
    assert ("Submit to my lead", "/submit") not in offered
    assert offered[0] == ("Answer question 3", "change 3")
    assert plan_answer(BANK, at, "change 3", today=TODAY).move_to == AtQuestion("own_account_confirmed")
    assert not plan_control(BANK, at, "submit").submit


def test_not_sure_counts_as_an_answer_and_then_submission_goes_ahead() -> None:
    unsure = answer("immediate_danger", None, "Not sure", status="unsure")
    at = record(AtReview(), *at_review(immediate_danger=unsure))

    assert ("Submit to my lead", "/submit") in [(b.title, b.payload) for b in ask(BANK, at).buttons]
    plan = plan_control(BANK, at, "submit")
    assert (plan.submit, plan.finish) == (True, "submitted")
