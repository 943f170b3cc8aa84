"""A whole assessment walked through the REST channel by a client that knows nothing of the wording.

It answers choice buttons with their payloads and every other question with its own text (falling back to
a date, then a number, when the bot asks again), uses back, skip, help, pause and resume along the way,
submits, and then finds every free-text answer it gave, byte for byte, in `bot assessments export`.
"""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import Product
from tests.e2e.screening import CARRY_ON, is_route_choice, without_intros

FALLBACKS = ("March 2024", "next Thursday", "14")  # a past date, an upcoming one, an age


def buttons(replies: list[dict[str, Any]]) -> list[dict[str, str]]:
    return [b for reply in replies for b in reply.get("buttons") or []]


def choices(replies: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Answer buttons: ours send their label; controls send a "/" payload."""
    return [b for b in buttons(replies) if not b["payload"].startswith("/")]


def progress_line(replies: list[dict[str, Any]]) -> str | None:
    for reply in reversed(replies):
        first = (reply.get("text") or "").split("\n", 1)[0]
        if " of " in first and "question" in first:
            return first
    return None


def question_asked(replies: list[dict[str, Any]]) -> str | None:
    """The whole message of the question asked (progress line and wording): follow-ups of one question share
    a progress line ("question 1 of 3, follow-up"), so the line alone cannot tell an answer was taken."""
    for reply in reversed(replies):
        text = reply.get("text") or ""
        if " of " in text.split("\n", 1)[0] and "question" in text.split("\n", 1)[0]:
            return without_intros(text)  # asked again, it comes without its section's introduction
    return None


def has_payload(replies: list[dict[str, Any]], payload: str) -> bool:
    return any(b["payload"] == payload for b in buttons(replies))


class Walker:
    def __init__(self, product: Product, sender: str) -> None:
        self.product = product
        self.sender = sender
        self.turns = 0
        self.accepted_texts: list[str] = []
        self.used: set[str] = set()

    def press(self, payload: str) -> list[dict[str, Any]]:
        self.turns += 1
        return self.product.press(self.sender, payload)

    def type(self, text: str) -> list[dict[str, Any]]:
        self.turns += 1
        return self.product.say(self.sender, text)

    def answer_typed(self, replies: list[dict[str, Any]]) -> list[dict[str, Any]]:
        asked = question_asked(replies)
        text = f'Answer {self.turns}: he said "it\'s not fair" 😞\r\nand left.  '
        for attempt in (text, *FALLBACKS):
            replies = self.type(attempt)
            if question_asked(replies) != asked or has_payload(replies, "/submit"):
                if attempt == text:
                    self.accepted_texts.append(text)
                return replies
        raise AssertionError(f"no answer accepted for: {asked}\n{replies}")

    def step(self, replies: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """One move: sometimes a control (each kind at least once), otherwise an answer."""
        if any(is_route_choice(reply.get("text") or "") for reply in replies):
            # The end of the screening (issue #12): this walk goes through the whole assessment. Not counted
            # as one of its moves, so every later question gets the same move (and control) as before.
            return self.product.press(self.sender, CARRY_ON)
        for every, control in ((11, "/help"), (13, "/go_back"), (17, "/skip"), (29, "/pause")):
            if self.turns and self.turns % every == 0 and (control not in self.used or every > 20):
                self.used.add(control)
                if control == "/pause":
                    paused = self.press("/pause")
                    assert has_payload(paused, "/resume"), paused
                    return self.press("/resume")
                return self.press(control)
        options = choices(replies)
        if any(is_route_choice(reply.get("text") or "") for reply in replies):
            return self.press(
                CARRY_ON
            )  # the end of the screening: this walk goes through the whole assessment
        if options:
            return self.press(options[self.turns % len(options)]["payload"])
        return self.answer_typed(replies)


def test_a_whole_assessment_walked_by_a_client_that_knows_no_wording(product: Product) -> None:
    sender = product.open_conversation()
    walker = Walker(product, sender)
    replies = walker.press("/start_assessment")
    while not has_payload(replies, "/submit"):
        assert walker.turns < 600, "the assessment should end"
        replies = walker.step(replies)

    # "change N" at the summary reopens one answer and comes back to the summary.
    replies = walker.type("change 1")
    assert progress_line(replies), replies
    # Answer 1 is the danger question (first since issue #26 took "real or practice?" away): "No" keeps
    # this walk on its way back to the summary (a "Yes" would rightly start the danger follow-up questions
    # first).
    options = choices(replies)
    chosen = next((c for c in options if c["title"] == "No"), options[0]) if options else None
    replies = walker.answer_typed(replies) if chosen is None else walker.press(chosen["payload"])
    assert has_payload(replies, "/submit"), replies

    submitted = walker.press("/submit")
    text = "\n".join(r.get("text") or "" for r in submitted)
    assert "Suggested next steps" in text
    assert "score" not in text.lower() and "risk level" not in text.lower()

    export = product.export(sender)
    assert export["assessment"]["status"] == "submitted"
    stored = [revision["text"] for answer in export["answers"] for revision in answer["revisions"]]
    missing = [t for t in walker.accepted_texts if t not in stored]
    assert not missing, missing
    assert len(walker.accepted_texts) >= 20
    assert walker.used >= {"/help", "/go_back", "/skip", "/pause"}
    assert walker.turns >= 100


def test_nothing_is_lost_when_the_action_server_or_engine_is_killed(product: Product) -> None:
    sender = product.open_conversation()
    walker = Walker(product, sender)
    replies = walker.press("/start_assessment")
    for _ in range(6):
        replies = walker.step(replies)
    before = product.export(sender)
    where = before["assessment"]["current_question_id"]

    product.restart("actions")
    replies = walker.press("/resume")
    after_actions = product.export(sender)
    assert after_actions["answers"] == before["answers"]
    assert after_actions["assessment"]["current_question_id"] == where
    assert progress_line(replies), replies

    product.restart("engine")
    replies = walker.press("/resume")
    after_engine = product.export(sender)
    assert after_engine["answers"] == before["answers"]
    assert after_engine["assessment"]["current_question_id"] == where
    assert progress_line(replies), replies
    replies = walker.step(replies)
    assert len(product.export(sender)["answers"]) >= len(before["answers"])
