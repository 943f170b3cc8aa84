"""An earlier answer put right as "X not Y" (issue #11): "it was september not october", "age 14 not 15",
"she's in year 9 not 10", or "i said 14 earlier but he's 15". No change word, no "wrong": the correction is
in the two values of one kind either side of "not" (or of "but"). Read as a request to change an earlier
answer (back, the way one is changed mid-assessment) where the open question parses its answer (a message it
reads as its own answer is still the answer: bot.dialogue.plans.read_reply), and asked about at a free-text
question (bot.dialogue.clarify). The kinds are data: value_swaps.yaml.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from bot.domain.yaml_files import read_yaml
from bot.questions.phrases import match_key

SWAPS_PATH = Path(__file__).with_name("value_swaps.yaml")
# A number as typed: 9, 14, 2025, and day numbers with their ending (3rd, 21st).
_NUMBER = re.compile(r"^\d{1,4}(st|nd|rd|th)?$")


class ValueSwapsError(ValueError):
    """value_swaps.yaml is not as documented at its top."""


@lru_cache(maxsize=1)
def _load(
    path: Path = SWAPS_PATH,
) -> tuple[dict[str, str], frozenset[str], frozenset[str], frozenset[str], frozenset[str]]:
    """Each listed value (as matched) with its kind, the words that may repeat the first value's, the words
    that say the writer gave the first value ("i said", "i put"), the words that may follow it before the
    turn ("earlier", "for that one") and the turns themselves ("but", "actually")."""
    data = read_yaml(path, ValueSwapsError)
    keys = {"kinds", "repeated", "given_by_me", "where_given", "turns"}
    if not isinstance(data, dict) or set(data) != keys:
        raise ValueSwapsError(f"{path}: expected exactly the keys {sorted(keys)}")
    kind_of: dict[str, str] = {}
    for kind, values in data["kinds"].items():
        if not isinstance(values, list) or not all(isinstance(v, str) and match_key(v) == v for v in values):
            raise ValueSwapsError(f"{path}: kinds.{kind} must be a list of values written as matched")
        kind_of |= {value: kind for value in values}
    lists = []
    for key in ("repeated", "given_by_me", "where_given", "turns"):
        words = data[key]
        if not isinstance(words, list) or not all(isinstance(w, str) and match_key(w) == w for w in words):
            raise ValueSwapsError(f"{path}: {key} must be a list of words written as matched")
        lists.append(frozenset(words))
    repeated, given, where, turns = lists
    return kind_of, repeated, given, where, turns


def _kind(value: str, kind_of: dict[str, str]) -> str | None:
    return "number" if _NUMBER.match(value) else kind_of.get(value)


def swaps_a_value(text: str) -> bool:
    """Whether the message puts a value right as "X not Y": two different values of one kind (two months,
    two numbers, yes and no) either side of "not", a word repeating the first value's allowed after it; or as
    "I said X ... but Y" (`_given_but`)."""
    kind_of, repeated, given, where, turns = _load()
    words = match_key(text).split()
    if _given_but(words, kind_of, given, where, turns):
        return True
    for i, word in enumerate(words):
        if word != "not" or i == 0:
            continue
        after = words[i + 1 :]
        while after and after[0] in repeated and len(after) > 1:
            after = after[1:]
        for before, later in ((words[i - 1], after[:1]), (" ".join(words[max(i - 2, 0) : i]), after[:2])):
            second = " ".join(later)
            kind = _kind(before, kind_of)
            if kind is not None and before != second and _kind(second, kind_of) == kind:
                return True
    return False


# How far apart the parts of "i said X ... but ... Y" may be: "i said yes to the earlier one but it should be
# a no" has four words between the first value and "but", four between "but" and the second.
_GAP = 4


def _given_but(
    words: list[str],
    kind_of: dict[str, str],
    given: frozenset[str],
    where: frozenset[str],
    turns: frozenset[str],
) -> bool:
    """Whether the writer names a value they gave and, after a turn ("but", "actually"), another of its
    kind: "i said 14 earlier but hes 15", "i put no for that one but it should be a yes", "i put she was 12,
    shes actually 13". Only the writer's own answer ("i said"), followed up to the turn only by where it was
    given ("earlier", "to the first one") or whom it was about ("shes"): "mum said 9 but dad said 10" tells
    of others, "i put 2 bags in the locker but only 1 came back" of something else."""
    for i in range(len(words) - 1):
        if " ".join(words[i : i + 2]) not in given:
            continue
        for j in range(i + 2, min(i + 3 + _GAP, len(words))):
            kind = _kind(words[j], kind_of)
            if kind is None:
                continue
            rest = words[j + 1 : j + 2 + _GAP]
            turn = next((w for w in rest if w in turns), None)
            if turn is None:
                continue
            k = j + 1 + rest.index(turn)
            if not set(words[j + 1 : k]) <= where:
                continue
            later = words[k + 1 : k + 2 + _GAP]
            if any(_kind(w, kind_of) == kind and w != words[j] for w in later):
                return True
    return False
