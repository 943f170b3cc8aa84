"""Issue #18: each need of the family ticked is its own record on the lead's case page, in the PDF and in the
JSON: who in the family, what (verbatim) and how it is known, since when (as typed, with its range) and the
service. Answers are read by the real answer reader, recorded in the real store, rendered by the real
renderers."""

from __future__ import annotations

import html
from datetime import date

from aiohttp import web
from review_helpers import Case, case_document, page

from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.review.case_json import to_json
from bot.review.pdf import print_html
from bot.store.services import Store
from tests.review.test_concern_evidence import _record
from tests.review.test_exports import pdf_text

MUM = "Mum drinks most evenings, her sister told me"
BROTHER = "His older brother has an EHCP"
ANSWERS = (
    ("other_needs", "Drug or alcohol misuse, Special educational needs, disability or neurodivergence"),
    ("need__substance_misuse", "A parent or carer"),
    ("need__substance_misuse__what", MUM),
    ("need__substance_misuse__what__source", "Someone else told me"),
    ("need__substance_misuse__what__source_role", "aunt"),
    ("need__substance_misuse__when", "last summer"),
    ("need__substance_misuse__service", "none that I know of"),
    ("need__send", "A brother or sister"),
    ("need__send__what", BROTHER),
    ("need__send__when", "don't know"),
    ("need__send__service", "SEND team"),
)


async def test_each_need_is_its_own_record_on_the_page_pdf_and_json(
    store: Store, bank: QuestionBank, people: dict[str, UserInfo], app: web.Application, as_user
) -> None:
    conversation = store.conversations.open_conversation(people["north-practitioner"].id, "web")
    store.assessments.start_or_resume(conversation, bank.version, "live")
    for question_id, text in ANSWERS:
        _record(store, bank, conversation, question_id, text)
    record = store.assessments.submit(conversation)
    case = Case(record.id, record.reference, conversation)

    document = case_document(app, people["north-lead"], case)
    needs = document.family_needs
    assert [n.need_value for n in needs] == ["substance_misuse", "send"]
    mum, brother = needs
    assert (mum.who and mum.who.shown, mum.what and mum.what.shown) == ("A parent or carer", MUM)
    assert (mum.earliest, mum.latest) == (date(2025, 6, 1), date(2025, 8, 31))
    assert mum.told_by is not None and mum.told_by.shown == "aunt"
    assert (brother.who and brother.who.shown, brother.service and brother.service.shown) == (
        "A brother or sister",
        "SEND team",
    )
    assert brother.how is None and (brother.earliest, brother.latest) == (None, None)

    client = await as_user("north-lead")
    body = html.unescape(await page(client, f"/cases/{case.id}"))
    block = body[body.index('id="family-needs"') : body.index('id="chronology"')]
    first, second = block.index('id="need-substance_misuse"'), block.index('id="need-send"')
    assert first < second
    for words in ("A parent or carer", MUM, "aunt", "last summer", "Between 1 June 2025 and 31 August 2025"):
        assert words in block[first:second], words
    for words in ("A brother or sister", BROTHER, "don't know", "SEND team"):
        assert words in block[second:], words

    text = " ".join(" ".join(pdf_text(print_html(document))).split())
    assert "The family's other needs" in text and MUM in text and BROTHER in text

    exported = to_json(document)["family_needs"]
    assert [(n["need"], n["who"], n["what"], n["service"]) for n in exported] == [
        ("substance_misuse", "A parent or carer", MUM, "none that I know of"),
        ("send", "A brother or sister", BROTHER, "SEND team"),
    ]
    assert exported[0]["since"] == {
        "as_typed": "last summer",
        "status": "answered",
        "earliest": "2025-06-01",
        "latest": "2025-08-31",
    }
    assert exported[1]["since"]["earliest"] is None and exported[0]["who_told"] == "aunt"
