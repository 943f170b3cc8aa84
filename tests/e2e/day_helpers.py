"""The people and the inbox of tests/e2e/test_a_day_in_the_life.py: one team made through the real CLI, each
practitioner signed in over HTTP (tests/e2e/web_practitioner.py), anyone signed in to Chromium through the
sign-in page, and the mail the app sent, read from the test mail server.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from email.message import Message

import aiohttp
from playwright.async_api import Page, expect
from sqlalchemy import func, select

from bot.store.urgent_models import Notification
from tests.e2e.conftest import Product, _service
from tests.e2e.mail_server import MailServer
from tests.e2e.web_practitioner import WebPractitioner
from tests.web.web_helpers import sign_in

LINK = re.compile(r"^(?:Open it now|Open it|Your assessment): (\S+)\r?$", re.MULTILINE)


@dataclass(frozen=True)
class Person:
    username: str
    password: str
    id: int
    email: str | None


@dataclass(frozen=True)
class Team:
    name: str
    practitioners: tuple[Person, Person]
    leads: tuple[Person, Person]
    trainer: Person

    @property
    def everyone(self) -> tuple[Person, ...]:
        return (*self.practitioners, *self.leads, self.trainer)


def a_team(product: Product) -> Team:
    """Two practitioners and two leads, each with an email address, and a trainer, in a team of their own."""
    name = f"Day team {secrets.token_hex(3)}"
    slug = name.lower().replace(" ", "-")

    def person(role: str, label: str, email: bool = True) -> Person:
        address = f"{label}-{slug}@example.invalid" if email else None
        return Person(*product.new_user(role, name, email=address), address)

    return Team(
        name,
        (person("practitioner", "practitioner1"), person("practitioner", "practitioner2")),
        (person("lead", "lead1"), person("lead", "lead2")),
        person("trainer", "trainer", email=False),
    )


@asynccontextmanager
async def at_work(product: Product, who: Person) -> AsyncIterator[WebPractitioner]:
    """A practitioner signed in to the web chat, driving its pages' own forms over HTTP."""
    async with aiohttp.ClientSession(
        base_url=product.settings.app_url, cookie_jar=aiohttp.CookieJar(unsafe=True)
    ) as client:
        assert (await sign_in(client, who.username, who.password)).status == 303
        yield WebPractitioner(client)


async def sign_in_here(page: Page, who: Person) -> None:
    """On the sign-in page (wherever a link sent them), type the username and password and sign in."""
    await expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    await page.get_by_label("Username").fill(who.username)
    await page.get_by_label("Password").fill(who.password)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def body_of(message: Message) -> str:
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes), message
    return payload.decode()


def mail_about(mail: MailServer, who: Person, subject: str) -> list[Message]:
    """The messages to this person whose subject is exactly `subject`."""
    assert who.email is not None
    return [m for m in mail.inbox.to(who.email) if m["Subject"] == subject]


def link_in(message: Message) -> str:
    found = LINK.findall(body_of(message))
    assert len(found) == 1, body_of(message)
    return found[0]


def assert_no_case_content(message: Message, reference: str, said: list[str], names: list[str]) -> None:
    """A notice holds the reference, what happened and a link: nothing anyone typed, no one's name."""
    text = f"{message['Subject']}\n{body_of(message)}"
    assert reference in message["Subject"] and reference in text, text
    assert "not again" not in text and "[A-" not in text, f"a typed answer in a notice: {text}"
    for words in said:
        for line in words.split("\n"):
            assert not line.strip() or line.strip() not in text, f"typed words in a notice: {line!r}"
    for name in names:
        assert name not in text, f"a name in a notice: {name}"


def notices_pending(product: Product, team: Team) -> int:
    """The team's notices the outbox has not finished with (neither sent nor given up)."""
    ids = [person.id for person in team.everyone]
    with _service(product.settings).session_factory() as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(Notification)
                .where(Notification.recipient_id.in_(ids), Notification.status == "pending")
            )
            or 0
        )


def notices_of(product: Product, assessment_id: int) -> int:
    """Every notice ever queued about one assessment, whatever its state."""
    with _service(product.settings).session_factory() as session:
        return (
            session.scalar(
                select(func.count())
                .select_from(Notification)
                .where(Notification.assessment_id == assessment_id)
            )
            or 0
        )


def folded(text: str) -> str:
    """Text as the browser's text matching folds it (runs of white space as one space, ends trimmed)."""
    return " ".join(text.split())
