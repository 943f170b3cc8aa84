"""The everyday guard set (tests/nlu/everyday_answers.yml): its shape, kept apart from training and from the
other held-out sets, neutral, and current with what the real-engine walks type (issue #11).

Cheap checks, no engine: how the trained model reads the set is tests/nlu/test_everyday_reading.py.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.questions.wording_checks import WORDING_PATH, Wording
from tests.nlu.e2e_typed import typed_by_the_walks
from tests.nlu.test_heldout_sets import HELD_OUT, training_lines

FILE = HELD_OUT / "everyday_answers.yml"


def lists() -> dict[str, list[str]]:
    return yaml.safe_load(FILE.read_text(encoding="utf-8"))


def _strings(value: object) -> list[str]:
    if isinstance(value, dict):
        return [t for v in value.values() for t in _strings(v)]
    if isinstance(value, list):
        return [t for v in value for t in _strings(v)]
    return [value] if isinstance(value, str) else []


def other_held_out() -> set[str]:
    return {
        t.lower()
        for path in sorted(HELD_OUT.glob("*.yml"))
        if path != FILE
        for t in _strings(yaml.safe_load(path.read_text(encoding="utf-8")))
    }


def test_the_file_has_the_three_lists() -> None:
    assert list(lists()) == ["everyday", "walks", "typed_on_purpose"]


def test_everyday_answers_are_many_stripped_and_not_repeated() -> None:
    everyday = lists()["everyday"]
    assert len(everyday) >= 300
    assert all(isinstance(t, str) and t and t.strip() == t for t in everyday)
    lowered = [t.lower() for t in everyday]
    assert not sorted({t for t in everyday if lowered.count(t.lower()) > 1})


def test_no_everyday_answer_is_in_the_training_data_or_another_held_out_set() -> None:
    trained, others = training_lines(), other_held_out()
    assert len(trained) > 100 and len(others) > 1000, "the training data or the held-out sets were not found"
    leaked = [t for t in lists()["everyday"] if t.lower() in trained or t.lower() in others]
    assert not leaked, f"everyday answers also in data/nlu or another held-out set: {leaked}"


def test_no_line_names_a_place_religion_ideology_or_community() -> None:
    """Guardrail 4, as for the blind sets: the words are the bank's neutral_wording.yaml."""
    problems: list = []
    wording = Wording.load(WORDING_PATH, problems)
    assert wording is not None and not problems, problems
    texts = [t for texts in lists().values() for t in texts]
    named = [(t, wording.names(t)) for t in texts if wording.names(t)]
    assert not named, f"lines naming a place, religion, ideology or community: {named}"


def test_every_text_the_walks_type_is_listed() -> None:
    """A walk that types something new must say what it is: an everyday answer (`walks`, read by the danger
    guard) or not one (`typed_on_purpose`)."""
    listed = [*lists()["walks"], *lists()["typed_on_purpose"]]
    typed = typed_by_the_walks()
    assert len(typed) > 50, "the walks' typed texts were not found"
    missing = sorted({f"{t.where}: {t.shown!r}" for t in typed if not t.matched_by(listed)})
    assert not missing, "typed by a walk, in neither `walks` nor `typed_on_purpose`:\n" + "\n".join(missing)


def test_every_listed_walk_text_is_still_typed_by_a_walk() -> None:
    typed = typed_by_the_walks()
    listed = [*lists()["walks"], *lists()["typed_on_purpose"]]
    stale = [t for t in listed if not any(w.pattern.fullmatch(t) for w in typed)]
    assert not stale, f"listed but no longer typed by any walk: {stale}"


def test_the_engine_never_reads_the_file_as_training_or_test_data() -> None:
    """As for the other held-out files: Rasa takes a file with a line starting `nlu:` as its own data."""
    keys = ("nlu:", "responses:", "rules:", "stories:", "intents:")
    assert not [line for line in Path(FILE).read_text(encoding="utf-8").splitlines() if line.startswith(keys)]
