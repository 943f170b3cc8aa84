"""A Request for Support (issue #12) on the lead's pages: the case list and the case page say "Request for
Support (screening only)", the JSON and PDF exports say the stage too, and a full assessment is not labelled.
Real users, a real SQLite store, the real app's pages."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.test_utils import TestClient
from review_helpers import Case, case_document, page

from bot.domain.records import AnswerIn, TurnIn, UserInfo
from bot.domain.stages import STAGE_LABELS, SubmittedStage
from bot.questions import QuestionBank
from bot.review.pdf import print_html
from bot.store.services import Store
from tests.builders import give_answer

AsUser = Callable[[str | None], Awaitable[TestClient]]
LABEL = STAGE_LABELS[SubmittedStage.SCREENING]
CONCERN = "He said the school <deserved> what was coming."


def send_screening(store: Store, bank: QuestionBank, practitioner: UserInfo) -> Case:
    """The screening's one required answer, then "send now" submitted as the chat's turn sends it."""
    conversation = store.conversations.open_conversation(practitioner.id, "web")
    store.assessments.start_or_resume(conversation, bank.version)
    concern = bank.question("concern_summary")
    give_answer(
        store,
        conversation,
        AnswerIn(
            question_id=concern.id,
            revision=1,
            wording=concern.text,
            text=CONCERN,
            value=CONCERN,
            status="answered",
        ),
    )
    record = store.assessments.apply_turn(conversation, TurnIn(submit=True, submit_stage="screening"))
    return Case(record.id, record.reference, conversation)


async def test_a_lead_sees_a_request_for_support_labelled_on_the_list_the_case_and_the_exports(
    as_user: AsUser,
    cases: dict[str, Case],
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
    app: web.Application,
) -> None:
    sent = send_screening(store, bank, people["north-practitioner"])
    full = cases["north-colleague-live"]
    client = await as_user("north-lead")

    listing = await page(client, "/cases")
    row = listing[listing.index(f'href="/cases/{sent.id}"') :].split("</tr>")[0]
    assert LABEL in row
    full_row = listing[listing.index(f'href="/cases/{full.id}"') :].split("</tr>")[0]
    assert LABEL not in full_row

    body = await page(client, f"/cases/{sent.id}")
    assert 'id="case-stage"' in body and LABEL in body
    assert "He said the school &lt;deserved&gt; what was coming." in body  # the screening answers, verbatim
    assert LABEL not in await page(client, f"/cases/{full.id}")

    response = await client.get(f"/cases/{sent.id}/export.json")
    assert json.loads(await response.text())["assessment"]["submitted_stage"] == "screening"
    response = await client.get(f"/cases/{full.id}/export.json")
    assert json.loads(await response.text())["assessment"]["submitted_stage"] == "full"
    assert LABEL in print_html(case_document(app, people["north-lead"], sent))
