"""The held-out control and danger sets of issue #11: their shape, their sizes, and kept apart from training.

Cheap checks, no engine. How well the bot reads these messages is measured by bench/understanding.py;
nothing here asserts an accuracy yet.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.settings import REPO_ROOT

HELD_OUT = REPO_ROOT / "tests" / "nlu"
CONTROLS = (
    "help",
    "explain_differently",
    "back",
    "change_answer",
    "skip",
    "not_sure",
    "pause",
    "stop",
    "start_again",
    "danger",
)


def load(name: str) -> dict:
    return yaml.safe_load((HELD_OUT / name).read_text(encoding="utf-8"))


def controls() -> dict[str, list[str]]:
    return load("heldout_controls.yml")["controls"]


def danger() -> dict[str, list[str]]:
    return load("heldout_danger.yml")


def every_message() -> list[str]:
    return [text for texts in (*controls().values(), *danger().values()) for text in texts]


def training_lines() -> set[str]:
    lines = set()
    for path in sorted((REPO_ROOT / "data" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for line in block.get("examples", "").splitlines():
                if line.strip().startswith("- "):
                    lines.add(line.strip()[2:].strip().lower())
    return lines


def test_controls_file_has_one_list_of_messages_per_control() -> None:
    assert list(load("heldout_controls.yml")) == ["controls"]
    assert tuple(controls()) == CONTROLS


def test_danger_file_has_a_danger_and_an_ordinary_list() -> None:
    assert list(danger()) == ["danger", "ordinary"]


@pytest.mark.parametrize("name", ["heldout_controls.yml", "heldout_danger.yml"])
def test_messages_are_non_empty_strings_and_not_repeated(name: str) -> None:
    groups = load(name)
    if "controls" in groups:
        groups = groups["controls"]
    texts = [text for texts in groups.values() for text in texts]
    assert all(isinstance(text, str) and text.strip() == text and text for text in texts)
    repeated = sorted({t for t in texts if [x.lower() for x in texts].count(t.lower()) > 1})
    assert not repeated, f"messages listed twice: {repeated}"


def test_sizes() -> None:
    per_control = {name: len(texts) for name, texts in controls().items()}
    assert sum(per_control.values()) >= 300
    thin = {name: n for name, n in per_control.items() if n < 25}
    assert not thin, f"controls with fewer than 25 held-out paraphrases: {thin}"
    assert len(danger()["danger"]) >= 150
    assert len(danger()["ordinary"]) >= 150


def test_no_held_out_message_is_verbatim_in_the_training_data() -> None:
    trained = training_lines()
    assert len(trained) > 100, "the training data was not found"
    leaked = [text for text in every_message() if text.lower() in trained]
    assert not leaked, f"held-out messages also in data/nlu: {leaked[:10]}"


@pytest.mark.parametrize("name", ["heldout_controls.yml", "heldout_danger.yml"])
def test_the_engine_never_reads_these_files_as_training_or_test_data(name: str) -> None:
    """`rasa test nlu` reads tests/nlu, and Rasa takes any file with a line starting `nlu:` (or `rules:`,
    `stories:`, `responses:`) as its own data: these files must have none."""
    lines = Path(HELD_OUT / name).read_text(encoding="utf-8").splitlines()
    keys = ("nlu:", "responses:", "rules:", "stories:", "intents:")
    assert not [line for line in lines if line.lstrip().startswith(keys)]
