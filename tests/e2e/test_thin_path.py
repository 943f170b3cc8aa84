"""The foundation's end-to-end path: messages through the engine's REST channel land verbatim in the store.

A real engine (trained model), a real action server and the real app with its SQLite store; the test
reads the result back the way a person would, with `bot assessments export`.
"""

from __future__ import annotations

import secrets
from typing import Any

from bot.questions import load_bank
from tests.builders import move
from tests.e2e.conftest import Product, _service

NAVIGATION = {"/go_back", "/skip", "/help", "/pause", "/stop", "/submit", "/resume", "/start_assessment"}
VERBATIM = "He said: «they'll see» 😠🔥\r\nthen walked out.\n  Second line, two leading spaces.  "


def choice_buttons(replies: list[dict[str, Any]]) -> list[dict[str, str]]:
    buttons = [b for reply in replies for b in reply.get("buttons") or []]
    return [b for b in buttons if b["payload"] not in NAVIGATION and b["title"] != "Keep my answer"]


def current(export: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """question id -> the current revision, from `bot assessments export` output."""
    return {a["question_id"]: a["revisions"][-1] for a in export["answers"]}


def last_text(replies: list[dict[str, Any]]) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


def start(product: Product) -> tuple[str, list[dict[str, Any]]]:
    sender = product.open_conversation()
    return sender, product.press(sender, "/start_assessment")


def answer_until_free_text(product: Product, sender: str, replies: list[dict[str, Any]], text: str) -> str:
    """Answer choice questions with their first option (but "No" to immediate danger) until a question
    with no choices appears, then answer it with `text`. Returns that question's wording as asked."""
    for _ in range(15):
        choices = choice_buttons(replies)
        if not choices:
            asked = last_text(replies)
            product.say(sender, text)
            return asked
        titles = [b["title"] for b in choices]
        pick = choices[titles.index("No")] if "No" in titles else choices[0]
        replies = product.press(sender, pick["payload"])
    raise AssertionError(f"no free-text question reached; last replies: {replies}")


def test_screening_answers_reach_the_store_verbatim(product: Product) -> None:
    sender, replies = start(product)
    assert "question 1 of" in last_text(replies), replies
    assert choice_buttons(replies), "the first screening question offers its choices as buttons"

    answer_until_free_text(product, sender, replies, VERBATIM)

    export = product.export(sender)
    assert export["assessment"]["conversation_id"] == sender
    assert export["assessment"]["status"] == "in_progress"
    assert export["assessment"]["bank_version"]
    answers = current(export)
    assert answers["immediate_danger"]["value"] == "no"
    free_text = [a for a in answers.values() if a["text"] == VERBATIM]
    assert len(free_text) == 1, answers
    assert free_text[0]["value"] == VERBATIM


def test_the_progress_line_shows_the_mode_the_run_started_in(product: Product) -> None:
    """Issue #26: the mode is fixed when a run starts (here by the store, as "Start a practice run" does)
    and shown from the first question; nothing said in the chat changes it."""
    live, replies = start(product)
    assert "Live case" in last_text(replies)
    assert all("practice" not in b["title"].lower() for b in choice_buttons(replies))
    practice = product.open_conversation()
    _service(product.settings).assessments.start_or_resume(practice, load_bank().version, "rehearsal")
    replies = product.press(practice, "/start_assessment")
    assert "Rehearsal - fictional case" in last_text(replies)
    replies = product.say(practice, "A real young person")
    assert "Rehearsal - fictional case" in last_text(replies)
    assert product.export(practice)["assessment"]["mode"] == "rehearsal"
    assert product.export(live)["assessment"]["mode"] == "live"


def test_oversize_empty_and_emoji_messages_get_a_reply_and_change_nothing(product: Product) -> None:
    sender, _ = start(product)
    before = product.export(sender)

    too_long = product.say(sender, "x" * 20_000)
    assert "20,000 characters" in last_text(too_long)
    emoji = product.say(sender, "🙂🙂🙂")
    assert last_text(emoji).strip(), "an emoji-only message still gets a reply"
    assert choice_buttons(emoji), "the same question is asked again"
    # The engine's classifier fails on a message with no words; its REST channel then answers with no
    # reply. Our gateway never sends one (see test_web_chat_path); here we check nothing changed.
    assert product.say(sender, "   ") == []

    after = product.export(sender)
    assert after["answers"] == before["answers"]
    assert after["assessment"]["current_question_id"] == before["assessment"]["current_question_id"]


def test_a_conversation_nobody_opened_gets_no_record(product: Product) -> None:
    stranger = secrets.token_urlsafe(16)
    replies = product.press(stranger, "/start_assessment")
    assert "web chat page" in last_text(replies)
    # "=" keeps an id that happens to start with "-" (1 in 64 of these) from being read as an option.
    assert product.bot("assessments", "export", f"--conversation={stranger}").returncode == 1


def test_typed_payloads_cannot_set_answers_or_jump(product: Product) -> None:
    sender, _ = start(product)
    before = product.export(sender)
    forged = product.say(sender, '/inform{"answer": "rehearsal"}')
    assert "can't start with '/'" in last_text(forged)
    early_submit = product.press(sender, "/submit")
    assert "Check your answers" in last_text(early_submit) or "submit once" in last_text(early_submit)
    after = product.export(sender)
    assert after["answers"] == before["answers"]
    assert after["assessment"]["status"] == "in_progress"


def test_a_choice_the_classifier_reads_as_a_control_still_answers_and_carries_on(product: Product) -> None:
    from tests.e2e.conftest import _service

    sender, _ = start(product)
    move(_service(product.settings), sender, "attendance")
    replies = product.press(sender, "/resume")
    label = next(b["title"] for b in choice_buttons(replies) if "dropped" in b["title"].lower())

    replies = product.press(sender, label)  # the classifier reads this label as "pause"

    assert "question" in last_text(replies) and "didn't follow" not in last_text(replies), replies
    assert current(product.export(sender))["attendance"]["value"] == "dropped_recently"
