"""Fixtures for urgent-notice delivery: a migrated SQLite store, a clock the test moves, people in two teams,
and a real SMTP server (aiosmtpd) on 127.0.0.1 that a test can stop and start again on the same port."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import UserInfo
from bot.notify.outbox_worker import OutboxWorker
from bot.runtime.processes import free_port
from bot.settings import Settings
from bot.store.models import User
from bot.store.services import Store
from bot.store.urgent_models import Notification
from tests import builders
from tests.fixtures.clocks import Clock

PASSWORD = "correct horse battery staple"
DANGER = "He has a knife and says he will use it on his brother tonight"
ANSWER = "She told me about the channel her cousin runs"
PUBLIC_URL = "https://safeguarding.example.org"


class Inbox:
    """aiosmtpd handler keeping each message with its envelope recipients."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), envelope.content))
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [message_from_bytes(raw) for rcpt, raw in self.messages if address in rcpt]

    def recipients(self) -> list[str]:
        return sorted(address for rcpt, _ in self.messages for address in rcpt)


class MailServer:
    """A real SMTP server on a fixed loopback port; stop() and start() again to play a mail outage."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.inbox = Inbox()
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> None:
        if self._controller is None:
            self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
            self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


@pytest.fixture
def mail() -> Iterator[MailServer]:
    server = MailServer(free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def store(sessions: sessionmaker[Session], clock: Clock) -> Store:
    return Store(sessions, clock=clock)


def notify_settings(tmp_path: Path, database_url: str, smtp_url: str | None, **env: str) -> Settings:
    return Settings.from_env(
        {
            "BOT_DATA_DIR": str(tmp_path / "data"),
            "BOT_DATABASE_URL": database_url,
            "BOT_PUBLIC_URL": PUBLIC_URL,
            **({"BOT_SMTP_URL": smtp_url} if smtp_url else {}),
            **env,
        }
    )


@pytest.fixture
def settings(tmp_path: Path, database_url: str, mail: MailServer) -> Settings:
    return notify_settings(tmp_path, database_url, mail.url)


@dataclass
class North:
    """A team with a practitioner, two leads and an inactive lead; South has a lead of its own."""

    practitioner: UserInfo
    leads: list[UserInfo]
    inactive_lead: UserInfo
    south_lead: UserInfo

    def all_addresses(self) -> list[str]:
        people = [self.practitioner, *self.leads, self.inactive_lead, self.south_lead]
        return [person.email for person in people if person.email]


@pytest.fixture
def north(store: Store, sessions: sessionmaker[Session]) -> North:
    def add(name: str, role: str, team: str = "North team") -> UserInfo:
        return store.users.create_user(name, PASSWORD, role, team, email=f"{name}@example.invalid")

    people = North(
        practitioner=add("pat.practitioner", "practitioner"),
        leads=[add("lee.lead", "lead"), add("kim.lead", "lead")],
        inactive_lead=add("gone.lead", "lead"),
        south_lead=add("sam.lead", "lead", "South team"),
    )
    with sessions.begin() as session:
        session.get_one(User, people.inactive_lead.id).active = False
    return people


def answered(store: Store, practitioner: UserInfo, mode: str = "live") -> str:
    """A practitioner's assessment with one question answered; its conversation id."""
    conversation = store.conversations.open_conversation(practitioner.id, "web")
    store.assessments.start_or_resume(conversation, "2026.1", mode)
    builders.answer(store, conversation, "q_noticed", ANSWER, wording="What did you notice?")
    return conversation


def report_danger(store: Store, practitioner: UserInfo, mode: str = "live") -> tuple[str, int, str]:
    """A practitioner answers a question and reports danger: (conversation, assessment id, reference)."""
    conversation = answered(store, practitioner, mode)
    record = builders.report_danger(store, conversation, DANGER)
    return conversation, record.id, record.reference


def submit(store: Store, practitioner: UserInfo, mode: str = "live") -> tuple[int, str]:
    """A practitioner answers one question and submits: (assessment id, reference)."""
    record = builders.submit(store, answered(store, practitioner, mode))
    return record.id, record.reference


def worker(settings: Settings, sessions: sessionmaker[Session], clock: Clock) -> OutboxWorker:
    return OutboxWorker.from_settings(settings, sessions, clock=clock)


def rows(sessions: sessionmaker[Session]) -> list[Notification]:
    """Every notice in the outbox, oldest first."""
    with sessions() as session:
        return list(session.scalars(select(Notification).order_by(Notification.id)))


def whole(message: Message) -> str:
    """Every header and the decoded body: what anyone handling the message could read."""
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes)
    return "\n".join(f"{k}: {v}" for k, v in message.items()) + "\n" + body.decode()
