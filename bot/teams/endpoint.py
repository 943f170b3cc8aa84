"""POST /api/messages: the Bot Framework endpoint, and wiring it into the app.

The route is public to our sign-in check because the Bot Framework cannot sign in: each request carries
a token that `bot.teams.auth` checks in full before anything else happens. Order of refusals: 404 when the
channel is not configured, 401 for any token problem, 400 for a body that is not an Activity, 401 when the
token does not speak for that Activity, 503 when Microsoft's keys cannot be fetched. Only then does the turn
run; its replies are posted to the Bot Connector before we answer 200.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from bot.settings import Settings
from bot.teams.activity import ActivityError, parse_activity
from bot.teams.auth import AuthError, bearer_token, check_activity, verify_token
from bot.teams.connector import AppToken, Connector, ConnectorError, Http
from bot.teams.keys import KeysUnavailable, SigningKeys
from bot.teams.turns import TeamsTurns

log = logging.getLogger(__name__)

NOT_ENABLED = "The Teams channel is not enabled on this server."


@dataclass
class TeamsChannel:
    settings: Settings
    http: Http
    keys: SigningKeys
    connector: Connector
    turns: TeamsTurns

    async def handle(self, request: web.Request) -> web.StreamResponse:
        try:
            verified = await verify_token(
                bearer_token(request.headers.get("Authorization")), self.keys, self.settings.teams_app_id
            )
        except AuthError as error:
            return _error(401, error.reason)
        except KeysUnavailable:
            return _error(503, "cannot check tokens right now; try again later")
        try:
            activity = parse_activity(_json(await request.read()))
        except ActivityError as error:
            return _error(400, str(error))
        try:
            check_activity(verified, activity, self.settings.teams_tenant_ids)
        except AuthError as error:
            return _error(401, error.reason)
        for reply in await self.turns.replies(activity):
            try:
                await self.connector.reply(activity, reply)
            except ConnectorError as error:
                # The turn is done and recorded; answering 5xx would make the Bot Framework send it again.
                log.error("could not deliver a Teams reply: %s", error)
                break
        return web.Response(status=200)


TEAMS = web.AppKey("teams", TeamsChannel)


def setup_teams(
    app: web.Application,
    settings: Settings,
    turns: Callable[[], TeamsTurns],
    clock: Callable[[], float] = time.monotonic,
) -> None:
    """Make the channel when Teams is configured; nothing is fetched until the first request. The app hands
    in how to make the turns (over its store and web chat), so this package never reaches into the web's
    state: the arrows run web -> teams only."""
    if not settings.teams_app_id:
        return
    http = Http()
    token_url = settings.teams_token_url_template.replace("{tenant}", settings.teams_app_tenant_id)
    app[TEAMS] = TeamsChannel(
        settings=settings,
        http=http,
        keys=SigningKeys(settings.teams_openid_url, http.get_json, clock=clock),
        connector=Connector(
            http, AppToken(http, token_url, settings.teams_app_id, settings.teams_app_password, clock=clock)
        ),
        turns=turns(),
    )

    async def close(_app: web.Application) -> None:
        await http.close()

    app.on_cleanup.append(close)


async def messages(request: web.Request) -> web.StreamResponse:
    channel = request.app.get(TEAMS)
    if channel is None:
        return _error(404, NOT_ENABLED)
    return await channel.handle(request)


def _json(body: bytes) -> Any:
    try:
        return json.loads(body)
    except (ValueError, RecursionError):  # not UTF-8, not JSON, or nested deeper than Python recurses
        raise ActivityError("the body is not JSON") from None


def _error(status: int, reason: str) -> web.Response:
    return web.json_response({"error": reason}, status=status)
