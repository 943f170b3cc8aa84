"""Issue #26 item 6: a single or multiple choice answer is shown by its options' labels, however it was given.

A practitioner picking options by number ("1, 2, 3, 4 and 6") used to see those numbers in "Check your
answers", and the lead saw them on the case page, in the PDF, the JSON export and the suggested next steps'
reasons. Each answer here is read by the real answer reader, recorded in the real store and rendered by the
real renderers; the text as typed stays on the answer and in the export's `text`.
"""

from __future__ import annotations

import html
from datetime import date

import pytest
from aiohttp import web
from review_helpers import Case, case_document, page

from bot.dialogue.at_review import review
from bot.dialogue.next_step import suggest_next_steps
from bot.domain.records import AnswerIn, UserInfo
from bot.questions import ParsedAnswer, QuestionBank, parse_answer
from bot.review.case_json import to_json
from bot.review.pdf import print_html
from bot.store.services import Store
from tests.builders import give_answer
from tests.review.test_exports import pdf_text

QUESTION = "other_needs"
LABELS = (
    "Child sexual exploitation, Criminal exploitation or gangs, Drug or alcohol misuse, "
    "Mental health needs (young person), Special educational needs, disability or neurodivergence"
)
# By number, by label and aliases, and as the web chat's checkboxes send it (the labels joined).
TYPED = {
    "numbers": "1, 2, 3, 4 and 6",
    "words": "cse, gangs, drugs, Mental health needs (young person) and SEN",
    "checkboxes": LABELS,
}
SINGLE = "education_setting"  # a single choice, answered by its number


def _record(store: Store, bank: QuestionBank, conversation: str, question_id: str, text: str) -> None:
    question = bank.question(question_id)
    parsed = parse_answer(question, text, today=date(2026, 3, 1))
    assert isinstance(parsed, ParsedAnswer), parsed
    give_answer(
        store,
        conversation,
        AnswerIn(
            question_id=question.id,
            revision=1,
            wording=question.text,
            text=text,
            value=parsed.value,
            status=parsed.status,
        ),
    )


def _case(store: Store, bank: QuestionBank, practitioner: UserInfo, typed: str) -> Case:
    conversation = store.conversations.open_conversation(practitioner.id, "web")
    store.assessments.start_or_resume(conversation, bank.version, "live")
    _record(store, bank, conversation, QUESTION, typed)
    _record(store, bank, conversation, SINGLE, "2")
    record = store.assessments.submit(conversation)
    return Case(record.id, record.reference, conversation)


@pytest.fixture
def single_label(bank: QuestionBank) -> str:
    return bank.question(SINGLE).choices[1].label


@pytest.mark.parametrize("how", sorted(TYPED))
async def test_a_multiple_choice_answer_is_shown_by_its_labels_everywhere(
    how: str,
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
    app: web.Application,
    as_user,
    single_label: str,
) -> None:
    typed = TYPED[how]
    case = _case(store, bank, people["north-practitioner"], typed)
    record = store.assessments.get_assessment(case.conversation_id)
    assert record is not None
    assert record.answers[QUESTION].text == typed  # kept verbatim

    # Check your answers (the chat's review step, on the web and in Teams)
    summary = review(bank, record).text or ""
    assert LABELS in summary and single_label in summary
    if how == "numbers":
        assert typed not in summary

    # The suggested next steps' reasons
    reasons = [r for s in suggest_next_steps(bank, record) for r in s.reasons]
    assert any(f"'{LABELS}'" in reason for reason in reasons), reasons

    # The case page, as the lead reads it
    client = await as_user("north-lead")
    body = html.unescape(await page(client, f"/cases/{case.id}"))
    assert LABELS in body and single_label in body
    if how == "numbers":
        assert typed not in body

    # The PDF, as laid out
    document = case_document(app, people["north-lead"], case)
    text = " ".join(" ".join(pdf_text(print_html(document))).split())
    assert LABELS in text, text
    assert single_label in text
    if how == "numbers":
        assert typed not in text

    # The JSON export: what was typed, what was chosen, and the labels shown
    answers = {a["question_id"]: a["revisions"][-1] for a in to_json(document)["answers"]}
    assert answers[QUESTION]["text"] == typed
    assert answers[QUESTION]["shown"] == LABELS
    assert answers[QUESTION]["value"] == [
        "sexual_exploitation",
        "criminal_exploitation",
        "substance_misuse",
        "mental_health_young_person",
        "send",
    ]
    assert answers[SINGLE]["text"] == "2" and answers[SINGLE]["shown"] == single_label


async def test_a_free_text_answer_is_still_shown_exactly_as_typed(
    store: Store, bank: QuestionBank, people: dict[str, UserInfo], app: web.Application
) -> None:
    conversation = store.conversations.open_conversation(people["north-practitioner"].id, "web")
    store.assessments.start_or_resume(conversation, bank.version, "live")
    free = next(q for q in bank.authored_questions if q.answer_type == "free_text")
    typed = "  1, 2 and 3 <b>& more</b> "
    _record(store, bank, conversation, free.id, typed)
    record = store.assessments.submit(conversation)
    document = case_document(app, people["north-lead"], Case(record.id, record.reference, conversation))
    answers = {a["question_id"]: a["revisions"][-1] for a in to_json(document)["answers"]}
    assert answers[free.id]["text"] == answers[free.id]["shown"] == typed
