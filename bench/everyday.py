"""The everyday guard: plain answers, and the walks' own, read at a free-text question as the product does.

tests/nlu/everyday_answers.yml holds `everyday` (plain answers a practitioner types: reported speech,
feelings, logistics with times, things past) and `walks` (the answers the real-engine walks in tests/e2e
type). Each is read at the shipped bank's free-text question (`FREE_TEXT`) through
`bench.understanding.outcome`, the product's own reading, and counted: read as danger (the typed-danger check
would stop the practitioner), silently taken as a control, asked about (the "save as your answer, or did you
mean ...?" question), stored. Used by bench/danger_replay.py and bench/understanding.py to print, and by
tests/nlu/test_everyday_reading.py to hold the line (issue #11): a danger reader tuned on look-alikes alone
once flagged "he said it's not fair and left".
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

import yaml

from bench.understanding import Parsed, outcome
from bench.understanding_sets import FREE_TEXT, HELD_OUT
from bot.questions import QuestionBank

EVERYDAY_FILE = HELD_OUT / "everyday_answers.yml"
LISTS = ("everyday", "walks")


def everyday_lists() -> dict[str, list[str]]:
    """The two lists that are read (`typed_on_purpose` is only for keeping `walks` current)."""
    loaded = yaml.safe_load(EVERYDAY_FILE.read_text(encoding="utf-8"))
    return {name: list(loaded[name]) for name in LISTS}


def kind_of(got: str) -> str:
    """An outcome at the free-text question, by what the practitioner meets."""
    if got == "danger":
        return "danger"
    if got.startswith("control:"):
        return "taken"
    if got == "clarify":
        return "asked"
    if got.startswith("answer"):
        return "stored"
    return got


@dataclass(frozen=True)
class Read:
    """One list read at the free-text question: each message's outcome there."""

    name: str
    outcomes: dict[str, str]

    def counts(self) -> Counter[str]:
        return Counter(kind_of(o) for o in self.outcomes.values())

    def of_kind(self, kind: str) -> list[str]:
        return [t for t, o in self.outcomes.items() if kind_of(o) == kind]

    def line(self) -> str:
        counts = self.counts()
        n = len(self.outcomes)
        danger = counts.get("danger", 0)
        return (
            f"{self.name:<8} n={n}: read as danger {danger} ({100 * danger / n:.1f}%), "
            f"taken as a control {counts.get('taken', 0)}, asked {counts.get('asked', 0)}, "
            f"stored {counts.get('stored', 0)}"
            + "".join(
                f", {k} {v}"
                for k, v in sorted(counts.items())
                if k not in ("danger", "taken", "asked", "stored")
            )
        )


def read_lists(bank: QuestionBank, lists: dict[str, list[str]], parsed: dict[str, Parsed]) -> list[Read]:
    today = dt.date.today()
    return [
        Read(name, {t: outcome(bank, FREE_TEXT, parsed[t], today) for t in texts})
        for name, texts in lists.items()
    ]
