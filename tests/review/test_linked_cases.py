"""An assessment that adds to a submitted one (issue #26 item 9), on the lead's pages, both ways: the later
case "Adds to" the earlier, the earlier is "Added to by" the later once it is submitted, and the case list
shows both. Real users, a real SQLite store, the real app's pages."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp.test_utils import TestClient
from review_helpers import Case, page

from bot.domain.records import AnswerIn, UserInfo
from bot.questions import QuestionBank
from bot.store.services import Store
from tests.builders import give_answer

AsUser = Callable[[str | None], Awaitable[TestClient]]
WHAT_IS_NEW = "  His sister rang: he has been <skipping> school since Monday.\n"


def add_to(store: Store, bank: QuestionBank, practitioner: UserInfo, earlier: Case, *, submit: bool) -> Case:
    """ "Add to this assessment", then what is new, then "send it now", through the store as the chat does."""
    opened = store.practitioners.open_assessment(
        practitioner.id, "web", bank.version, linked_from=earlier.reference
    )
    conversation = opened.conversation_id
    what = bank.question("what_is_new")
    send = bank.question("send_addition_now")
    give_answer(
        store,
        conversation,
        AnswerIn(
            question_id=what.id,
            revision=1,
            wording=what.text,
            text=WHAT_IS_NEW,
            value=WHAT_IS_NEW,
            status="answered",
        ),
    )
    give_answer(
        store,
        conversation,
        AnswerIn(
            question_id=send.id, revision=1, wording=send.text, text="Yes", value="yes", status="answered"
        ),
    )
    record = (
        store.assessments.submit(conversation) if submit else store.assessments.get_assessment(conversation)
    )
    assert record is not None
    assert record.linked_from == earlier.reference  # what the dialogue reads to ask "what is new" first
    return Case(record.id, record.reference, conversation)


async def test_each_case_page_links_to_the_other_and_the_list_shows_both(
    as_user: AsUser, cases: dict[str, Case], store: Store, bank: QuestionBank, people: dict[str, UserInfo]
) -> None:
    earlier = cases["north-colleague-live"]
    later = add_to(store, bank, people["north-colleague"], earlier, submit=True)
    client = await as_user("north-lead")

    body = await page(client, f"/cases/{later.id}")
    assert 'id="case-adds-to"' in body
    assert f'Adds to <a class="govuk-link" href="/cases/{earlier.id}">{earlier.reference}</a>' in body
    assert "His sister rang: he has been &lt;skipping&gt; school since Monday." in body

    body = await page(client, f"/cases/{earlier.id}")
    assert 'id="case-added-to-by"' in body
    assert f'Added to by <a class="govuk-link" href="/cases/{later.id}">{later.reference}</a> on ' in body

    listing = await page(client, "/cases")
    assert f'Adds to <a class="govuk-link" href="/cases/{earlier.id}">{earlier.reference}</a>' in listing
    assert f'Added to by <a class="govuk-link" href="/cases/{later.id}">{later.reference}</a>' in listing


async def test_a_draft_addition_is_not_shown_on_the_earlier_case(
    as_user: AsUser, cases: dict[str, Case], store: Store, bank: QuestionBank, people: dict[str, UserInfo]
) -> None:
    earlier = cases["north-colleague-live"]
    add_to(store, bank, people["north-colleague"], earlier, submit=False)
    client = await as_user("north-lead")
    body = await page(client, f"/cases/{earlier.id}")
    assert "Added to by" not in body
    assert "Added to by" not in await page(client, "/cases")


async def test_an_assessment_that_adds_to_nothing_shows_no_link(
    as_user: AsUser, cases: dict[str, Case]
) -> None:
    client = await as_user("north-lead")
    body = await page(client, f"/cases/{cases['north-colleague-live'].id}")
    assert "Adds to" not in body and "Added to by" not in body
