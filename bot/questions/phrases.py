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
    # How people say it when they type freely: hedged, British, misspelt (issue #11).
    "i'm not certain", "i am not certain", "not 100% sure", "not 100 percent sure", "not totally sure",
    "not entirely sure", "not completely sure", "not really sure", "not too sure", "not so sure",
    "not quite sure", "i'm unsure", "i am unsure", "i've no idea", "i have no idea", "got no idea",
    "i've got no idea", "not a clue", "haven't a clue", "haven't got a clue", "i haven't a clue",
    "i haven't got a clue", "not got a clue", "i have no clue", "haven't the foggiest", "not the foggiest",
    "no idea whatsoever", "can't be sure", "cannot be sure", "i can't be sure", "i can't say", "i cannot say",
    "couldn't say", "i couldn't say", "couldn't tell you", "i couldn't tell you", "can't tell you",
    "can't remember", "i can't remember", "don't remember", "i don't remember", "can't recall",
    "i can't recall", "don't recall", "i don't recall", "who knows", "beats me", "search me", "god knows",
    "goodness knows", "nobody knows", "no one knows", "we don't know", "we do not know", "not known yet",
    "hard to tell", "difficult to say", "difficult to tell", "i'd be guessing", "i would be guessing",
    "i really don't know",
    "i honestly don't know", "i genuinely don't know", "i just don't know", "i don't really know",
    "don't really know", "i dunno", "dno", "dnt know", "dont kno", "dont knw", "don't no", "i dont no",
    "idek",
    "not shure", "not sur", "nt sure", "not suer", "notsure", "unsre", "unsur", "noidea",
    "not sure about that", "not sure about this one", "don't know that", "i don't know that",
    "i don't know this one", "don't know this one", "no idea about that", "don't have that information",
    "i don't have that information", "i don't have that info", "don't have that info", "need to check",
    "i need to check", "i'd need to check", "i would need to check", "need to find out", "i need to find out",
    "still finding out", "tbc", "to be confirmed", "not found out yet", "haven't found out",
    # Round two (issue #11): blunt, British and texted.
    "i wouldn't know", "wouldn't know", "i wouldn't have a clue", "wouldn't have a clue",
    "couldn't tell ya", "i couldn't tell ya", "can't tell ya", "not a scooby", "haven't a scooby",
    "haven't got a scooby", "no scooby", "not the foggiest idea", "i haven't the foggiest", "no clue at all",
    "not got the foggiest", "haven't got the foggiest", "i haven't got the foggiest", "no idea at all",
    "not sure at all", "unsure of that", "not sure of that", "not sure on that", "no knowledge of that",
    "don't know for sure", "i don't know for sure", "don't know for certain", "i don't know for certain",
    "not something i know", "that i don't know", "i don't know the answer", "don't know the answer",
    "no way of knowing", "i've no way of knowing", "haven't been told", "i haven't been told",
    "no one's told me", "nobody's told me", "can't answer that", "i can't answer that", "cannot answer that",
    "i'm not in a position to say", "not in a position to say",
    "don't know as yet", "dunno yet", "no idea yet",
)  # fmt: skip

# Words around a "not sure" that change nothing: "honestly, I can't say for sure tbh" is "not sure". Only
# stripped from the ends of a message, and only where what is left is itself one of the phrases above.
_UNSURE_LEADING = _keys(
    "honestly", "to be honest", "tbh", "sorry", "im sorry", "um", "umm", "erm", "er", "uh", "hmm", "hmmm",
    "well", "oh", "ah", "really", "genuinely", "truthfully", "ok", "okay", "no", "nope", "i", "im afraid",
    "afraid", "to be fair", "tbf", "sadly", "unfortunately", "at the moment", "right now", "at this stage",
    "im", "i am", "cant answer that", "i cant answer that", "cant say", "to be truthful", "in all honesty",
    "gosh", "ooh", "oof", "sorry but", "well honestly", "no sorry", "err", "ermm", "lol",
    # A hedge before the "not sure" (issue #11): "maybe, not certain" is still not sure.
    "maybe", "perhaps", "possibly", "probably", "hmm maybe", "i guess", "guess", "kind of", "sort of",
)  # fmt: skip
_UNSURE_TRAILING = _keys(
    "tbh", "to be honest", "honestly", "sorry", "im sorry", "really", "at all", "at the moment", "atm",
    "right now", "yet", "as yet", "for sure", "for certain", "100", "100 percent", "mate", "im afraid",
    "i am afraid", "though", "either", "at this point", "at this stage", "currently", "to be fair", "tbf",
    "i think", "sorry about that", "off the top of my head", "now", "exactly", "precisely",
    "for definite", "unfortunately", "sadly", "still", "just now", "either way", "on that", "on this",
    "about that", "about this", "about it", "with that", "on that one", "on this one",
    "about that one", "about this one", "with this one", "with that one", "for this one", "for that one",
    "off hand", "offhand", "ya", "lol", "sorry mate", "soz", "sry", "to be truthful", "in all honesty",
    "on this question", "for now", "at present", "at the minute",
)  # fmt: skip


# Words inside a "not sure" that change nothing: "i don't actually know", "i honestly have no idea". Only ever
# taken out when what is left is one of the phrases above.
_UNSURE_INNER = frozenset({"actually", "really", "honestly", "genuinely", "truly", "just", "even", "totally"})


def is_unsure(key: str) -> bool:
    """Whether a match key says "not sure": one of UNSURE_PHRASES, perhaps with filler words around it."""
    words = tuple(key.split())
    if _unsure_words(words, depth=4):
        return True
    inner = tuple(w for w in words if w not in _UNSURE_INNER)
    return bool(inner) and inner != words and _unsure_words(inner, depth=4)


def _unsure_words(words: tuple[str, ...], depth: int) -> bool:
    if " ".join(words) in UNSURE_PHRASES:
        return True
    if depth == 0 or len(words) < 2:
        return False
    for n in range(1, min(len(words) - 1, 4) + 1):
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
