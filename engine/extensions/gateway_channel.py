"""The engine's only input channel: Rasa's REST channel that takes messages only from our app.

Rasa's REST channel has no authentication: anyone who can reach the engine's port could post a message
under a practitioner's conversation id and drive their live draft (issue #30: a message posted straight to
the engine switched a draft to rehearsal). This channel behaves exactly like the REST channel our app
used (same payload, same list-of-messages answer), at /webhooks/gateway/webhook, and answers 401 to any
request whose body is not signed with BOT_ENGINE_TOKEN (signed_hop.py: an HMAC-SHA256 of the body with its
time and a nonce, so that a captured request can neither be altered nor sent again), before the message is
read. Why a request was refused is logged, never the request itself.

credentials.yml names it (`gateway_channel.GatewayInput`) with the token from the environment; bot.runtime
puts this folder on the engine's PYTHONPATH. It subclasses Rasa's channel through the documented
InputChannel extension point; nothing in Rasa is patched. Runs in the engine's Python 3.11 environment.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from signed_hop import HEADER, SignatureChecker

log = logging.getLogger(__name__)
# Rasa sets INFO on its own loggers only; ours would stay at the root's WARNING and drop the request id line.
log.setLevel(logging.INFO)

REQUEST_ID_HEADER = "X-Request-Id"  # as bot.request_ids.HEADER; the engine cannot import our package
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{7,63}")


def request_id(request: Request) -> str:
    """The app's id for this request when well formed, else "-": a header is never logged as sent."""
    given = request.headers.get(REQUEST_ID_HEADER) or ""
    return given if _SAFE_ID.fullmatch(given) else "-"


class GatewayInput(RestInput):
    """The REST channel behind signed requests: only our app (bot.chat.gateway) holds the key."""

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
        self._checker = SignatureChecker(token.encode())

    def authorised(self, request: Request) -> bool:
        problem = self._checker.problem(request.headers.get(HEADER), request.body or b"")
        if problem is not None:
            log.warning("gateway channel refused a request: %s", problem)
        return problem is None

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        channel = super().blueprint(on_new_message)

        # Blueprint middleware runs before each of this channel's routes (and only those), after Sanic has
        # read the body, so an unsigned message is refused before Rasa parses it or touches the tracker.
        @channel.middleware("request")
        async def require_signature(request: Request) -> HTTPResponse | None:
            if self.authorised(request):
                # The app's request id (bot.request_ids), so this line matches the app's and the action
                # server's for the same message; never the message, the sender or the signature.
                log.info("gateway message received, request id %s", request_id(request))
                return None
            return response.json({"error": "this channel takes messages only from the app"}, status=401)

        return channel
