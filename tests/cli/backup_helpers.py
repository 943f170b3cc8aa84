"""What the backup tests share: the `bot` command called in-process with a data folder, a store to write
real cases into (through the store's services, as the action server does), and exports to compare."""

from __future__ import annotations

import contextlib
import io
import json
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from bot.cli import main
from bot.domain.records import Actor
from bot.questions import QuestionBank
from bot.store import db
from bot.store.services import Store
from tests.cli.in_process import ProcessState
from tests.fixtures.cases import build_case

PASSWORD = "a long enough password"
# Settings a test must not inherit from the machine or another test; the test configuration's own
# (password hashing, SQLite durability) stay.
CLEARED = (
    "BOT_DATA_DIR",
    "BOT_DATABASE_URL",
    "BOT_DATABASE_OWNER_URL",
    "BOT_DATABASE_OWNER_URL_FILE",
    "BOT_ENV",
)


def use_data_folder(monkeypatch: pytest.MonkeyPatch, folder: Path, database_url: str | None = None) -> None:
    for key in CLEARED:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("BOT_DATA_DIR", str(folder))
    monkeypatch.setenv("BOT_SERVICE_TOKEN", "cli-test-token")
    monkeypatch.setenv("BOT_ENGINE_TOKEN", "cli-engine-token")
    monkeypatch.setenv("BOT_ACTIONS_TOKEN", "cli-actions-token")
    monkeypatch.setenv("BOT_SESSION_SECRET", "ef" * 32)
    if database_url is not None:
        monkeypatch.setenv("BOT_DATABASE_URL", database_url)


def bot(*args: str) -> tuple[int, str, str]:
    """`bot ARGS` in-process: exit code, standard output, standard error. Like tests/cli/in_process.py's
    runner, it fails the call if main left the process changed (umask, logging, profiles, open engines)."""
    before = ProcessState.now()
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(args))
    changed = ProcessState.now().changes_since(before)
    assert not changed, f"`bot {' '.join(args)}` in-process left the process changed: {changed}"
    return status, out.getvalue(), err.getvalue()


@contextlib.contextmanager
def open_store(url: str) -> Iterator[Store]:
    """A store on `url` whose engine is disposed of at the end: no connection is left open."""
    factory = db.make_session_factory(url)
    try:
        yield Store(factory, actor=Actor("cli", "backup-test"))
    finally:
        factory.kw["bind"].dispose()


def write_cases(store: Store, bank: QuestionBank, how_many: int, name: str = "pat") -> list[str]:
    """`how_many` submitted cases by a practitioner (made on first use); their references."""
    practitioner = store.users.find_user(name) or store.users.create_user(
        name, PASSWORD, "practitioner", "North"
    )
    return [
        build_case(
            store, bank, practitioner, text=f"said at the bus stop, case {n}", fact_date=date(2026, 3, 2)
        ).reference
        for n in range(how_many)
    ]


def export(reference: str, scratch: Path) -> dict[str, Any]:
    """`bot assessments export --id REF`, written to a file (the command writes bytes), without the one
    field that is the moment of the export rather than the record."""
    output = scratch / f"{reference}.json"
    status, _out, err = bot("assessments", "export", "--id", reference, "--output", str(output))
    assert status == 0, err
    document: dict[str, Any] = json.loads(output.read_bytes())
    del document["exported_at"]
    return document


def private_modes(folder: Path) -> dict[str, int]:
    """The permission bits of the folder and each file in it, by name ("." for the folder)."""
    modes = {".": os.stat(folder).st_mode & 0o777}
    modes.update({path.name: path.stat().st_mode & 0o777 for path in folder.iterdir()})
    return modes
