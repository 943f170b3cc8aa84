"""From screening to support (issue #12), through the real channel: a trained engine, the real action server
and the real app with its store. A practitioner answers the screening as planned in tests/e2e/screening.py,
chooses "send now" when asked, checks the screening answers and sends them; the store then holds a submitted
Request for Support (stage screening), every typed answer verbatim, in under 20 questions."""

from __future__ import annotations

from typing import Any

from bot.dialogue.danger_followups import load_followups
from tests.e2e.conftest import Product
from tests.e2e.screening import (
    BY_ID,
    ROUTE_QUESTION,
    SEND_NOW,
    SEND_REQUEST,
    is_route_choice,
    plan_for,
    screening_ids,
)

CHECK = load_followups().check


def text_of(replies: list[dict[str, Any]]) -> str:
    return "\n".join(reply.get("text") or "" for reply in replies)


def titles(replies: list[dict[str, Any]]) -> list[str]:
    return [b["title"] for reply in replies for b in reply.get("buttons") or []]


def test_the_screening_sent_now_is_a_request_for_support_in_the_store(product: Product) -> None:
    sender = product.open_conversation()
    replies = product.press(sender, "/start_assessment")
    asked = 0
    while not is_route_choice(text_of(replies)):
        assert asked < 20, f"the screening should end in under 20 questions; last: {text_of(replies)}"
        if CHECK.text in " ".join(text_of(replies).split()):
            # Danger first: what was typed sounded like danger; it is not, and the screening carries on.
            replies = product.press(sender, CHECK.no)
            continue
        planned = plan_for(text_of(replies))
        replies = (
            product.press(sender, planned.button)
            if planned.button is not None
            else product.say(sender, planned.typed or "")
        )
        asked += 1
    assert ROUTE_QUESTION in text_of(replies)
    assert SEND_NOW in titles(replies)

    summary = product.say(sender, "send now")  # typed, read as the choice it names
    shown = text_of(summary)
    assert "Check your answers" in shown and "Request for Support" in shown
    assert SEND_REQUEST in titles(summary), summary
    assert "own account, in your own words" not in shown  # the fuller questions are not listed

    sent = product.press(sender, "/submit")
    assert "Request for Support" in text_of(sent), sent

    export = product.export(sender)
    assessment = export["assessment"]
    assert (assessment["status"], assessment["submitted_stage"]) == ("submitted", "screening")
    stored = {a["question_id"]: a["revisions"][-1]["text"] for a in export["answers"]}
    assert set(stored) <= set(screening_ids()) | {f"{q}__source" for q in screening_ids()}
    for question_id, planned in BY_ID.items():
        if planned.typed is not None and question_id in stored:
            assert stored[question_id] == planned.typed, question_id
    assert asked < 20
