"""Redis key names: a fixed prefix per concern and a keyed hash of anything a person typed or carries."""

from __future__ import annotations

import hashlib
import math

PREFIX = "bot:"


def hashed(secret: bytes, value: str) -> str:
    """A keyed hash, so that a copy of Redis names no session id, account name or address."""
    return hashlib.blake2b(value.encode(), key=secret[:64], digest_size=20).hexdigest()


def ttl(seconds: float) -> int:
    """Whole seconds for EXPIRE, never below one (Redis refuses 0), rounded up with a second to spare."""
    return max(1, math.ceil(seconds) + 1)
