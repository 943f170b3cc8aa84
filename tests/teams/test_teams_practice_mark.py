"""A practice run is clearly marked on every Teams card and text reply, with the web page's words (issue #13).

The real app on a real SQLite store, Microsoft's side played by the stand-in Bot Connector, the engine a
stand-in replying with the shapes the real dialogue sends. Every kind of reply of a practice run (a choice
card, a multiple choice card, a free-text question, the danger reply, the "Check your answers" summary, the
case card) carries the banner the web chat page shows, read from the web page itself through the real app;
the home card tags practice drafts as the web's list does; a live run's replies carry no mark at all.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from teams_helpers import Connector, Post, message
from web_helpers import BUTTONS, PASSWORD, FakeEngine, conversation_of, page, sign_in, start_practice_run

from bot.chat.messages import NO_SUCH_OPTION_MESSAGE
from bot.chat.practice_mark import WORDS_FILE, PracticeWordsError, practice_words
from bot.dialogue.at_review import REVIEW_HEADING
from bot.domain.records import UserInfo
from bot.questions import load_bank
from bot.store.services import Store
from tests.builders import move

WORDS = practice_words()
SCENARIO = "a_plan_for_friday"
QUESTION = "What have you noticed?"
SUMMARY = f"{REVIEW_HEADING}\n\nWhat you noticed\n1. What have you noticed?\n   He said it\n\nSubmit?"
MULTIPLE_CHOICE = "other_needs"
NAVIGATION = [{"title": "Back", "payload": "/go_back"}, {"title": "Skip", "payload": "/skip"}]


def reply_with(engine: FakeEngine, *texts: str, buttons: list[dict[str, str]] | None = None) -> None:
    """The engine's next replies: `texts`, the last with `buttons` (none: a free-text question)."""
    replies: list[dict[str, Any]] = [{"recipient_id": "x", "text": text} for text in texts]
    if buttons:
        replies[-1]["buttons"] = buttons
    engine.raw_body = json.dumps(replies)


def web_banner(body: str) -> tuple[str, str]:
    """The web chat page's practice banner: its heading and the line under it, as a reader sees them."""
    banner = body[body.index('id="rehearsal-banner"') :]
    heading = re.search(r'govuk-notification-banner__heading">([^<]*)</p>', banner)
    line = re.search(r'<p class="govuk-body">([^<]*)</p>', banner)
    assert heading is not None and line is not None
    return html.unescape(heading.group(1)), html.unescape(line.group(1))


def banner_of(card: dict[str, Any]) -> list[str] | None:
    top = card["body"][0] if card["body"] else {}
    if top.get("type") != "Container":
        return None
    return [item["text"] for item in top["items"]]


def titles(card: dict[str, Any]) -> list[str]:
    return [action["title"] for action in card["actions"]]


def assert_marked(replies: list[dict[str, Any]], heading: str, line: str, reference: str) -> None:
    """Each reply is marked: a card has the banner first and the case card's action before the danger action
    (still last); a text starts with the heading."""
    assert replies
    for reply in replies:
        for attachment in reply.get("attachments", []):
            card = attachment["content"]
            assert banner_of(card) == [heading, line], card
            show = card["actions"][-2]
            assert (show["title"], show["data"]) == (
                WORDS.case_card,
                {"action": "case-card", "reference": reference},
            )
            assert card["actions"][-1]["title"] == "Someone is in danger now"
        if "text" in reply:
            assert reply["text"].startswith(f"{heading}\n\n"), reply


def assert_unmarked(replies: list[dict[str, Any]]) -> None:
    said = json.dumps(replies)
    assert replies and WORDS.heading not in said and WORDS.body not in said and WORDS.case_card not in said


def reference_in(replies: list[dict[str, Any]]) -> str:
    """The assessment the replies' cards name (every card button but "My assessments" names it)."""
    [reference] = {
        action["data"]["reference"]
        for reply in replies
        for attachment in reply.get("attachments", [])
        for action in attachment["content"]["actions"]
        if "reference" in action["data"]
    }
    return reference


async def new_replies(connector: Connector, act: Callable[[], Any]) -> list[dict[str, Any]]:
    before = len(connector.replies)
    response = await act()
    assert response.status == 200
    return [reply.body for reply in connector.replies[before:]]


async def practice_run_in_teams(
    client: TestClient, post: Post, connector: Connector
) -> tuple[str, list[dict[str, Any]]]:
    """Alice starts a practice run on the web (runs start from a scenario's card) and carries on in Teams."""
    await sign_in(client, "alice", PASSWORD)
    reference = (await start_practice_run(client, SCENARIO)).removeprefix("/chat/")
    said = await new_replies(connector, lambda: post(message(connector.url, "typed in Teams")))
    return reference, said


async def test_every_kind_of_reply_of_a_practice_run_carries_the_web_pages_banner(
    client: TestClient, post: Post, connector: Connector, engine: FakeEngine, store: Store, user: UserInfo
) -> None:
    reference, said = await practice_run_in_teams(client, post, connector)
    heading, line = web_banner(await page(client, f"/chat/{reference}"))
    assert (heading, line) == (WORDS.titled("A plan for Friday"), WORDS.body)  # the scenario's title too

    # A choice card (the stand-in's echo and its buttons): the banner, at the top.
    assert_marked(said, heading, line, reference)
    assert [b["title"] for b in BUTTONS] == titles(connector.cards()[-1])[: len(BUTTONS)]

    # A free-text question: its text, and the card offering the move, each marked.
    reply_with(engine, "What you noticed, question 1 of 9", QUESTION)
    said = await new_replies(connector, lambda: post(message(connector.url, "an answer")))
    assert [r.get("text") for r in said[:2]] == [
        f"{heading}\n\nWhat you noticed, question 1 of 9",
        f"{heading}\n\n{QUESTION}",
    ]
    assert_marked(said, heading, line, reference)

    # A multiple choice question: the ticks stay below the banner; reading the case card sends none.
    move(store, conversation_of(store, user.id, f"/chat/{reference}"), MULTIPLE_CHOICE)
    options = [{"title": c.label, "payload": c.label} for c in load_bank().question(MULTIPLE_CHOICE).choices]
    reply_with(engine, "Anything else going on for the family?", buttons=options + NAVIGATION)
    said = await new_replies(connector, lambda: post(message(connector.url, "my answer")))
    assert_marked(said, heading, line, reference)
    card = connector.cards()[-1]
    assert [block["type"] for block in card["body"]] == ["Container", "TextBlock", "Input.ChoiceSet"]
    assert card["actions"][-2]["associatedInputs"] == "none"

    # The danger reply (the card's own "Someone is in danger now").
    reply_with(engine, "Call 999 now, then tell your safeguarding lead.", buttons=BUTTONS)
    danger = {"action": "danger", "reference": reference}
    said = await new_replies(connector, lambda: post(message(connector.url, value=danger)))
    assert_marked(said, heading, line, reference)

    # The "Check your answers" summary (its answers withheld from Teams) keeps the banner above its heading.
    reply_with(engine, SUMMARY, buttons=BUTTONS)
    said = await new_replies(connector, lambda: post(message(connector.url, "done")))
    assert_marked(said, heading, line, reference)
    assert connector.cards()[-1]["body"][1]["text"].startswith(REVIEW_HEADING)


async def test_the_case_card_reopens_in_teams_as_the_web_shows_it(
    client: TestClient, post: Post, connector: Connector, engine: FakeEngine, user: UserInfo
) -> None:
    reference, _ = await practice_run_in_teams(client, post, connector)
    web = html.unescape(await page(client, f"/chat/{reference}"))
    heading, line = web_banner(web)
    shown = web[web.index('id="case-card"') :]

    said = await new_replies(
        connector, lambda: post(message(connector.url, value={"action": "case-card", "reference": reference}))
    )

    [reply] = said
    card = reply["attachments"][0]["content"]
    assert banner_of(card) == [heading, line]
    assert card["body"][1]["text"] == "A plan for Friday"
    facts = [(fact["title"], fact["value"]) for fact in card["body"][2]["facts"]]
    for title, value in facts:  # the web's summary list: the same keys and values
        assert f">{title}</dt>" in shown and f">{value}</dd>" in shown
    paragraphs = [block["text"] for block in card["body"][3:]]
    assert paragraphs and all(f'<p class="govuk-body">{p}</p>' in shown for p in paragraphs)
    assert titles(card) == [f"Carry on {reference}", "Someone is in danger now"]  # no card in the card

    # "Carry on" goes back to the run, still marked.
    carry_on = card["actions"][0]["data"]
    said = await new_replies(connector, lambda: post(message(connector.url, value=carry_on)))
    assert_marked(said, heading, line, reference)


async def test_the_home_card_tags_practice_drafts_as_the_web_list_does(
    client: TestClient, post: Post, connector: Connector, engine: FakeEngine, user: UserInfo
) -> None:
    reference, _ = await practice_run_in_teams(client, post, connector)
    live = await new_replies(connector, lambda: post(message(connector.url, value={"action": "start"})))
    live_reference = reference_in(live)

    await post(message(connector.url, value={"action": "home"}))

    carry_on = [t for t in titles(connector.cards()[-1]) if t.startswith("Carry on")]
    [practice] = [t for t in carry_on if reference in t]
    [live_draft] = [t for t in carry_on if live_reference in t]
    assert practice.startswith(f"Carry on {reference} ({WORDS.tag}) (") and WORDS.tag not in live_draft
    home = await page(client, "/chat")
    row = home[home.index(reference) : home.index("</tr>", home.index(reference))]
    assert f">{WORDS.tag}</strong>" in row


async def test_a_live_runs_replies_carry_no_practice_mark(
    post: Post, connector: Connector, engine: FakeEngine, user: UserInfo
) -> None:
    started = await new_replies(connector, lambda: post(message(connector.url, value={"action": "start"})))
    assert_unmarked(started)
    assert [b["title"] for b in BUTTONS] == titles(connector.cards()[-1])[: len(BUTTONS)]  # a live run's card
    reply_with(engine, QUESTION)  # a free-text question
    assert_unmarked(await new_replies(connector, lambda: post(message(connector.url, "an answer"))))
    reply_with(engine, "Call 999 now, then tell your safeguarding lead.", buttons=BUTTONS)
    assert_unmarked(
        await new_replies(connector, lambda: post(message(connector.url, value={"action": "danger"})))
    )
    reply_with(engine, SUMMARY, buttons=BUTTONS)
    assert_unmarked(await new_replies(connector, lambda: post(message(connector.url, "done"))))


async def test_a_live_run_has_no_case_card_to_reopen(
    post: Post, connector: Connector, engine: FakeEngine, user: UserInfo
) -> None:
    started = await new_replies(connector, lambda: post(message(connector.url, value={"action": "start"})))
    reference = reference_in(started)
    show = {"action": "case-card", "reference": reference}
    said = await new_replies(connector, lambda: post(message(connector.url, value=show)))
    assert [(reply.get("text"), "attachments" in reply) for reply in said] == [
        (NO_SUCH_OPTION_MESSAGE, False)
    ]


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda text: text.replace("heading:", "headin:"), "headin"),
        (lambda text: text.replace('tag: "Rehearsal"', 'tag: ""'), "tag"),
        (lambda text: text.replace("{heading}: {title}", "{heading}: {scenario}"), "with_title"),
    ],
)
def test_a_bad_words_file_is_refused_naming_the_file_and_the_entry(
    tmp_path: Path, change: Callable[[str], str], named: str
) -> None:
    bad = tmp_path / "practice_mark.yaml"
    bad.write_text(change(WORDS_FILE.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(PracticeWordsError) as refused:
        practice_words(bad)
    assert str(bad) in str(refused.value) and named in str(refused.value)
