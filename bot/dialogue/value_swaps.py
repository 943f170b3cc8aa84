"""An earlier answer put right as "X not Y" (issue #11): "it was september not october", "age 14 not 15",
"she's in year 9 not 10". No change word, no "wrong": the correction is in the two values of one kind either
side of "not". Read as a request to change an earlier answer (back, the way one is changed mid-assessment)
where the open question parses its answer (a message it reads as its own answer is still the answer:
bot.dialogue.plans.read_reply), and asked about at a free-text question (bot.dialogue.clarify). The kinds
are data: value_swaps.yaml.
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
def _load(path: Path = SWAPS_PATH) -> tuple[dict[str, str], frozenset[str]]:
    """Each listed value (as matched) with its kind, and the words that may repeat the first value's."""
    data = read_yaml(path, ValueSwapsError)
    if not isinstance(data, dict) or set(data) != {"kinds", "repeated"}:
        raise ValueSwapsError(f"{path}: expected exactly the keys 'kinds' and 'repeated'")
    kind_of: dict[str, str] = {}
    for kind, values in data["kinds"].items():
        if not isinstance(values, list) or not all(isinstance(v, str) and match_key(v) == v for v in values):
            raise ValueSwapsError(f"{path}: kinds.{kind} must be a list of values written as matched")
        kind_of |= {value: kind for value in values}
    repeated = data["repeated"]
    if not isinstance(repeated, list) or not all(isinstance(w, str) and match_key(w) == w for w in repeated):
        raise ValueSwapsError(f"{path}: repeated must be a list of words written as matched")
    return kind_of, frozenset(repeated)


def _kind(value: str, kind_of: dict[str, str]) -> str | None:
    return "number" if _NUMBER.match(value) else kind_of.get(value)


def swaps_a_value(text: str) -> bool:
    """Whether the message puts a value right as "X not Y": two different values of one kind (two months,
    two numbers, yes and no) either side of "not", a word repeating the first value's allowed after it."""
    kind_of, repeated = _load()
    words = match_key(text).split()
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
