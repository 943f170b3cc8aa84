"""The OpenID Connect relying party (issue #32): authorization code flow with PKCE (S256), state and nonce.

Tokens and keys are joserfc's work (signature, algorithm, claims), never code of ours. The provider's
discovery document and keys are fetched when first needed and kept; an ID token signed with a key not yet
known makes the keys be fetched once more (a provider rotating its keys), and then a failure is a refusal.
"""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote_plus, urlencode

import aiohttp
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from bot.oidc_config import OidcConfig

SIGNING_ALGORITHMS = ["RS256", "PS256", "ES256"]
LEEWAY_SECONDS = 60  # clocks differ a little between the provider and us
TIMEOUT = aiohttp.ClientTimeout(total=10)


class OidcRefused(Exception):
    """The sign-in cannot go on; `why` is a short code for the audit trail, never shown as a reason."""

    def __init__(self, why: str) -> None:
        super().__init__(why)
        self.why = why


@dataclass(frozen=True)
class Attempt:
    """What one sign-in keeps in the session between leaving for the provider and coming back."""

    state: str
    nonce: str
    verifier: str

    def as_dict(self) -> dict[str, str]:
        return {"state": self.state, "nonce": self.nonce, "verifier": self.verifier}

    @staticmethod
    def new() -> Attempt:
        return Attempt(secrets.token_urlsafe(32), secrets.token_urlsafe(32), secrets.token_urlsafe(64))


def challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


class OidcClient:
    def __init__(self, config: OidcConfig) -> None:
        self.config = config
        self._discovery: dict[str, Any] | None = None
        self._keys: KeySet | None = None
        # Nonces of ID tokens already accepted, until the token would have expired: one token, one sign-in.
        self._used_nonces: dict[str, float] = {}

    async def _get_json(self, url: str) -> dict[str, Any]:
        try:
            async with aiohttp.ClientSession(timeout=TIMEOUT) as http, http.get(url) as response:
                response.raise_for_status()
                body = await response.json()
        except (aiohttp.ClientError, TimeoutError, ValueError):
            raise OidcRefused("provider-unreachable") from None
        if not isinstance(body, dict):
            raise OidcRefused("provider-answer-malformed")
        return body

    async def discovery(self) -> dict[str, Any]:
        if self._discovery is None:
            document = await self._get_json(self.config.issuer + "/.well-known/openid-configuration")
            # The document must be the issuer's own (OpenID Connect Discovery 1.0, section 4.3).
            if document.get("issuer") != self.config.issuer:
                raise OidcRefused("discovery-issuer-mismatch")
            self._discovery = document
        return self._discovery

    async def authorize_url(self, attempt: Attempt) -> str:
        endpoint = (await self.discovery())["authorization_endpoint"]
        query = {
            "response_type": "code",
            "client_id": self.config.client_id,
            "redirect_uri": self.config.redirect_uri,
            "scope": " ".join(self.config.scopes),
            "state": attempt.state,
            "nonce": attempt.nonce,
            "code_challenge": challenge(attempt.verifier),
            "code_challenge_method": "S256",
        }
        return f"{endpoint}?{urlencode(query)}"

    async def exchange(self, code: str, verifier: str) -> str:
        """The ID token for this code; the provider checks the PKCE verifier against the challenge."""
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": self.config.redirect_uri,
            "code_verifier": verifier,
        }
        # client_secret_basic (RFC 6749, 2.3.1): each part form-encoded before the base64, so a secret with
        # a ":" or "%" (Entra ID's often have them) survives.
        pair = f"{quote_plus(self.config.client_id)}:{quote_plus(self.config.client_secret)}"
        auth = {"Authorization": "Basic " + base64.b64encode(pair.encode("utf-8")).decode("ascii")}
        endpoint = (await self.discovery())["token_endpoint"]
        try:
            async with (
                aiohttp.ClientSession(timeout=TIMEOUT) as http,
                http.post(endpoint, data=form, headers=auth) as response,
            ):
                body = await response.json() if response.status == 200 else None
        except (aiohttp.ClientError, TimeoutError, ValueError):
            raise OidcRefused("token-endpoint-unreachable") from None
        if not isinstance(body, dict) or not isinstance(body.get("id_token"), str):
            raise OidcRefused("token-refused")
        return body["id_token"]

    async def _key_set(self, refresh: bool) -> KeySet:
        if self._keys is None or refresh:
            self._keys = KeySet.import_key_set(await self._get_json((await self.discovery())["jwks_uri"]))
        return self._keys

    async def verify(self, id_token: str, nonce: str) -> dict[str, Any]:
        """The ID token's claims once its signature, issuer, audience, expiry and nonce hold."""
        try:
            token = jwt.decode(id_token, await self._key_set(False), algorithms=SIGNING_ALGORITHMS)
        except JoseError:
            try:  # perhaps a key the provider has just rotated in: fetch the keys once more
                token = jwt.decode(id_token, await self._key_set(True), algorithms=SIGNING_ALGORITHMS)
            except JoseError:
                raise OidcRefused("bad-signature") from None
        claims = token.claims
        registry = jwt.JWTClaimsRegistry(
            leeway=LEEWAY_SECONDS,
            iss={"essential": True, "value": self.config.issuer},
            aud={"essential": True, "value": self.config.client_id},
            exp={"essential": True},
            sub={"essential": True},
            nonce={"essential": True, "value": nonce},
        )
        try:
            registry.validate(claims)
        except JoseError as problem:
            raise OidcRefused(f"claim-{getattr(problem, 'claim', None) or problem.error}") from None
        now = time.time()
        self._used_nonces = {n: until for n, until in self._used_nonces.items() if until > now}
        if nonce in self._used_nonces:
            raise OidcRefused("nonce-replayed")
        self._used_nonces[nonce] = float(claims["exp"]) + LEEWAY_SECONDS
        return claims
