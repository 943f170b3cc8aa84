"""Issue #26, item 7, with the real engine: the danger question can't be skipped, by button or typed, and
nothing is stored for it until it is answered."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import Product


def text_of(replies: list[dict[str, Any]]) -> str:
    return "\n".join(reply.get("text") or "" for reply in replies)


def payloads(replies: list[dict[str, Any]]) -> list[str]:
    return [button["payload"] for reply in replies for button in reply.get("buttons") or []]


def test_skip_at_the_danger_question_is_refused_and_no_moves_on(product: Product) -> None:
    sender = product.open_conversation()
    replies = product.press(sender, "/start_assessment")
    assert "Is anyone in immediate danger right now?" in text_of(replies), replies
    assert "/skip" not in payloads(replies)

    for skip in (lambda: product.press(sender, "/skip"), lambda: product.say(sender, "skip")):
        replies = skip()
        said = text_of(replies)
        assert "This question can't be skipped" in said, replies
        assert "Not sure" in said
        assert "Is anyone in immediate danger right now?" in said  # asked again, still without Skip
        assert "/skip" not in payloads(replies)
        export = product.export(sender)
        assert export["answers"] == [], export
        assert export["assessment"]["current_question_id"] in (None, "immediate_danger")
        assert export["assessment"]["urgent"] is False

    replies = product.press(sender, "No")
    assert "Is anyone in immediate danger right now?" not in text_of(replies), replies
    export = product.export(sender)
    [answer] = export["answers"]
    assert answer["question_id"] == "immediate_danger"
    assert [(r["status"], r["value"]) for r in answer["revisions"]] == [("answered", "no")]
    assert export["assessment"]["current_question_id"] == "discussed_with_lead"
