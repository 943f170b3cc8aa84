"""Issue #18: the lead's case page, PDF and JSON show each concern with what was said or done, when (as typed
and the days it can mean) and how it is known, together; the chronology shows a rough date as a range.
Answers are read by the real answer reader, recorded in the real store and rendered by the real renderers."""

from __future__ import annotations

import html
from datetime import date

from aiohttp import web
from review_helpers import Case, case_document, page

from bot.domain.records import AnswerIn, UserInfo
from bot.questions import ParsedAnswer, QuestionBank, parse_answer
from bot.review.case_json import to_json
from bot.review.pdf import print_html
from bot.store.services import Store
from tests.builders import give_answer
from tests.review.test_exports import pdf_text

TODAY = date(2026, 3, 1)
WHAT = "A kitchen knife in his school bag, wrapped in a T-shirt"
ANSWERS = (
    ("weapons_or_materials", "Not sure"),
    ("weapons_or_materials_detail", WHAT),
    ("weapons_or_materials__when", "last summer"),
    ("weapons_or_materials_detail__source", "I saw or heard it myself"),
    # Skipped: a skipped concern opens no evidence, so nothing of it is grouped.
    ("threats", ""),
)


def _record(store: Store, bank: QuestionBank, conversation: str, question_id: str, text: str) -> None:
    question = bank.question(question_id)
    if not text:
        value, status, fact_date = None, "skipped", None
    else:
        parsed = parse_answer(question, text, today=TODAY)
        assert isinstance(parsed, ParsedAnswer), parsed
        value, status, fact_date = parsed.value, parsed.status, parsed.fact_date
    give_answer(
        store,
        conversation,
        AnswerIn(
            question_id=question.id,
            revision=1,
            wording=question.text,
            text=text,
            value=value,
            status=status,
            fact_date=fact_date,
        ),
    )


async def test_a_concern_is_shown_with_what_when_and_how_known_on_the_page_pdf_and_json(
    store: Store, bank: QuestionBank, people: dict[str, UserInfo], app: web.Application, as_user
) -> None:
    conversation = store.conversations.open_conversation(people["north-practitioner"].id, "web")
    store.assessments.start_or_resume(conversation, bank.version, "live")
    for question_id, text in ANSWERS:
        _record(store, bank, conversation, question_id, text)
    record = store.assessments.submit(conversation)
    case = Case(record.id, record.reference, conversation)
    weapons = bank.question("weapons_or_materials").text

    document = case_document(app, people["north-lead"], case)
    assert [item.concern.question_id for item in document.concerns] == ["weapons_or_materials"]
    item = document.concerns[0]
    assert (item.what and item.what.shown, item.when and item.when.text) == (WHAT, "last summer")
    assert (item.earliest, item.latest) == (date(2025, 6, 1), date(2025, 8, 31))
    assert item.how is not None and item.how.shown == "I saw or heard it myself"

    # The case page: the concern, then its evidence, in one block; the chronology gives the range.
    client = await as_user("north-lead")
    body = html.unescape(await page(client, f"/cases/{case.id}"))
    block = body[body.index('id="concerns"') : body.index('id="chronology"')]
    for words in (
        weapons,
        "Not sure",
        WHAT,
        "last summer",
        "Between 1 June 2025 and 31 August 2025",
        "I saw or heard it myself",
    ):
        assert words in block, words
    assert bank.question("threats").text not in block
    chronology = body[body.index('id="chronology"') : body.index('id="answers"')]
    assert "1 June to 31 August 2025" in chronology  # GOV.UK style: the shared year written once

    # The PDF, as laid out
    text = " ".join(" ".join(pdf_text(print_html(document))).split())
    assert "between 1 June 2025 and 31 August 2025" in text
    assert WHAT in text and "1 June to 31 August 2025" in text

    # The JSON export: words as typed, the date as typed with its range
    concerns = to_json(document)["concerns"]
    assert concerns == [
        {
            "question_id": "weapons_or_materials",
            "question": weapons,
            "answer": item.concern.shown,
            "status": "unsure",
            "what": WHAT,
            "when": {
                "as_typed": "last summer",
                "status": "answered",
                "earliest": "2025-06-01",
                "latest": "2025-08-31",
            },
            "how_known": "I saw or heard it myself",
            "who_told": None,
        }
    ]


async def test_the_case_page_lists_what_is_still_missing_as_facts(
    store: Store, bank: QuestionBank, people: dict[str, UserInfo], app: web.Application, as_user
) -> None:
    """Issue #18: a concern lacking a when and how it is known, a skipped question and a "not sure" are
    listed; the weapons concern, described in full, is not listed as lacking anything."""
    conversation = store.conversations.open_conversation(people["north-practitioner"].id, "web")
    store.assessments.start_or_resume(conversation, bank.version, "live")
    for question_id, text in (
        *ANSWERS,
        ("device_secrecy", "Yes"),
        ("device_secrecy__what", "Turns the screen away"),
        ("device_secrecy__when", "don't know"),
        ("device_secrecy__source", ""),
    ):
        _record(store, bank, conversation, question_id, text)
    record = store.assessments.submit(conversation)

    client = await as_user("north-lead")
    body = html.unescape(await page(client, f"/cases/{record.id}"))
    block = " ".join(body[body.index('id="still-missing"') : body.index('id="concerns"')].split())

    assert f"{bank.question('device_secrecy').text}</a>: no when, how it is known" in block
    assert bank.question("weapons_or_materials").text + "</a>" not in block
    assert (
        f'Skipped</h3> <ul class="govuk-list govuk-list--bullet"> <li>{bank.question("threats").text}'
        in block
    )
    assert (
        'Answered "Not sure"</h3> <ul class="govuk-list govuk-list--bullet"> <li>'
        + bank.question("weapons_or_materials").text
        in block
    )
    assert "%" not in block and "score" not in block.lower()
