"""Start again through the real engine: asked first, a stray "yes" clears nothing, the confirmation button
clears the answers (kept as history) and the first question comes back."""

from __future__ import annotations

from bot.dialogue.plans import START_AGAIN_NO, START_AGAIN_YES
from tests.e2e.conftest import Product
from tests.e2e.test_thin_path import answer_until_free_text, last_text, start

ACCOUNT = "She keeps saying the school 'will regret it'.\r\n  Said it twice."


def test_start_again_is_confirmed_before_anything_is_cleared(product: Product) -> None:
    sender, replies = start(product)
    first_question = last_text(replies)
    answer_until_free_text(product, sender, replies, ACCOUNT)
    before = product.export(sender)["answers"]
    assert len(before) >= 3

    asked = product.say(sender, "start again")
    assert "Start again from the first question?" in last_text(asked), asked
    assert [b["title"] for b in asked[-1]["buttons"]][:2] == [START_AGAIN_YES, START_AGAIN_NO]

    stray = product.say(sender, "yes")
    assert "Nothing has been cleared" in last_text(stray), stray
    assert product.export(sender)["answers"] == before

    kept = product.press(sender, START_AGAIN_NO)
    assert "Start again" not in last_text(kept)
    assert product.export(sender)["answers"] == before

    product.say(sender, "start again")
    cleared = product.press(sender, START_AGAIN_YES)
    assert "Your answers are cleared" in last_text(cleared), cleared
    assert "question 1 of" in last_text(cleared)
    assert first_question.split("\n\n")[1] in last_text(cleared), "the first question is asked again"

    history = {a["question_id"]: a["revisions"] for a in product.export(sender)["answers"]}
    assert all(revisions[-1]["status"] == "withdrawn" for revisions in history.values())
    texts = [r["text"] for revisions in history.values() for r in revisions]
    assert ACCOUNT in texts, "what was said before starting again stays in the record's history"
