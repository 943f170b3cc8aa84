"""Control kinds asked plainly (issue #11): a steer or pointers on the question, whether it has a right answer
or wants the writer's view, how to answer it, an answer ticked by accident, rewinding to the last screen,
saving to come back, dropping the whole thing, being moved along, a writer's own change request naming the
person, and "not sure" with dictated punctuation. Each with a control sentence and an ordinary twin that
must stay an answer. Examples are written for this test, not taken from any set."""

from __future__ import annotations

from datetime import date

import pytest

from bot.dialogue.control_families import load_families
from bot.dialogue.plans import read_reply
from bot.domain.positions import AtQuestion
from bot.questions import QuestionBank
from bot.questions.phrases import is_unsure, match_key, negates_knowing
from tests.dialogue.records import record

TODAY = date(2026, 12, 7)
FREE_TEXT = "concern_summary"


@pytest.mark.parametrize(
    ("text", "control"),
    [
        # A steer or pointers on the question: help.
        ("any pointers for this bit", "help"),
        ("could you give me a steer here", "help"),
        # Whether the question has an answer it expects, or wants the writer's view: help.
        ("is there a correct answer to this", "help"),
        ("do you want my opinion or the facts", "help"),
        # How to answer it: help.
        ("how should i answer this one", "help"),
        ("how am i supposed to answer", "help"),
        # An answer given by accident: back.
        ("i ticked no by accident", "back"),
        ("accidentally typed the wrong thing earlier", "back"),
        # Rewinding, or the screen before: back.
        ("can we rewind a step", "back"),
        ("take me to the last page", "back"),
        # Saving to come back, even with a word of leaving: a pause.
        ("save and close for now please", "pause"),
        ("can it save what i have done", "pause"),
        # Dropping the whole thing: stop.
        ("ditch the whole thing altogether", "stop"),
        # Being moved along: skip.
        ("can you move me along", "skip"),
    ],
)
def test_each_kind_reaches_its_control(text: str, control: str) -> None:
    assert load_families().control_for(text) == control


@pytest.mark.parametrize(
    "text",
    [
        "dad is teaching them to steer the boat",  # steering, no steer asked for
        "the teacher marked the right answers in red",  # answers on a test, told of
        "in my view the home is calm now",  # a view given, not asked about
        "the window was broken by accident at play time",  # an accident, no answer given
        "mum will drop the club entirely",  # something else dropped
        "the bus driver told us to move along",  # moving along somewhere
    ],
)
def test_ordinary_twins_match_no_family(text: str) -> None:
    assert load_families().control_for(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "dad is teaching them to steer the boat",
        "in my view the home is calm now",
        "mum will drop the club entirely",
        "mum wants to change her answer about the dates, he disagreed",  # someone else's answer
    ],
)
def test_ordinary_twins_at_free_text_are_stored(bank: QuestionBank, text: str) -> None:
    reading = read_reply(bank, record(AtQuestion(FREE_TEXT)), text, "inform", 0.7, today=TODAY)

    assert (reading.kind, reading.control) == ("answer", None)


def test_my_own_change_request_naming_the_person_is_asked_about(bank: QuestionBank) -> None:
    text = "can i change an answer i gave, i confused him with his cousin"
    reading = read_reply(bank, record(AtQuestion(FREE_TEXT)), text, "inform", 0.7, today=TODAY)

    assert (reading.kind, reading.control) == ("clarify", "back")


@pytest.mark.parametrize(
    ("text", "unsure"),
    [
        ("dont know comma sorry", True),  # dictated punctuation after it
        ("not sure question mark", True),
        ("comma splices confuse her", False),  # punctuation talked about
    ],
)
def test_not_sure_with_dictated_punctuation(text: str, unsure: bool) -> None:
    assert is_unsure(match_key(text)) is unsure


@pytest.mark.parametrize(
    ("text", "unsure"),
    [
        ("no info on this, can you move me past it", False),  # a skip asked for
        ("no info on this, nobody at school has told us", True),  # the reason
    ],
)
def test_being_moved_past_is_no_reason_for_not_knowing(text: str, unsure: bool) -> None:
    assert negates_knowing(match_key(text)) is unsure


@pytest.mark.parametrize(
    ("text", "unsure"),
    [
        ("cant be certain one way or the other", True),  # either way
        ("unsure at this moment in time", True),  # just now
        ("no idea myself", True),  # the writer's own
        ("hmmm dont know", True),  # a sound of thinking first
        ("she looks after herself one way or the other", False),  # no phrase of not knowing
    ],
)
def test_not_sure_said_either_way_or_for_now(text: str, unsure: bool) -> None:
    assert is_unsure(match_key(text)) is unsure
