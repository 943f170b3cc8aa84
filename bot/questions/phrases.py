"""How practitioners actually type short answers, and one way of comparing them.

Kept apart from the parsers so the loader can refuse a choice label that could never be picked (a label
"Not sure" would always be read as the universal "not sure"), using exactly the comparison the parser uses.
Only ever used for matching: the text a practitioner typed is stored as typed, elsewhere.
"""

from __future__ import annotations

import re

_APOSTROPHES = str.maketrans({"’": "", "‘": "", "'": "", "`": ""})
_SPACES = re.compile(r"\s+")


def match_key(text: str) -> str:
    """Case, apostrophes, punctuation and spacing removed: "Don’t know." and "dont  know" compare equal."""
    folded = text.casefold().replace("&", " and ").translate(_APOSTROPHES)
    return _SPACES.sub(" ", "".join(ch if ch.isalnum() else " " for ch in folded)).strip()


def _keys(*phrases: str) -> frozenset[str]:
    return frozenset(match_key(phrase) for phrase in phrases)


UNSURE_PHRASES = _keys(
    "unsure", "not sure", "im not sure", "i'm not sure", "not sure yet", "i am not sure", "not certain",
    "dunno", "don't know", "dont know", "do not know", "i don't know", "i do not know", "don't know yet",
    "idk", "no idea", "no clue", "not known", "unknown", "n/a", "na", "not applicable",
    "can't say", "cannot say", "can't tell", "cannot tell", "hard to say", "not sure tbh",
)  # fmt: skip

YES_PHRASES = _keys(
    "yes", "y", "yeah", "yea", "yep", "yup", "ya", "aye", "yes please", "yes definitely", "definitely",
    "absolutely", "correct", "that's right", "thats right", "true", "sure", "i think so", "yes they have",
    "yes he has", "yes she has", "yes they did", "yes it is", "certainly",
)  # fmt: skip

NO_PHRASES = _keys(
    "no", "n", "nope", "nah", "no way", "not at all", "never", "negative", "false", "no they haven't",
    "no he hasn't", "no she hasn't", "not that i know of", "not as far as i know", "no not that i know of",
    "definitely not", "i don't think so", "dont think so", "none",
)  # fmt: skip

# "Maybe" is a fair answer to a yes/no question, and it means "not sure"; to a free-text question it might
# be the whole answer, so it is only read this way for yes/no.
MAYBE_PHRASES = _keys("maybe", "possibly", "perhaps", "might be", "sort of", "kind of", "partly", "a bit")

# "Yes, twice last week" and "No - he hasn't": a yes or no first, then more words.
_LEADING_ANSWER = re.compile(
    r"^(?P<word>yes|yeah|yep|yup|no|nope|nah)(?:\s*[,.;:!\-–—]|\s+(?:he|she|they|i|we|it|there|that)\b)",
    re.IGNORECASE,
)


def leading_yes_no(text: str) -> str | None:
    match = _LEADING_ANSWER.match(text.strip())
    if not match:
        return None
    return "no" if match["word"].lower() in ("no", "nope", "nah") else "yes"


_UNITS = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
]  # fmt: skip
NUMBER_WORDS: dict[str, int] = {word: n for n, word in enumerate(_UNITS)}
NUMBER_WORDS.update({"twenty": 20, "a": 1, "an": 1, "a couple of": 2, "couple of": 2})
for _n, _unit in enumerate(_UNITS[1:10], start=1):
    NUMBER_WORDS[f"twenty {_unit}"] = 20 + _n


def read_count(text: str) -> int | None:
    """A small whole number written as digits or words ("3", "three", "twenty one", "a couple of")."""
    key = match_key(text)
    if key.isdecimal() and len(key) <= 4:
        return int(key)
    return NUMBER_WORDS.get(key)
