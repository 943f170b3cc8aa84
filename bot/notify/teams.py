"""Sending one notice as a Teams message, posted into the person's stored one-to-one chat with the bot."""

from __future__ import annotations

from bot.notify.mailer import DeliveryFailed
from bot.notify.messages import Notice
from bot.store.notices import NoticeJob
from bot.teams.connector import Connector, ConnectorError


class TeamsSender:
    """`connector` is the app's Bot Connector client; None when the Teams channel is not configured."""

    def __init__(self, connector: Connector | None) -> None:
        self._connector = connector

    async def send(self, job: NoticeJob, notice: Notice) -> None:
        if self._connector is None:
            raise DeliveryFailed("teams_not_configured", "the Teams channel is not configured on this server")
        if not (job.teams_service_url and job.teams_conversation):
            raise DeliveryFailed("no_teams_chat", "the recipient has no Teams chat with the bot on record")
        try:
            await self._connector.send_to(
                job.teams_service_url,
                job.teams_conversation,
                job.teams_bot_id or "",
                {"text": notice.text, "textFormat": "plain"},
            )
        except ConnectorError as error:
            raise DeliveryFailed("teams_error", str(error)[:200]) from None
