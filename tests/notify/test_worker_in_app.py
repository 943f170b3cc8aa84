"""The delivery worker runs with the app: started when the app starts, stopped when it stops, and a danger
report made while the app runs reaches the leads' mailboxes (a real SMTP server) without anyone waiting."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy.orm import Session, sessionmaker

from bot.store.services import Store
from bot.web.app import create_app
from tests.notify.conftest import PASSWORD, MailServer, notify_settings, report_danger

WAIT_SECONDS = 20  # an upper bound on waiting, not a timing assertion


def delivery_tasks() -> list[asyncio.Task[object]]:
    return [task for task in asyncio.all_tasks() if task.get_name() == "urgent-notice-delivery"]


async def test_the_app_delivers_urgent_notices_in_the_background_and_stops_its_worker(
    tmp_path: Path, database_url: str, sessions: sessionmaker[Session], mail: MailServer
) -> None:
    store = Store(sessions)  # the real clock: the app's worker uses it too
    practitioner = store.users.create_user("pat", PASSWORD, "practitioner", "West team")
    leads = [
        store.users.create_user(f"l{n}", PASSWORD, "lead", "West team", email=f"l{n}@x.org") for n in (1, 2)
    ]
    settings = notify_settings(tmp_path, database_url, mail.url, BOT_ENGINE_PORT="9")

    async with TestClient(TestServer(create_app(settings, store))) as client:
        assert len(delivery_tasks()) == 1
        report_danger(store, practitioner)
        deadline = time.monotonic() + WAIT_SECONDS
        while len(mail.inbox.messages) < 2 and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        assert (await client.get("/healthz")).status == 200
    assert mail.inbox.recipients() == sorted(lead.email or "" for lead in leads)
    assert delivery_tasks() == []  # stopped with the app
