"""Checking a Bot Framework request: the bearer token, then that it speaks for the activity it carries.

Everything that can be checked without the body (signature, algorithm, issuer, audience, lifetime) is checked
first, so an unauthenticated caller learns nothing from how we parse bodies. Then the token must match the
activity: its serviceUrl claim, an endorsement of the activity's channel on the signing key, and a tenant on
our allow-list. Any failure is an `AuthError` whose reason is short and safe to return (401).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import jwt

from bot.teams.activity import Activity
from bot.teams.keys import SigningKey, SigningKeys

ISSUER = "https://api.botframework.com"
ALGORITHMS = ["RS256"]  # never "none" or HS256: a symmetric "key" would be public knowledge
CLOCK_SKEW_SECONDS = 5 * 60
SERVICE_URL_CLAIMS = ("serviceurl", "serviceUrl")


class AuthError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class VerifiedToken:
    claims: dict[str, Any]
    key: SigningKey


def bearer_token(header: str | None) -> str:
    if not header:
        raise AuthError("missing Authorization header")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError("Authorization must be a Bearer token")
    return token.strip()


async def verify_token(token: str, keys: SigningKeys, app_id: str) -> VerifiedToken:
    """The token's claims, once its signature, algorithm, issuer, audience and lifetime are all right."""
    try:
        header = jwt.get_unverified_header(token)
    except jwt.InvalidTokenError:
        raise AuthError("malformed token") from None
    if header.get("alg") not in ALGORITHMS:
        raise AuthError("token algorithm not accepted")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise AuthError("token names no signing key")
    key = await keys.get(kid)
    if key is None:
        raise AuthError("unknown signing key")
    try:
        claims = jwt.decode(
            token,
            key.key,
            algorithms=ALGORITHMS,
            audience=app_id,
            issuer=ISSUER,
            leeway=CLOCK_SKEW_SECONDS,
            options={"require": ["exp", "iss", "aud"]},
        )
    except jwt.ExpiredSignatureError:
        raise AuthError("token expired") from None
    except jwt.ImmatureSignatureError:
        raise AuthError("token not yet valid") from None
    except jwt.InvalidAudienceError:
        raise AuthError("token audience is not this bot") from None
    except jwt.InvalidIssuerError:
        raise AuthError("token issuer not accepted") from None
    except jwt.InvalidTokenError:
        raise AuthError("invalid token") from None
    return VerifiedToken(claims, key)


def check_activity(verified: VerifiedToken, activity: Activity, allowed_tenants: tuple[str, ...]) -> None:
    """The token was issued for this activity's service, its key endorses this channel, and the tenant is
    one of ours."""
    urls = [verified.claims[name] for name in SERVICE_URL_CLAIMS if name in verified.claims]
    if not urls or any(not isinstance(url, str) or not _same_url(url, activity.service_url) for url in urls):
        raise AuthError("token serviceUrl does not match the activity")
    if activity.channel_id not in verified.key.endorsements:
        raise AuthError("signing key does not endorse this channel")
    tenants = {tenant.lower() for tenant in activity.tenant_ids}
    if len(tenants) != 1:
        raise AuthError("activity names no single tenant")
    if tenants.pop() not in allowed_tenants:
        raise AuthError("tenant not allowed")


def _same_url(left: str, right: str) -> bool:
    return left.rstrip("/") == right.rstrip("/")
