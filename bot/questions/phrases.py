"""How practitioners actually type short answers, and one way of comparing them.

Kept apart from the parsers so the loader can refuse a choice label that could never be picked (a label
"Not sure" would always be read as the universal "not sure"), using exactly the comparison the parser uses.
Only ever used for matching: the text a practitioner typed is stored as typed, elsewhere.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.domain.yaml_files import read_yaml

_APOSTROPHES = str.maketrans({"’": "", "‘": "", "'": "", "`": ""})
_SPACES = re.compile(r"\s+")


def match_key(text: str) -> str:
    """Case, apostrophes, punctuation and spacing removed: "Don’t know." and "dont  know" compare equal."""
    folded = text.casefold().replace("&", " and ").translate(_APOSTROPHES)
    return _SPACES.sub(" ", "".join(ch if ch.isalnum() else " " for ch in folded)).strip()


def _keys(*phrases: str) -> frozenset[str]:
    return frozenset(match_key(phrase) for phrase in phrases)


# How people say "not sure" (UNSURE_PHRASES), and the words around it that change nothing ("honestly, I can't
# say for sure tbh" is "not sure"; only stripped from the ends of a message, and only where what is left is
# itself a phrase): data in unsure_phrases.yaml, so a way of saying it is added without touching the parser.
UNSURE_PATH = Path(__file__).with_name("unsure_phrases.yaml")


def _phrase_lists(path: Path) -> dict[str, frozenset[str]]:
    data = read_yaml(path)
    wanted = ("phrases", "leading", "trailing", "reply_verbs", "not_a_reason", "knowledge_negations")
    if set(data) != set(wanted):
        raise ValueError(f"{path}: expected exactly the keys {', '.join(wanted)}")
    lists = {}
    for name in wanted:
        items = data[name]
        if not isinstance(items, list) or not all(isinstance(i, str) and match_key(i) for i in items):
            raise ValueError(f"{path}: {name} must be a list of non-empty phrases")
        lists[name] = _keys(*items)
    return lists


_UNSURE = _phrase_lists(UNSURE_PATH)
UNSURE_PHRASES = _UNSURE["phrases"]
_UNSURE_LEADING = _UNSURE["leading"]
_UNSURE_TRAILING = _UNSURE["trailing"]
_NOT_A_REASON = _UNSURE["not_a_reason"]
_KNOWLEDGE_NEGATIONS = _UNSURE["knowledge_negations"]
# Someone replying ("waiting to hear back", "she'll ring back"): this "back" is a reply, no going back, so it
# is the reason for not knowing, not a request. The control families read the same list.
REPLY_VERBS = _UNSURE["reply_verbs"]


# Words inside a "not sure" that change nothing: "i don't actually know", "i honestly have no idea". Only ever
# taken out when what is left is one of the phrases above.
_UNSURE_INNER = frozenset(
    {"actually", "really", "rly", "realy", "honestly", "genuinely", "truly", "just", "even", "totally"}
)


def is_unsure(key: str) -> bool:
    """Whether a match key says "not sure": one of UNSURE_PHRASES, perhaps with filler words around it."""
    words = tuple(key.split())
    if _unsure_words(words, depth=4):
        return True
    inner = tuple(w for w in words if w not in _UNSURE_INNER)
    if inner and inner != words and _unsure_words(inner, depth=4):
        return True
    # Two ways of saying it in one message ("not sure, would need to check", "dunno, hard to say"): each
    # half is itself "not sure", so the whole is; a half that says anything else ("not sure, skip") is not.
    return any(
        _unsure_words(words[:n], depth=2) and _unsure_words(words[n:], depth=2) for n in range(1, len(words))
    )


# "Not sure" with its reason after it ("not sure, her carer never mentioned it", "don't know - school hasn't
# told us"): the first clause says "not sure" and the rest, at most this many words, asks for nothing (no
# word of `not_a_reason`, so "not sure, skip it" stays a skip and "not sure, why do you ask" a question).
_CLAUSE_BREAK = re.compile(r"[,;:.!?\-–—(]+")
MAX_REASON_WORDS = 10


def opens_unsure(text: str) -> bool:
    """Whether `text` is "not sure" followed by its reason in a clause of its own. Read only where the
    question could not read the message otherwise (bot.questions.answers): "not sure, probably March" at a
    date question is still March."""
    first, _, rest = _CLAUSE_BREAK.sub("|", text, count=1).partition("|")
    reason = match_key(rest).split()
    if not reason or len(reason) > MAX_REASON_WORDS or not is_unsure(match_key(first)):
        return False
    return not _asks_for_something(reason)


# A reason that opens with one of these goes on to answer after all ("not sure, but she's been quieter since
# May"): at a free-text question that is the answer, hedged, not "not sure".
_HEDGED = frozenset({"but", "though", "although", "however", "except", "yet", "still"})


def opens_unsure_at_free_text(text: str) -> bool:
    """`opens_unsure` where any text is an answer: "not sure, would need to ask mum" tells the lead the
    practitioner does not know, and why, so it is "not sure" with its words kept; a reason that turns to an
    answer ("not sure, but ...") is the answer."""
    _, _, rest = _CLAUSE_BREAK.sub("|", text, count=1).partition("|")
    reason = match_key(rest).split()
    # opens_unsure needs a reason after the break, but say so here too rather than index an empty list
    return opens_unsure(text) and bool(reason) and reason[0] not in _HEDGED


# A message of the "not sure" family has at most this many words: past it, it is an account.
MAX_FAMILY_WORDS = 14


def negates_knowing(key: str) -> bool:
    """A short match key of the "not sure" family (`knowledge_negations`: "nobody has told me", "we don't
    know yet"): a word of uncertainty or a negation of knowing, asking for nothing. Read, like
    `opens_unsure`, only where the question could not read the message otherwise, and never where several
    options may be picked ("1 and not known" mixes an option with "not sure": refused, not guessed)."""
    words = key.split()
    if not words or len(words) > MAX_FAMILY_WORDS or _asks_for_something(words):
        return False
    padded = f" {key} "
    return any(f" {phrase} " in padded for phrase in _KNOWLEDGE_NEGATIONS)


_HELD_DOWN = re.compile(r"(.)\1+")


def _asks_for_something(words: list[str]) -> bool:
    """A word of `not_a_reason` ("skip", "why", "explain"), a held-down letter allowed ("skipp"): then the
    message asks for a control."""
    return any(
        not (w == "back" and i and words[i - 1] in REPLY_VERBS)
        and (
            w in _NOT_A_REASON
            or _HELD_DOWN.sub(r"\1", w) in _NOT_A_REASON
            or " ".join(words[i : i + 2]) in _NOT_A_REASON
        )
        for i, w in enumerate(words)
    )


def _unsure_words(words: tuple[str, ...], depth: int) -> bool:
    if " ".join(words) in UNSURE_PHRASES:
        return True
    if depth == 0 or len(words) < 2:
        return False
    for n in range(1, min(len(words) - 1, 6) + 1):
        if " ".join(words[:n]) in _UNSURE_LEADING and _unsure_words(words[n:], depth - 1):
            return True
        if " ".join(words[-n:]) in _UNSURE_TRAILING and _unsure_words(words[:-n], depth - 1):
            return True
    return False


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

# "Maybe" is a fair answer to a yes/no or choice question, and it means "not sure" (after the options' own
# labels, one of which may be "Partly"); to a free-text question it might be the whole answer, so it is
# only read this way where the bot parses the answer.
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
