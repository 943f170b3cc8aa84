"""Plain everyday answers, and the answers the real-engine walks type, are not read as danger (issue #11).

Read through the trained model (`bench.parse_cache.parses`: the engine on the current model, as
bench/understanding.py starts it, its parses kept per model) and the product's own reading at the bank's
free-text question (`bench.everyday`). A danger reader tuned on look-alikes alone once read "he said it's not
fair and left" as danger at 0.97, and the walks met the typed-danger check at ordinary answers: none of the
held-out sets had plain answers to show it. None of the walks' answers, and at most 2% of the everyday ones,
may raise the typed-danger check; none of either may be silently taken as a control.
"""

from __future__ import annotations

from functools import cache

import pytest

from bench.everyday import Read, everyday_lists, read_lists
from bench.parse_cache import parses
from bot.questions.loader import load_bank

pytestmark = pytest.mark.engine

MOST_EVERYDAY_READ_AS_DANGER = 0.02


@cache
def read() -> dict[str, Read]:
    lists = everyday_lists()
    parsed = parses([t for texts in lists.values() for t in texts])
    return {r.name: r for r in read_lists(load_bank(), lists, parsed)}


def test_no_answer_a_walk_types_is_read_as_danger() -> None:
    walks = read()["walks"]
    assert len(walks.outcomes) >= 30
    assert not walks.of_kind("danger"), f"walk answers read as danger: {walks.of_kind('danger')}"


def test_at_most_two_percent_of_everyday_answers_are_read_as_danger() -> None:
    everyday = read()["everyday"]
    flagged = everyday.of_kind("danger")
    assert len(flagged) <= MOST_EVERYDAY_READ_AS_DANGER * len(everyday.outcomes), (
        f"{len(flagged)} of {len(everyday.outcomes)} everyday answers read as danger: {flagged}"
    )


@pytest.mark.parametrize("name", ["everyday", "walks"])
def test_no_answer_is_silently_taken_as_a_control(name: str) -> None:
    taken = read()[name].of_kind("taken")
    assert not taken, f"{name} answers silently taken as a control: {taken}"
