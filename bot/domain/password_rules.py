"""Whether a new password is too easy to guess: the bundled list of common passwords and a few rules.

Why here, and asked at every place a password is set (an account made, a password changed, a reset link
used): a 12-character minimum alone let `abcdefghijkl` and `Password1234` through (issue #32). There is no
internet access to ask a breach service, so the list ships with the code (`common_passwords.txt`, data not
code: extend it there). A password is refused when its core (the digits and symbols at either end taken off,
common letter-for-digit swaps undone) is on the list or is a repetition of a listed word; when it is one
character, one short unit repeated, a keyboard run or a run of the alphabet or digits; or when it contains
the person's own sign-in name. Each refusal says what to do instead, never which rule matched in detail.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

LIST_FILE = Path(__file__).with_name("common_passwords.txt")
ADVICE = "choose a passphrase of three or four unrelated words instead"
_ENDS = re.compile(r"^[^a-z]+|[^a-z]+$")
_SWAPS = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
# Rows of a UK keyboard and the runs of letters and digits: a password lying along one of them (either way,
# wrapping round) is a walk along the keys, not a secret.
_RUNS = ("qwertyuiopasdfghjklzxcvbnm", "abcdefghijklmnopqrstuvwxyz", "0123456789", "1qaz2wsx3edc4rfv5tgb")
_SHORTEST_NAME = 4  # shorter sign-in names ("al", "sam") are too common inside ordinary words to refuse


@cache
def common_passwords() -> frozenset[str]:
    lines = LIST_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def weak_password_problem(password: str, username: str | None = None) -> str | None:
    """Why `password` is too easy to guess, as a message for the person choosing it, or None."""
    folded = password.casefold()
    compact = re.sub(r"\s+", "", folded)
    if username and len(username) >= _SHORTEST_NAME and username.casefold() in compact:
        return f"must not contain your sign-in name; {ADVICE}"
    if len(set(compact)) <= 3 or _repeats_short_unit(compact):
        return f"is too easy to guess (the same few characters again and again); {ADVICE}"
    if _along_a_run(compact) or _along_a_run(_ENDS.sub("", compact)):
        return f"is too easy to guess (a run of letters, digits or keys); {ADVICE}"
    core = _ENDS.sub("", _ENDS.sub("", compact).translate(_SWAPS))
    listed = common_passwords()
    if not core or core in listed or _repetition_of(core, listed):
        return f"is on the list of common and leaked passwords; {ADVICE}"
    return None


def _repeats_short_unit(text: str) -> bool:
    """True when `text` is one unit of at most four characters over and over ("abcabcabcabc")."""
    return any(len(text) % size == 0 and text == text[:size] * (len(text) // size) for size in range(1, 5))


def _along_a_run(text: str) -> bool:
    if len(text) < 4:
        return False
    for run in _RUNS:
        looped = run * (len(text) // len(run) + 2)  # wrapping round: "opqrstuvwxyzab" too
        if text in looped or text[::-1] in looped:
            return True
    return False


def _repetition_of(core: str, listed: frozenset[str]) -> bool:
    """True when `core` is a listed word said again ("passwordpassword"), however many times."""
    for size in range(1, len(core) // 2 + 1):
        if len(core) % size == 0 and core == core[:size] * (len(core) // size) and core[:size] in listed:
            return True
    return False
