"""Issue #11, with the real engine through its REST channel: two replies in a row that a date question cannot
read get the question put another way, with the ways out as buttons, instead of the same refusal; the count
is the engine's (a slot), so it survives a crash of the action server between the two. A third reply that
does not fit is not lost (it is in the lead's transcript), and the answer after it is stored verbatim."""

from __future__ import annotations

from bot.review.transcript import read_transcript
from tests.builders import move
from tests.e2e.conftest import Product, _service
from tests.e2e.test_thin_path import current, last_text, start

QID = "first_noticed_date"
MISFITS = (
    "a while back, around when the weather turned",
    "hmm, before the holidays I suppose",
    "around when his cousin visited",
)
ANSWER = "  about 3 weeks ago "


def test_two_misfits_at_a_date_question_put_it_another_way_and_nothing_typed_is_lost(
    product: Product,
) -> None:
    sender, _ = start(product)
    move(_service(product.settings), sender, QID)
    asked = product.press(sender, "/resume")
    assert "When did you first notice something?" in last_text(asked), asked

    first = product.say(sender, MISFITS[0])
    assert last_text(first).startswith("I couldn't read that as a date."), first
    assert "another way" not in last_text(first)

    product.restart("actions")  # the count is the engine's, not this process's
    second = product.say(sender, MISFITS[1])
    text = last_text(second)
    assert "here is the question another way" in text, second
    assert "Roughly when did you first notice anything that worried you?" in text
    for example in ("'12 March'", "'last Tuesday'", "'about 3 weeks ago'", "'not sure'"):
        assert example in text, text
    buttons = [(b["title"], b["payload"]) for r in second for b in r.get("buttons") or ()]
    assert buttons == [("Skip", "/skip"), ("Not sure", "Not sure"), ("Why we ask", "/help")], second
    assert "I couldn't read that as a date." not in text  # not the same refusal again
    assert len(second) == 1, second  # it takes the question's place: not asked again below it

    third = product.say(sender, MISFITS[2])
    assert "here is the question another way" in last_text(third), third
    assert QID not in current(product.export(sender))  # nothing stored for a reply it could not read

    product.say(sender, ANSWER)
    stored = current(product.export(sender))[QID]
    assert (stored["text"], stored["status"]) == (ANSWER, "answered"), stored

    said = [turn.text for turn in read_transcript(product.settings.engine_tracker_db, sender).turns]
    for typed in (*MISFITS, ANSWER):
        assert typed in said, said  # every message, exactly as typed, in the lead's transcript
