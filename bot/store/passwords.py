"""Password hashing with argon2id, the OWASP-recommended default.

A missing user is checked against a dummy hash so that "no such user" and "wrong password" take about as long,
and do not tell an attacker which usernames exist.

The hashing cost is a process-wide policy, chosen once by the composition root (the app, the CLI) from
`Settings.password_hashing`: production always uses argon2's standard parameters (about 100 ms a hash, on
purpose). The test profile (`BOT_PASSWORD_HASHING=insecure-fast-for-tests`, set only by the test
configuration) uses the smallest parameters argon2 accepts, because the suite creates thousands of users.
Verifying reads the parameters from the stored hash itself, so either profile verifies hashes made by the
other, and a hash made with the test profile is rehashed at the next sign-in under the standard one.
"""

from __future__ import annotations

import hashlib
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

HashingProfile = Literal["standard", "insecure-fast-for-tests"]
HASHING_PROFILES: tuple[HashingProfile, ...] = ("standard", "insecure-fast-for-tests")

_PROFILES: dict[HashingProfile, PasswordHasher] = {
    "standard": PasswordHasher(),
    "insecure-fast-for-tests": PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
}
_hasher = _PROFILES["standard"]
_dummy: dict[int, str] = {}


def use_hashing(profile: HashingProfile) -> None:
    """Choose the hashing cost for this process (see the module's note)."""
    global _hasher
    _hasher = _PROFILES[profile]


def hashing_in_use() -> HashingProfile:
    return next(name for name, hasher in _PROFILES.items() if hasher is _hasher)


def _dummy_hash() -> str:
    key = id(_hasher)
    if key not in _dummy:
        _dummy[key] = _hasher.hash("not a real password; used to even out timing")
    return _dummy[key]


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def credential_stamp(password_hash: str) -> str:
    """What a signed-in session remembers of the password it began under (bot.web.sessions): a digest of the
    stored hash, never the hash. A new password, changed or set by a reset link, gives a new stamp, so every
    other session of the account ends at its next request. A rehash at sign-in under new hashing parameters
    counts too, once: the safe direction."""
    return hashlib.sha256(password_hash.encode()).hexdigest()
