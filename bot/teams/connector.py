"""Talking to Microsoft: fetching JSON documents, our app token, and posting replies to the Bot Connector.

The app token comes from the single-tenant client-credentials flow (new Azure bots are single-tenant; the old
multi-tenant botframework.com token address is retired) and is reused until shortly before it expires.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import aiohttp

from bot.teams.activity import Activity
from bot.teams.keys import MAX_DOCUMENT_BYTES

log = logging.getLogger(__name__)

BOT_FRAMEWORK_SCOPE = "https://api.botframework.com/.default"
TOKEN_MARGIN_SECONDS = 5 * 60


class ConnectorError(Exception):
    """A reply or token request failed; the message says which and why."""


class Http:
    """One ClientSession for everything the channel fetches, made on first use inside the running loop."""

    def __init__(self, timeout: float = 10.0) -> None:
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    @property
    def session(self) -> aiohttp.ClientSession:
        if self._session is None:
            self._session = aiohttp.ClientSession(timeout=self._timeout)
        return self._session

    async def get_json(self, url: str) -> Any:
        async with self.session.get(url) as response:
            if response.status != 200:
                raise aiohttp.ClientResponseError(
                    response.request_info, (), status=response.status, message="unexpected status"
                )
            body = await response.content.read(MAX_DOCUMENT_BYTES + 1)
            if len(body) > MAX_DOCUMENT_BYTES:
                raise ValueError(f"{url} answered with more than {MAX_DOCUMENT_BYTES} bytes")
            return _json(body)

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None


class AppToken:
    """Our bearer token for the Bot Connector, cached until `TOKEN_MARGIN_SECONDS` before it expires."""

    def __init__(
        self,
        http: Http,
        token_url: str,
        app_id: str,
        password: str,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._http, self._token_url, self._app_id, self._password = http, token_url, app_id, password
        self._clock = clock
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = asyncio.Lock()

    async def get(self) -> str:
        async with self._lock:
            if self._token is None or self._clock() >= self._expires_at:
                self._token, lifetime = await self._fetch()
                self._expires_at = self._clock() + max(lifetime - TOKEN_MARGIN_SECONDS, lifetime / 2)
            return self._token

    async def _fetch(self) -> tuple[str, float]:
        form = {
            "grant_type": "client_credentials",
            "client_id": self._app_id,
            "client_secret": self._password,
            "scope": BOT_FRAMEWORK_SCOPE,
        }
        try:
            async with self._http.session.post(self._token_url, data=form) as response:
                body = _json(await response.read())
                status = response.status
        except (aiohttp.ClientError, TimeoutError, ValueError) as error:
            raise ConnectorError(f"could not get a Bot Framework token: {error!r}") from error
        token = body.get("access_token") if isinstance(body, dict) else None
        lifetime = body.get("expires_in") if isinstance(body, dict) else None
        if status != 200 or not isinstance(token, str) or not isinstance(lifetime, int | float):
            # The body may name the problem (wrong secret, wrong tenant) but never holds the secret itself.
            error = body.get("error") if isinstance(body, dict) else None
            raise ConnectorError(f"the token endpoint answered HTTP {status} ({error or 'no token'})")
        return token, float(lifetime)


class Connector:
    def __init__(self, http: Http, token: AppToken) -> None:
        self._http = http
        self._token = token

    async def reply(self, to: Activity, reply: dict[str, Any]) -> None:
        """Post `reply` (text or attachments) into `to`'s conversation, as a reply to it."""
        url = f"{to.service_url.rstrip('/')}/v3/conversations/{quote(to.conversation_id, safe='')}/activities"
        if to.id:  # a reply to that activity; without an id, a new message in the conversation
            url += f"/{quote(to.id, safe='')}"
        activity = {
            "type": "message",
            "from": {"id": to.recipient_id},
            "recipient": {"id": to.from_id},
            "conversation": {"id": to.conversation_id},
            **({"replyToId": to.id} if to.id else {}),
            **reply,
        }
        await self._post(url, activity)

    async def send_to(
        self, service_url: str, conversation_id: str, bot_id: str, activity: dict[str, Any]
    ) -> None:
        """Post `activity` as a new message into a stored conversation (a proactive message: an urgent
        notice to a lead's personal chat), not as a reply to anything they sent."""
        url = f"{service_url.rstrip('/')}/v3/conversations/{quote(conversation_id, safe='')}/activities"
        await self._post(
            url,
            {"type": "message", "from": {"id": bot_id}, "conversation": {"id": conversation_id}, **activity},
        )

    async def _post(self, url: str, activity: dict[str, Any]) -> None:
        headers = {"Authorization": f"Bearer {await self._token.get()}"}
        try:
            async with self._http.session.post(url, json=activity, headers=headers) as response:
                if response.status >= 300:
                    raise ConnectorError(f"the Bot Connector answered HTTP {response.status}")
        except (aiohttp.ClientError, TimeoutError) as error:
            raise ConnectorError(f"could not reach the Bot Connector: {error!r}") from error


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, RecursionError) as error:
        raise ValueError(f"not JSON: {error}") from None
