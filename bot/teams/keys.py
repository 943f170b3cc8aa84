"""Bot Framework signing keys: OpenID metadata, then its `jwks_uri`, fetched on first use and cached.

Never fetched at start-up, so the app starts offline. The cache is refreshed after `ttl` seconds, and when a
token names a key id we do not hold (Microsoft rotates keys), but at most once per `min_refresh` seconds, so
tokens with made-up key ids cannot make us hammer Microsoft. If a refresh fails while we still hold keys, the
old keys keep working: Microsoft publishes new keys well before signing with them.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
import jwt

log = logging.getLogger(__name__)

DEFAULT_TTL_SECONDS = 24 * 60 * 60
DEFAULT_MIN_REFRESH_SECONDS = 5 * 60
MAX_DOCUMENT_BYTES = 1024 * 1024


class KeysUnavailable(Exception):
    """No keys could be fetched, so no token can be checked right now."""


@dataclass(frozen=True)
class SigningKey:
    kid: str
    key: Any  # a cryptography RSA public key
    endorsements: frozenset[str]


FetchJson = Callable[[str], Awaitable[Any]]


class SigningKeys:
    def __init__(
        self,
        openid_url: str,
        fetch_json: FetchJson,
        *,
        ttl: float = DEFAULT_TTL_SECONDS,
        min_refresh: float = DEFAULT_MIN_REFRESH_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._openid_url = openid_url
        self._fetch_json = fetch_json
        self._ttl = ttl
        self._min_refresh = min_refresh
        self._clock = clock
        self._keys: dict[str, SigningKey] | None = None
        self._fetched_at = 0.0
        self._attempted_at: float | None = None
        self._lock = asyncio.Lock()

    async def get(self, kid: str) -> SigningKey | None:
        """The key named `kid`, or None when Microsoft does not publish it (even after one refresh)."""
        async with self._lock:  # one fetch at a time; the others then find the fresh keys
            now = self._clock()
            recently = self._attempted_at is not None and now - self._attempted_at < self._min_refresh
            if self._keys is None:
                await self._refresh(now)  # nothing to check with yet: try on every request (one at a time)
            elif (now - self._fetched_at >= self._ttl or kid not in self._keys) and not recently:
                await self._refresh(now)
            if self._keys is None:
                raise KeysUnavailable("the Bot Framework signing keys could not be fetched")
            return self._keys.get(kid)

    async def _refresh(self, now: float) -> None:
        self._attempted_at = now
        try:
            metadata = await self._fetch_json(self._openid_url)
            jwks_uri = metadata.get("jwks_uri") if isinstance(metadata, dict) else None
            if not isinstance(jwks_uri, str) or not jwks_uri.startswith(("https://", "http://")):
                raise ValueError("the OpenID metadata has no usable jwks_uri")
            keys = parse_jwks(await self._fetch_json(jwks_uri))
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            log.warning("could not refresh the Bot Framework signing keys: %s", error)
            return
        self._keys, self._fetched_at = keys, now


def parse_jwks(document: Any) -> dict[str, SigningKey]:
    """RSA keys by id; a key without endorsements is kept but can endorse no channel."""
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError("the keys document has no list of keys")
    keys: dict[str, SigningKey] = {}
    for entry in document["keys"]:
        if not isinstance(entry, dict) or entry.get("kty") != "RSA" or not isinstance(entry.get("kid"), str):
            continue
        endorsements = entry.get("endorsements")
        if not isinstance(endorsements, list):
            endorsements = []
        try:
            public_key = jwt.PyJWK(entry, algorithm="RS256").key
        except (jwt.PyJWKError, jwt.InvalidKeyError, ValueError, TypeError) as error:
            log.warning("skipped an unusable signing key %r: %s", entry.get("kid"), error)
            continue
        keys[entry["kid"]] = SigningKey(
            entry["kid"], public_key, frozenset(e for e in endorsements if isinstance(e, str))
        )
    return keys
