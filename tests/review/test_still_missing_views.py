"""Issue #18: the completeness summary wherever a lead reads the case: the case page, the PDF and the JSON
export, all from the one pure function (bot.questions.completeness), as facts and never a figure. A family
need lacking a since-when or a service is listed like a concern; a case still in progress says plainly that
the follow-ups not reached yet may be answered later, rather than listing them as missing. Answers are read
by the real answer reader, recorded in the real store and rendered by the real renderers."""

from __future__ import annotations

import html

from aiohttp import web
from review_helpers import Case, case_document, page

from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.review.case_json import to_json
from bot.review.pdf import print_html
from bot.store.services import Store
from tests.builders import report_danger
from tests.review.test_concern_evidence import _record
from tests.review.test_exports import pdf_text

SECRECY = (
    ("device_secrecy", "Yes"),
    ("device_secrecy__what", "Turns the screen away when I come in"),
)
NEED = (
    ("other_needs", "Drug or alcohol misuse"),
    ("need__substance_misuse", "A parent or carer"),
    ("need__substance_misuse__what", "Mum drinks most evenings"),
    ("need__substance_misuse__what__source", "I saw or heard it myself"),
    ("need__substance_misuse__when", "don't know"),
)
IN_PROGRESS = "Still in progress: these may be answered later"


def _case(store: Store, bank: QuestionBank, practitioner: UserInfo, *, submit: bool) -> Case:
    conversation = store.conversations.open_conversation(practitioner.id, "web")
    store.assessments.start_or_resume(conversation, bank.version, "live")
    for question_id, text in (*SECRECY, *NEED):
        _record(store, bank, conversation, question_id, text)
    if submit:
        record = store.assessments.submit(conversation)
    else:
        record = report_danger(store, conversation, "He said he will bring a knife tomorrow")
    return Case(record.id, record.reference, conversation)


async def test_a_submitted_case_lists_what_is_missing_on_the_page_pdf_and_json(
    store: Store, bank: QuestionBank, people: dict[str, UserInfo], app: web.Application, as_user
) -> None:
    case = _case(store, bank, people["north-practitioner"], submit=True)
    secrecy = bank.question("device_secrecy").text

    client = await as_user("north-lead")
    body = html.unescape(await page(client, f"/cases/{case.id}"))
    block = " ".join(body[body.index('id="still-missing"') : body.index('id="concerns"')].split())
    assert f"{secrecy}</a>: no when, how it is known" in block
    assert (
        'Family needs that lack details</h3> <ul class="govuk-list govuk-list--bullet"> <li>'
        '<a class="govuk-link" href="#need-substance_misuse">Drug or alcohol misuse</a>: '
        "no when, which service is involved</li>"
    ) in block
    assert 'id="need-substance_misuse"' in body  # the link lands on the need's own record
    assert IN_PROGRESS not in block
    assert "%" not in block and "score" not in block.lower()

    document = case_document(app, people["north-lead"], case)
    text = " ".join(" ".join(pdf_text(print_html(document))).split())
    missing = text[text.index("Still missing") : text.index("Concerns, with what, when and how it is known")]
    assert f"Concerns that lack details • {secrecy}: no when, how it is known" in missing
    assert (
        "Family needs that lack details • Drug or alcohol misuse: no when, which service is involved"
        in missing
    )
    assert IN_PROGRESS not in missing and "%" not in missing

    exported = to_json(document)["still_missing"]
    assert exported == {
        "still_in_progress": False,
        "concerns": [
            {
                "kind": "concern",
                "question_id": "device_secrecy",
                "question": secrecy,
                "lacks": [
                    {"part": "when", "words": "when", "question_id": "device_secrecy__when"},
                    {"part": "how", "words": "how it is known", "question_id": "device_secrecy__source"},
                ],
            }
        ],
        "family_needs": [
            {
                "kind": "family_need",
                "need": "substance_misuse",
                "need_label": "Drug or alcohol misuse",
                "lacks": [
                    {"part": "when", "words": "when", "question_id": "need__substance_misuse__when"},
                    {
                        "part": "service",
                        "words": "which service is involved",
                        "question_id": "need__substance_misuse__service",
                    },
                ],
            }
        ],
        "skipped": [],
        "not_sure": [],
        "not_reached": [],
    }


async def test_an_urgent_case_in_progress_says_what_is_not_reached_yet_rather_than_missing(
    store: Store, bank: QuestionBank, people: dict[str, UserInfo], app: web.Application, as_user
) -> None:
    case = _case(store, bank, people["north-practitioner"], submit=False)
    secrecy = bank.question("device_secrecy").text

    client = await as_user("north-lead")
    body = html.unescape(await page(client, f"/cases/{case.id}"))
    block = " ".join(body[body.index('id="still-missing"') : body.index('id="concerns"')].split())
    # The need's "don't know" was given: that is missing. The rest is not asked yet, and said so.
    assert "Drug or alcohol misuse</a>: no when</li>" in block
    assert "Concerns that lack details" not in block
    reached = block[block.index(IN_PROGRESS) :]
    assert "This case has not been submitted." in reached
    assert f"<li>{secrecy}: when, how it is known not asked yet</li>" in reached
    assert "<li>Drug or alcohol misuse: which service is involved not asked yet</li>" in reached

    document = case_document(app, people["north-lead"], case)
    text = " ".join(" ".join(pdf_text(print_html(document))).split())
    assert f"{IN_PROGRESS} This case has not been submitted." in text
    assert f"{secrecy}: when, how it is known not asked yet" in text

    exported = to_json(document)["still_missing"]
    assert exported["still_in_progress"] is True and exported["concerns"] == []
    assert [(gap["kind"], [p["part"] for p in gap["lacks"]]) for gap in exported["not_reached"]] == [
        ("concern", ["when", "how"]),
        ("family_need", ["service"]),
    ]
    assert [[p["part"] for p in gap["lacks"]] for gap in exported["family_needs"]] == [["when"]]
