"""A real SMTP server (aiosmtpd) on the product's mail port, collecting what the app sends."""

from __future__ import annotations

from email import message_from_bytes
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller


class Inbox:
    """Collects every message the app sends, as an SMTP server on the product's mail port."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for rcpt, m in self.messages if address in rcpt]


class MailServer:
    def __init__(self, port: int) -> None:
        self.inbox = Inbox()
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=port)
        self.running = False

    def start(self) -> None:
        self._controller.start()
        self.running = True

    def stop(self) -> None:
        if self.running:
            self._controller.stop()
            self.running = False
