"""Stand-ins for Microsoft's side of a Teams conversation, each a real aiohttp server on 127.0.0.1.

`Authority` serves OpenID metadata and a keys document for a test RSA key pair and counts how often each is
fetched; `Connector` is a Bot Connector recording every reply and serving a client-credentials token endpoint.
`mint` and `message` write the tokens and Activities that the real Bot Framework would send.
"""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import jwt
from aiohttp import web
from aiohttp.test_utils import TestServer
from cryptography.hazmat.primitives.asymmetric import rsa

APP_ID = "00000000-0000-4000-8000-00000000a99d"
TENANT = "11111111-2222-4333-8444-555555555555"
FOREIGN_TENANT = "99999999-2222-4333-8444-555555555555"
AAD_OBJECT_ID = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee"
ISSUER = "https://api.botframework.com"
KID = "test-key-1"
BOT_ID = "28:" + APP_ID
CONNECTOR_TOKEN = "connector-token-from-the-fake-token-endpoint"

# post(activity, token=None) -> response: an Activity posted to /api/messages (see conftest.post)
Post = Callable[..., Any]


def new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def jwk(key: rsa.RSAPrivateKey, kid: str, endorsements: list[str] | None = None) -> dict[str, Any]:
    document = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
    document.update(kid=kid, use="sig")
    if endorsements is not None:
        document["endorsements"] = endorsements
    return document


class Server:
    """A real aiohttp server on a free loopback port."""

    def __init__(self) -> None:
        self.server: TestServer | None = None

    def routes(self, app: web.Application) -> None:
        raise NotImplementedError

    @property
    def url(self) -> str:
        assert self.server is not None
        return f"http://127.0.0.1:{self.server.port}"

    async def start(self) -> None:
        app = web.Application()
        self.routes(app)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()

    async def stop(self) -> None:
        if self.server is not None:
            await self.server.close()
            self.server = None


class Authority(Server):
    def __init__(self) -> None:
        super().__init__()
        self.keys: list[dict[str, Any]] = []
        self.fetches: list[str] = []

    def routes(self, app: web.Application) -> None:
        app.router.add_get("/openid", self.openid)
        app.router.add_get("/keys", self.keys_document)

    async def openid(self, _request: web.Request) -> web.Response:
        self.fetches.append("openid")
        return web.json_response({"issuer": ISSUER, "jwks_uri": f"{self.url}/keys"})

    async def keys_document(self, _request: web.Request) -> web.Response:
        self.fetches.append("keys")
        return web.json_response({"keys": self.keys})


@dataclass
class Reply:
    conversation_id: str
    activity_id: str
    authorization: str
    body: dict[str, Any]


class Connector(Server):
    def __init__(self) -> None:
        super().__init__()
        self.replies: list[Reply] = []
        self.token_requests: list[tuple[str, dict[str, str]]] = []

    def routes(self, app: web.Application) -> None:
        app.router.add_post("/v3/conversations/{cid:.+}/activities/{aid:.+}", self.reply)
        app.router.add_post("/v3/conversations/{cid:.+}/activities", self.reply)
        app.router.add_post("/{tenant}/oauth2/v2.0/token", self.token)

    async def reply(self, request: web.Request) -> web.Response:
        self.replies.append(
            Reply(
                request.match_info["cid"],
                request.match_info.get("aid", ""),
                request.headers.get("Authorization", ""),
                await request.json(),
            )
        )
        return web.json_response({"id": str(uuid.uuid4())})

    async def token(self, request: web.Request) -> web.Response:
        form = await request.post()
        self.token_requests.append((request.match_info["tenant"], {k: str(v) for k, v in form.items()}))
        return web.json_response(
            {"token_type": "Bearer", "expires_in": 3599, "access_token": CONNECTOR_TOKEN}
        )

    def texts(self) -> list[str]:
        return [r.body.get("text", "") for r in self.replies]

    def cards(self) -> list[dict[str, Any]]:
        return [a["content"] for r in self.replies for a in r.body.get("attachments", [])]


@dataclass
class Minter:
    """Writes Bot Framework tokens; every claim and header can be overridden (None removes it)."""

    key: rsa.RSAPrivateKey
    service_url: str
    kid: str = KID
    extra: dict[str, Any] = field(default_factory=dict)

    def claims(self, **overrides: Any) -> dict[str, Any]:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": ISSUER,
            "aud": APP_ID,
            "exp": now + 600,
            "nbf": now - 60,
            "serviceurl": self.service_url,
        }
        claims.update(overrides)
        return {k: v for k, v in claims.items() if v is not None}

    def token(self, *, key: rsa.RSAPrivateKey | None = None, kid: str | None = None, **claims: Any) -> str:
        return jwt.encode(
            self.claims(**claims), key or self.key, algorithm="RS256", headers={"kid": kid or self.kid}
        )

    def unsigned(self, **claims: Any) -> str:
        """alg "none": a token anyone could write."""
        header = _b64({"alg": "none", "typ": "JWT", "kid": self.kid})
        return f"{header}.{_b64(self.claims(**claims))}."

    def hs256(self, secret: bytes, **claims: Any) -> str:
        return jwt.encode(self.claims(**claims), secret, algorithm="HS256", headers={"kid": self.kid})


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def message(
    service_url: str, text: str | None = None, *, value: Any = None, **overrides: Any
) -> dict[str, Any]:
    """A Teams message Activity from the linked practitioner, in a one-to-one chat."""
    activity: dict[str, Any] = {
        "type": "message",
        "id": str(uuid.uuid4()),
        "timestamp": "2026-12-01T10:00:00.000Z",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": "29:user-id", "name": "A Practitioner", "aadObjectId": AAD_OBJECT_ID},
        "conversation": {"id": "a:1personal-chat-id;x=y", "conversationType": "personal", "tenantId": TENANT},
        "recipient": {"id": BOT_ID, "name": "Assessment bot"},
        "channelData": {"tenant": {"id": TENANT}},
        "locale": "en-GB",
    }
    if text is not None:
        activity["text"] = text
    if value is not None:
        activity["value"] = value
    activity.update(overrides)
    return activity
