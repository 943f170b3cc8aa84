"""The action server reads the engine's second opinion on danger from the parse it is given, and nothing
else: a button's payload is not parsed, and a model trained without the component adds no such key."""

from __future__ import annotations

import pytest

from actions.conduct import danger_opinion_of
from bot.domain.protocol import DANGER_OPINION


@pytest.mark.parametrize(("value", "read"), [(0.97, 0.97), (0, 0.0), (1, 1.0), (0.5, 0.5)])
def test_a_probability_is_read(value: float, read: float) -> None:
    assert danger_opinion_of({"intent": {"name": "inform"}, DANGER_OPINION: value}) == read


@pytest.mark.parametrize("value", [None, "0.99", True, [0.99], {"p": 0.99}])
def test_anything_else_is_no_opinion(value: object) -> None:
    assert danger_opinion_of({DANGER_OPINION: value}) is None


def test_a_parse_without_it_has_no_opinion() -> None:
    assert danger_opinion_of({"intent": {"name": "skip", "confidence": 1.0}}) is None
