"""One practitioner, many assessments: each has its own page and conversation, the home page lists them all,
and a submitted one is read-only, shows the lead's review and feedback, and can only be added to.

The real app over HTTP on a real SQLite store, with the stand-in engine; submission and positions are made
through the store's own services, as the action server makes them, and the lead's decision through the real
case page.
"""

from __future__ import annotations

import html
import re

from aiohttp.test_utils import TestClient
from web_helpers import (
    BUTTONS,
    PASSWORD,
    START_REPLIES,
    FakeEngine,
    conversation_of,
    csrf_from,
    field_value,
    holdings,
    messages_on,
    page,
    post_chat,
    practitioners,
    reference_from,
    sign_in,
    start_screening,
    typed_message,
)

from bot.chat.messages import NOT_SUBMITTED_MESSAGE, SUBMITTED_MESSAGE
from bot.domain.records import UserInfo
from bot.store.services import Store
from tests.builders import move

# The lead's decision, complete (tests/review/test_review_decisions.py explains each field).
DECISION = [
    ("pathways", "early_help"),
    ("pathway-early_help-rationale", "Repeated statements over three weeks."),
    ("pathway-early_help-shared", "The concern and the family's details, to the early help team."),
    ("pathway-early_help-owner", "Early help coordinator"),
    ("lawful_bases", "art6_public_task"),
    ("consent", "not_sought"),
    ("consent_reason", "Seeking it would alert the person of concern."),
    ("review_date", "1/9/2099"),
    ("feedback_given_on", "2/3/2026"),
]
# Shown exactly as the lead wrote it: spaces, a blank line and characters HTML must escape.
FEEDBACK = '  Thank you. Early help will "contact" the family <this week> & keep you posted.\n\nRing me. '


def cells(body: str, table: str, reference: str) -> list[str]:
    """The cells (HTML) of the row naming `reference` in the home page's table `table` (drafts, submitted)."""
    start = body.index(f'id="{table}"')
    rows = body[start : body.index("</table>", start)].split('<tr class="govuk-table__row">')
    [row] = [r for r in rows if reference in r]
    return re.findall(r'<td class="govuk-table__cell[^"]*">(.*?)</td>', row, re.DOTALL)


def text_of(cell: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell)).split())


async def switch_user(client: TestClient, username: str) -> None:
    assert (await post_chat(client, "/sign-out")).status == 303
    assert (await sign_in(client, username, PASSWORD)).status == 303


async def test_two_drafts_each_carry_on_at_their_own_address(
    signed_in: TestClient, store: Store, user: UserInfo, engine: FakeEngine
) -> None:
    first = await start_screening(signed_in)
    assert (await post_chat(signed_in, f"{first}/send", text="About the first child")).status == 303
    second = await start_screening(signed_in)
    assert second != first
    assert (await post_chat(signed_in, f"{second}/send", text="About the second child")).status == 303

    # Back to the first by its address: its own conversation, where it stopped, and an answer goes there.
    body = await page(signed_in, first)
    said = ["About the first child", "Echo: About the first child", "Anything else?"]
    assert messages_on(body) == [*START_REPLIES, *said]
    assert (await post_chat(signed_in, f"{first}/send", button="0")).status == 303

    one, two = conversation_of(store, user.id, first), conversation_of(store, user.id, second)
    assert engine.received == [
        {"sender": one, "message": "/start_assessment"},
        typed_message(one, "About the first child"),
        {"sender": two, "message": "/start_assessment"},
        typed_message(two, "About the second child"),
        {"sender": one, "message": BUTTONS[0]["payload"]},
    ]
    # Each page shows its own conversation and nothing of the other's.
    for path, conversation, own, other in (
        (first, one, "About the first child", "About the second child"),
        (second, two, "About the second child", "About the first child"),
    ):
        shown = messages_on(await page(signed_in, path))
        assert shown == [m.text for m in store.conversations.chat_messages(conversation)]
        assert own in shown and not [text for text in shown if other in text]
    assert messages_on(await page(signed_in, first))[-3:] == ["Yes", "Echo: Yes", "Anything else?"]


async def test_the_home_page_lists_drafts_with_where_each_stopped(
    signed_in: TestClient, store: Store, user: UserInfo, engine: FakeEngine
) -> None:
    first = await start_screening(signed_in)
    second = await start_screening(signed_in)
    not_started = practitioners(store).open_assessment(user.id, "web", "test-bank").reference
    # The action server keeps the position in the store; the home page reads it from there.
    move(store, conversation_of(store, user.id, first), "concern_summary")
    await post_chat(signed_in, f"{first}/send", text="most recent")  # the first is now the last used

    body = await page(signed_in, "/chat")
    drafts = body[body.index('id="drafts"') : body.index("</table>", body.index('id="drafts"'))]
    order = [drafts.index(f"/chat/{ref}#latest") for ref in (first[6:], not_started, second[6:])]
    assert order == sorted(order), "most recently used first"
    assert text_of(cells(body, "drafts", first[6:])[1]) == "What you've noticed, in brief, question 1"
    assert text_of(cells(body, "drafts", second[6:])[1]) == "Before we start, question 1"
    assert text_of(cells(body, "drafts", not_started)[1]) == "not started yet"
    for reference in (first[6:], second[6:], not_started):
        assert f'<a class="govuk-link" href="/chat/{reference}#latest">Carry on' in body
    assert "You have not submitted any assessments yet." in body
    # The sender ids the engine knows stay on the server.
    for held in practitioners(store).assessments_of(user.id):
        assert held.conversation_id not in body


async def test_a_submitted_assessment_is_read_only_and_shows_the_leads_review(
    signed_in: TestClient, store: Store, user: UserInfo, engine: FakeEngine
) -> None:
    path = await start_screening(signed_in)
    reference = path.removeprefix("/chat/")
    assert (await post_chat(signed_in, f"{path}/send", text="what I saw")).status == 303
    await start_screening(signed_in)  # another draft: only the submitted one is closed
    record = store.assessments.submit(conversation_of(store, user.id, path))
    store.users.create_user("lena", PASSWORD, "lead", "North team")

    body = await page(signed_in, path)
    assert 'id="submitted-banner"' in body and "It can no longer be changed." in body
    assert "/send" not in body and 'name="text"' not in body and 'name="button"' not in body
    assert f'action="{path}/add"' in body and "Add to this assessment" in body
    assert messages_on(body)[-3:] == ["what I saw", "Echo: what I saw", "Anything else?"]

    # A page from before the submission (or a forged post) cannot add a word to it, by text or by button.
    sent = len(engine.received)
    before = holdings(store, user.id)
    for fields in ({"text": "one more thing"}, {"button": "0"}):
        refused = await post_chat(signed_in, f"{path}/send", seen="5", **fields)
        assert refused.status == 409
        assert SUBMITTED_MESSAGE.replace("'", "&#39;") in await refused.text()
    assert len(engine.received) == sent
    assert holdings(store, user.id) == before

    home = await page(signed_in, "/chat")
    row = cells(home, "submitted", reference)
    assert [text_of(cell) for cell in row[2:]] == ["Submitted", "None yet"]
    assert f'href="/chat/{reference}#latest"' not in home  # not offered as a draft to carry on

    # The lead opens the case (in review), then decides with feedback for the practitioner.
    await switch_user(signed_in, "lena")
    await page(signed_in, f"/cases/{record.id}")
    await switch_user(signed_in, "alice")
    assert text_of(cells(await page(signed_in, "/chat"), "submitted", reference)[2]) == "In review"
    await switch_user(signed_in, "lena")
    token = csrf_from(await page(signed_in, f"/cases/{record.id}"))
    decided = await signed_in.post(
        f"/cases/{record.id}/decision",
        data=[("csrf_token", token), *DECISION, ("feedback", FEEDBACK)],
        allow_redirects=False,
    )
    assert decided.status == 303, await decided.text()
    await switch_user(signed_in, "alice")

    home = await page(signed_in, "/chat")
    status, feedback = cells(home, "submitted", reference)[2:]
    assert text_of(status) == "Decided"
    given, on = feedback.split("<br>")
    assert html.unescape(given) == FEEDBACK  # verbatim: nothing trimmed, nothing interpreted
    assert text_of(on) == "Given on 2 March 2026"
    assert "Repeated statements" not in home  # the lead's rationale is theirs, not the practitioner's
    body = await page(signed_in, path)
    assert html.unescape(body).count(FEEDBACK) == 1


async def test_add_to_a_submitted_assessment_opens_a_linked_draft(
    signed_in: TestClient, store: Store, user: UserInfo, engine: FakeEngine
) -> None:
    path = await start_screening(signed_in)
    reference = path.removeprefix("/chat/")
    store.assessments.submit(conversation_of(store, user.id, path))
    stale = await page(signed_in, path)

    response = await post_chat(signed_in, f"{path}/add")
    added = reference_from(response)
    assert added != reference
    held = practitioners(store).own_assessment(user.id, added)
    assert held is not None and held.linked_from == reference and not held.submitted
    assert engine.received[-1] == {"sender": held.conversation_id, "message": "/start_assessment"}
    body = await page(signed_in, f"/chat/{added}")
    assert START_REPLIES[1] in body and 'name="text"' in body

    home = await page(signed_in, "/chat")
    assert text_of(cells(home, "drafts", added)[0]) == f"{added} Adds to {reference}"
    assert text_of(cells(home, "submitted", reference)[0]) == reference

    # The same "Add" pressed again from the page as it was (a double click): the same draft, no other.
    again = await signed_in.post(
        f"{path}/add",
        data={"csrf_token": csrf_from(stale), "known": field_value(stale, "known")},
        allow_redirects=False,
    )
    assert reference_from(again) == added
    assert len(practitioners(store).assessments_of(user.id)) == 2
    sent = len(engine.received)

    # A draft cannot be added to: it is carried on itself. Nothing is opened.
    refused = await post_chat(signed_in, f"/chat/{added}/add")
    assert refused.status == 409
    assert NOT_SUBMITTED_MESSAGE in await refused.text()
    assert len(practitioners(store).assessments_of(user.id)) == 2
    assert len(engine.received) == sent
