"""The second factor for local passwords (issue #32): who must have one, and the shape of its codes.

Leads, coordinators and admins reach case decisions, every team's figures or every account, so a guessed or
reused password alone must not be enough for them; practitioners and trainers may opt in. Signing in through
the organisation's identity provider (OpenID Connect) leaves the second factor to that provider.
"""

from __future__ import annotations

import enum
import re

from bot.domain.roles import Role, as_role

REQUIRED_ROLES: frozenset[Role] = frozenset({Role.LEAD, Role.COORDINATOR, Role.ADMIN})
# RFC 6238 as every authenticator app reads it: SHA-1, six digits, a new code every 30 seconds.
CODE_DIGITS = 6
STEP_SECONDS = 30
# A code from the step before or after is still taken: a phone's clock a little off, or a slow typist.
STEPS_EITHER_SIDE = 1
RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_GROUPS = 3  # xxxx-xxxx-xxxx, lower-case letters and digits: about 62 bits each
RECOVERY_GROUP_CHARS = 4
ISSUER = "Safeguarding assessment"  # what the authenticator app lists the account under

_SPACING = re.compile(r"[\s-]+")


class FactorState(enum.StrEnum):
    NONE = "none"  # never set up, or reset by an admin
    PENDING = "pending"  # a secret made for set-up, not yet confirmed with a code
    ENROLLED = "enrolled"


def required_for(role: str | Role | None) -> bool:
    known = as_role(role) if role is not None else None
    return known in REQUIRED_ROLES


def may_opt_in(role: str | Role | None) -> bool:
    """Practitioners and trainers: offered a second factor from the account navigation, never made to."""
    return role is not None and as_role(role) is not None and not required_for(role)


def normalise_code(text: str) -> str:
    """What was typed, without spaces or hyphens and in lower case: "123 456" and "ABCD-efgh-2345" both
    count as typed."""
    return _SPACING.sub("", text).casefold()


def is_one_time_code(text: str) -> bool:
    return len(text) == CODE_DIGITS and text.isascii() and text.isdigit()
