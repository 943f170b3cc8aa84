"""Short control-like messages at a free-text question are asked about (issue #11): never stored silently as
the answer, never taken as the control. The messages (short_controls.yml, a development list in several
voices) are read through the trained model (`bench.parse_cache.parses`: the engine on the current model, its
parses kept per model) and the product's own reading at the bank's free-text question (`bench.everyday`)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import yaml

from bench.everyday import Read, read_lists
from bench.parse_cache import parses
from bench.understanding_sets import HELD_OUT, LATER, load_later, load_sets
from bot.questions.loader import load_bank
from bot.questions.phrases import match_key

SHORT_CONTROLS = Path(__file__).with_name("short_controls.yml")
TRAINING = Path(__file__).parents[2] / "data" / "nlu"


def short_controls() -> dict[str, list[str]]:
    return yaml.safe_load(SHORT_CONTROLS.read_text(encoding="utf-8"))


def test_the_list_has_every_askable_control_and_sixty_short_messages() -> None:
    lists = short_controls()
    assert set(lists) == {"help", "back", "skip", "pause", "stop", "start_again"}
    assert sum(len(texts) for texts in lists.values()) >= 60
    words = [len(text.split()) for texts in lists.values() for text in texts]
    assert sum(n <= 10 for n in words) >= 60
    assert max(words) <= 20


def test_the_list_is_apart_from_the_training_data_and_the_held_out_sets() -> None:
    ours = {match_key(t): t for texts in short_controls().values() for t in texts}
    training = set()
    for path in TRAINING.glob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            for line in block.get("examples", "").splitlines():
                training.add(match_key(line.lstrip(" -")))
    controls, danger = load_sets()
    held_out = [*controls.values(), *danger.values()]
    for generation in load_later():
        held_out += [
            *generation.controls.values(),
            *generation.danger.values(),
            generation.free_text["answers"],
        ]
        held_out += generation.free_text["navigation"].values()
    held = {match_key(t) for texts in held_out for t in texts}
    # Only our own lines are named: a held-out set's messages are never printed from here.
    assert not [t for k, t in ours.items() if k in training], "in data/nlu"
    assert not [t for k, t in ours.items() if k in held], (
        f"in a held-out set ({HELD_OUT}, {len(LATER)} later)"
    )


@cache
def read() -> Read:
    texts = [t for texts in short_controls().values() for t in texts]
    return read_lists(load_bank(), {"short controls": texts}, parses(texts))[0]


@pytest.mark.engine
@pytest.mark.parametrize("kind", ["stored", "taken"])
def test_no_short_control_is_stored_or_taken_silently(kind: str) -> None:
    silently = read().of_kind(kind)
    assert not silently, f"{len(silently)} of {len(read().outcomes)} {kind} silently: {silently}"
