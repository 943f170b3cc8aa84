"""The engine's only input channel: Rasa's REST channel that takes messages only from our app.

Rasa's REST channel has no authentication: anyone who can reach the engine's port could post a message
under a practitioner's conversation id and drive their live draft (issue #30: a message posted straight to
the engine switched a draft to rehearsal). This channel behaves exactly like the REST channel our app
used (same payload, same list-of-messages answer), at /webhooks/gateway/webhook, and answers 401 to any
request without `Authorization: Bearer <BOT_ENGINE_TOKEN>`, before the message is read.

credentials.yml names it (`gateway_channel.GatewayInput`) with the token from the environment; bot.runtime
puts this folder on the engine's PYTHONPATH. It subclasses Rasa's channel through the documented
InputChannel extension point; nothing in Rasa is patched. Runs in the engine's Python 3.10 environment.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

SCHEME = "Bearer "


class GatewayInput(RestInput):
    """The REST channel behind a shared token: only our app (bot.chat.gateway) holds it."""

    @classmethod
    def name(cls) -> str:
        return "gateway"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> GatewayInput:
        token = str((credentials or {}).get("token") or "").strip()
        if not token:
            # An empty token would let every request through: refuse to start instead.
            raise ValueError("the gateway channel needs a token: credentials.yml, token: ${BOT_ENGINE_TOKEN}")
        return cls(token)

    def __init__(self, token: str) -> None:
        self._token = token.encode()

    def authorised(self, request: Request) -> bool:
        header = request.headers.get("Authorization", "")
        if not header.startswith(SCHEME):
            return False
        # Constant time, so the token cannot be guessed a character at a time from response times.
        return hmac.compare_digest(header[len(SCHEME) :].strip().encode(), self._token)

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        channel = super().blueprint(on_new_message)

        # Blueprint middleware runs before each of this channel's routes (and only those), so an unsigned
        # message is refused before Rasa parses it or touches the conversation's tracker.
        @channel.middleware("request")
        async def require_token(request: Request) -> HTTPResponse | None:
            if self.authorised(request):
                return None
            return response.json({"error": "this channel takes messages only from the app"}, status=401)

        return channel
