"""Human-friendly assessment references such as A-7F3K2Q.

Short enough to read out on a phone call, random so they reveal nothing about volume or order, and drawn from
an alphabet without look-alikes (no 0/O, 1/I/L) so that they survive being written down by hand.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 6
PATTERN = re.compile(rf"A-[{ALPHABET}]{{{LENGTH}}}")


def new_reference(taken: Callable[[str], bool]) -> str:
    """A reference not yet `taken`; with 31**6 (about 887 million) choices a retry is rare."""
    while True:
        reference = "A-" + "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
        if not taken(reference):
            return reference
