"""What tests/e2e/test_backup_during_walk.py shares: a running product on either backend, practitioners who
walk screenings on its web pages, and a record of each assessment as it stood after every turn.

The SQLite product is the session's (tests/e2e/conftest.py). The PostgreSQL one is started here the same
way (`processes.product_services`), with BOT_DATABASE_URL naming a database of the run's PostgreSQL server
(tests/fixtures/postgres.py); the engine's tracker stays its SQLite file in the data folder, which a backup
holds beside the store's dump on either backend.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.domain.records import Actor
from bot.questions import load_bank
from bot.review.case_json import to_json
from bot.review.services import ReviewService
from bot.runtime import processes
from bot.runtime.model import ensure_model
from bot.settings import REPO_ROOT, Settings
from bot.store import db
from bot.store.services import Store
from tests.e2e.bot_command import bot_in_process, bot_process
from tests.e2e.screening import SEND_NOW, SEND_REQUEST
from tests.e2e.web_practitioner import WebPractitioner

# What an export holds that is not the record: the moment of the export. The transcript is compared on its
# own (`turns_without_links`): it is the engine's tracker, copied into the backup just after the store.
NOT_THE_RECORD = ("exported_at",)


@dataclass
class Running:
    """A running product: its settings, and the environment the `bot` command needs to reach its data."""

    settings: Settings
    env: dict[str, str]

    def bot(self, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        """`bot ARGS` with the product's environment (or `env`), in this process (see bot_command)."""
        return bot_in_process(self.env if env is None else env, *args)

    def bot_process(self, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        """`bot ARGS` as a real process: a backup taken while the walks go on in this process's threads, a
        restore that runs pg_restore (tests/e2e/bot_command.py)."""
        return bot_process(self.env if env is None else env, *args)


@contextlib.contextmanager
def product_on_postgresql(data_dir: Path, database_url: str) -> Iterator[Running]:
    """Engine, action server and app with the store on `database_url`; all stopped on the way out."""
    shared = Settings.from_env({"BOT_DATA_DIR": str(REPO_ROOT / "var")})  # where `make` keeps models
    env = {
        "BOT_DATA_DIR": str(data_dir),
        "BOT_DATABASE_URL": database_url,
        "BOT_ENGINE_PORT": str(processes.free_port()),
        "BOT_ACTIONS_PORT": str(processes.free_port()),
        "BOT_APP_PORT": str(processes.free_port()),
        "BOT_MODELS_DIR": str(shared.models_dir),
        "BOT_DATA_KEYS": os.environ["BOT_DATA_KEYS"],
    }
    settings = Settings.from_env(env)
    model = ensure_model(settings)
    source = os.environ | env
    with processes.running(processes.product_services(settings, model, source), timeout=420):
        yield Running(settings, processes.product_env(settings, source))


def add_practitioner(database_url: str) -> tuple[str, str]:
    """A practitioner of their own for one walker: (username, password). The engine is disposed of, so no
    connection is left open to a PostgreSQL database the test drops."""
    username, password = f"walker-{secrets.token_hex(4)}", secrets.token_urlsafe(16)
    factory = db.make_session_factory(database_url)
    try:
        Store(factory).users.create_user(username, password, "practitioner", "Backup team")
    finally:
        factory.kw["bind"].dispose()
    return username, password


class Snapshots:
    """Each assessment's export (transcript aside) as it stood after every turn its walker took: the states a
    consistent backup may hold it in. A turn is over when its page's POST has been answered: the engine has
    run its actions and the store has what they wrote."""

    def __init__(self, settings: Settings) -> None:
        self._factory = db.make_session_factory(settings.database_url)
        self._review = ReviewService(self._factory, load_bank(), tracker_db=settings.engine_tracker_db)
        self.states: dict[str, list[dict[str, Any]]] = {}

    def take(self, reference: str) -> None:
        document = self._review.export_for_cli(Actor("cli", "backup-walk"), None, reference, "json")
        data = _as_printed(to_json(document))
        self.states.setdefault(reference, []).append(store_part(data))

    def close(self) -> None:
        self._factory.kw["bind"].dispose()


def _as_printed(data: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(data, default=str))  # as the CLI prints it: dates as strings


def store_part(document: dict[str, Any]) -> dict[str, Any]:
    """An export without its moment and without the engine's transcript: what the store alone says."""
    return {k: v for k, v in document.items() if k not in (*NOT_THE_RECORD, "transcript")}


def turns_without_links(document: dict[str, Any]) -> list[dict[str, Any]]:
    """The transcript's turns without the answers linked to each (the links follow the store's answers)."""
    return [{k: v for k, v in turn.items() if k != "answers"} for turn in document["transcript"]["turns"]]


@dataclass
class Walker:
    """One practitioner walking screenings on the web pages, to "Send to my lead now" and sent."""

    me: WebPractitioner
    snapshots: Snapshots
    references: list[str] = field(default_factory=list)
    submitted: list[str] = field(default_factory=list)

    async def start(self) -> str:
        reference = await self.me.start_new()
        self.references.append(reference)
        self.snapshots.take(reference)
        return reference

    async def step(self, reference: str) -> bool:
        """One turn of the screening; True once it has been sent to the lead."""
        chat = await self.me.page(reference)
        titles = [title for _, title in (*chat.ticks, *chat.buttons)]
        if SEND_REQUEST in titles:
            response = await self.me.press(reference, SEND_REQUEST)
        elif SEND_NOW in titles:
            response = await self.me.press(reference, SEND_NOW)
        else:
            await self.me.answer(reference)
            response = None
        if response is not None:
            assert response.status == 303, await response.text()
        self.snapshots.take(reference)
        if SEND_REQUEST in titles:
            self.submitted.append(reference)
            return True
        return False

    async def walk_to_the_end(self, reference: str, limit: int = 60) -> None:
        for _ in range(limit):
            if await self.step(reference):
                return
        raise AssertionError(f"{reference}: the screening was not sent within {limit} turns")
