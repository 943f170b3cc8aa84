"""The engine's training data and its held-out test set: sizes the issue asks for, and kept apart."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml

from bot.settings import REPO_ROOT

CONTROL_INTENTS = {
    "go_back",
    "skip",
    "help",
    "pause",
    "stop",
    "start_again",
    "submit",
    "resume",
    "report_danger",
}


def examples(path: Path) -> list[tuple[str, str]]:
    found = []
    for block in yaml.safe_load(path.read_text())["nlu"]:
        for line in block["examples"].splitlines():
            line = line.strip()
            if line.startswith("- "):
                found.append((block["intent"], line[2:].strip()))
    return found


def training() -> list[tuple[str, str]]:
    return [e for path in sorted((REPO_ROOT / "data" / "nlu").glob("*.yml")) for e in examples(path)]


def held_out() -> list[tuple[str, str]]:
    """The held-out set `rasa test nlu` reads: the files in tests/nlu with an `nlu` key. The others there
    (heldout_controls.yml, heldout_danger.yml) are read by bench/understanding.py and tests/nlu."""
    files = sorted((REPO_ROOT / "tests" / "nlu").glob("*.yml"))
    return [e for path in files if "nlu" in yaml.safe_load(path.read_text()) for e in examples(path)]


def test_held_out_messages_never_appear_in_training() -> None:
    trained = {text.lower() for _, text in training()}
    leaked = [text for _, text in held_out() if text.lower() in trained]
    assert not leaked, f"held-out messages also in training data: {leaked[:10]}"


def test_sizes() -> None:
    assert len(held_out()) >= 200
    per_intent = Counter(intent for intent, _ in training())
    thin = {intent: n for intent, n in per_intent.items() if intent in CONTROL_INTENTS and n < 20}
    assert not thin, f"control intents with fewer than 20 training examples: {thin}"


def test_every_intent_in_the_data_is_in_the_domain() -> None:
    domain = set(yaml.safe_load((REPO_ROOT / "domain.yml").read_text())["intents"])
    assert {intent for intent, _ in training() + held_out()} <= domain
