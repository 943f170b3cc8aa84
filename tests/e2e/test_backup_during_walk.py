"""A backup taken while practitioners walk screenings restores each assessment as it stood (issue #35).

Must show: "Backup during a running walk, restore into a fresh data folder: `bot assessments export` gives
identical JSON for every assessment, on SQLite and on PostgreSQL." On each backend the real engine, action
server and app run; practitioners walk screenings on the web pages, each sends one to their lead, then carries
on with the next while `bot db backup` runs, and for some turns after it has finished. The backup is restored
into a fresh data folder (SQLite) or an empty database (PostgreSQL) and every assessment it holds is exported
with `bot assessments export`, as is every assessment of the live product once the walks are over.

What is accepted, and why. A backup is one point in time: the store's snapshot is taken at one moment while
the walks go on, so
- an assessment sent to the lead before the backup began exports identically, transcript and all;
- an assessment started after the snapshot is missing from the backup;
- an assessment being walked at the snapshot is in the backup exactly as it stood after one of its turns
  (its store part equals one of the exports taken after each turn, `Snapshots`): never an answer half-saved,
  never a turn half-recorded. If the backup holds it as sent, it is identical to the live one.
- its transcript (the engine's tracker, copied into the backup just after the store) is the start of the live
  one, turn for turn; it may run a turn ahead of the store's answers, the two databases being copied one after
  the other while the engine writes. The answers each turn is linked to follow the store, so they are left out
  of that comparison.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import sqlalchemy as sa

from bot.settings import Settings
from bot.store import db
from tests.e2e.backup_walk import (
    Running,
    Snapshots,
    Walker,
    add_practitioner,
    product_on_postgresql,
    store_part,
    turns_without_links,
)
from tests.e2e.web_practitioner import WebPractitioner
from tests.web.web_helpers import sign_in

WALKERS = 2
TURNS_BEFORE = 2  # turns of the second screening each walker takes before the backup starts
TURNS_AFTER = 3  # and after it has finished: the walks went on through it


@pytest.fixture(params=["sqlite", "postgresql"])
def running(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Running, str | None]]:
    """The product walked on, and (PostgreSQL) the empty database the backup is restored into."""
    if request.param == "sqlite":
        product = request.getfixturevalue("product")  # the session's product, its store a SQLite file
        yield Running(product.settings, product.env), None
        return
    databases = request.getfixturevalue("postgres_databases")
    source, target = databases.create(), databases.create(migrated=False)
    try:
        with product_on_postgresql(tmp_path_factory.mktemp("pg-product"), source) as product:
            yield product, target
    finally:
        databases.drop(source)
        databases.drop(target)


async def test_a_backup_taken_during_walks_restores_every_assessment_as_it_stood(
    running: tuple[Running, str | None], tmp_path: Path
) -> None:
    product, target = running
    people = [add_practitioner(product.settings.database_url) for _ in range(WALKERS)]
    snapshots = Snapshots(product.settings)
    backup = tmp_path / "backup"
    sent_before_backup: list[str] = []
    try:
        walkers = await walk_while_backing_up(product, people, snapshots, backup, sent_before_backup)
    finally:
        snapshots.close()
    ours = [reference for walker in walkers for reference in walker.references]

    fresh = tmp_path / "fresh"
    restored_env = product.env | {"BOT_DATA_DIR": str(fresh)}
    if target is None:
        del restored_env["BOT_DATABASE_URL"]  # the fresh data folder's own SQLite store
    else:
        restored_env["BOT_DATABASE_URL"] = target
    restored = product.bot_process("db", "restore", str(backup), env=restored_env)
    assert restored.returncode == 0, restored.stderr
    verified = product.bot("audit", "verify", env=restored_env)
    assert verified.returncode == 0 and verified.stdout.startswith("audit trail intact: "), verified.stderr

    held = references_of(Settings.from_env(restored_env).database_url, [name for name, _ in people])
    assert set(held) <= set(ours), "the backup holds assessments nobody walked"
    assert set(sent_before_backup) <= set(held), "an assessment sent before the backup is missing from it"
    live = {reference: export(product, reference) for reference in ours}
    back = {reference: export(product, reference, restored_env) for reference in held}

    for reference in sent_before_backup:
        assert back[reference] == live[reference], f"{reference} sent before the backup changed in it"
    for reference, document in back.items():
        if document["assessment"]["status"] == "submitted":
            assert document == live[reference], f"{reference} is held as sent, but not as it was sent"
        states = snapshots.states[reference]
        assert store_part(document) in states, f"{reference} is held in a state no turn left it in"
        live_turns, held_turns = turns_without_links(live[reference]), turns_without_links(document)
        assert held_turns == live_turns[: len(held_turns)], (
            f"{reference}: the transcript is not the live one's start"
        )
    # The backup was taken mid-walk: it holds a screening being answered, and something walked on after it.
    assert any(d["assessment"]["status"] == "in_progress" and d["answers"] for d in back.values()), list(back)
    assert any(back.get(reference) != live[reference] for reference in ours), "nothing moved after the backup"


async def walk_while_backing_up(
    product: Running,
    people: list[tuple[str, str]],
    snapshots: Snapshots,
    backup: Path,
    sent_before_backup: list[str],
) -> list[Walker]:
    """Each practitioner sends one screening, then walks the next (and the next) while `bot db backup` runs,
    and stops TURNS_AFTER turns after it has finished. The backup starts once every walker is TURNS_BEFORE
    turns into a screening after the one it sent."""
    ready = [asyncio.Event() for _ in people]
    backed_up = asyncio.Event()
    async with clients_of(product.settings.app_url, len(people)) as clients:
        walkers = [Walker(WebPractitioner(client), snapshots) for client in clients]
        for client, (username, password) in zip(clients, people, strict=True):
            assert (await sign_in(client, username, password)).status == 303

        async def walk(walker: Walker, ready: asyncio.Event) -> None:
            await walker.walk_to_the_end(await walker.start())
            turns, after = 0, 0
            while after < TURNS_AFTER:
                reference = await walker.start()
                while after < TURNS_AFTER:
                    sent = await walker.step(reference)
                    turns += 1
                    if turns >= TURNS_BEFORE:
                        ready.set()
                    if backed_up.is_set():
                        after += 1
                    if sent:
                        break

        async def back_up() -> None:
            for event in ready:
                await event.wait()
            sent_before_backup.extend(reference for w in walkers for reference in w.submitted)
            made = await asyncio.to_thread(product.bot_process, "db", "backup", str(backup))
            backed_up.set()
            assert made.returncode == 0, made.stderr

        await asyncio.gather(back_up(), *(walk(w, r) for w, r in zip(walkers, ready, strict=True)))
    return walkers


@contextlib.asynccontextmanager
async def clients_of(base_url: str, count: int) -> AsyncIterator[list[aiohttp.ClientSession]]:
    """`count` browser-like sessions on the app, each with its own cookies, closed on the way out."""
    sessions = [
        aiohttp.ClientSession(base_url=base_url, cookie_jar=aiohttp.CookieJar(unsafe=True))
        for _ in range(count)
    ]
    try:
        yield sessions
    finally:
        for session in sessions:
            await session.close()


def references_of(database_url: str, usernames: list[str]) -> list[str]:
    """The references of every assessment the given practitioners have in the store at `database_url`."""
    engine = db.make_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT a.reference FROM assessments a JOIN users u ON u.id = a.practitioner_id"
                    " WHERE u.username IN :names ORDER BY a.id"
                ).bindparams(sa.bindparam("names", expanding=True)),
                {"names": usernames},
            ).all()
    finally:
        engine.dispose()
    return [reference for (reference,) in rows]


def export(product: Running, reference: str, env: dict[str, str] | None = None) -> dict[str, Any]:
    """`bot assessments export --id REF` against the live product or (`env`) the restored data."""
    result = product.bot("assessments", "export", f"--id={reference}", env=env)
    assert result.returncode == 0, result.stderr
    document: dict[str, Any] = json.loads(result.stdout)
    del document["exported_at"]
    return document
