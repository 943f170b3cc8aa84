"""Issue #29: after the bank is edited, a new assessment records the version it is asked from.

The app, its chat and the action server each hold one provider of the same folder (BOT_BANK_PATH); before,
the app recorded the version it started with while the actions asked from the edited bank.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from web_helpers import (
    PASSWORD,
    FakeClock,
    FakeEngine,
    conversation_of,
    make_settings,
    sign_in,
    start_screening,
)

from bot.domain.records import UserInfo
from bot.questions import DEFAULT_BANK_PATH, BankProvider
from bot.store.services import Store
from bot.web.app import create_app


@pytest.fixture
def bank_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "bank"
    shutil.copytree(DEFAULT_BANK_PATH, folder)
    return folder


@pytest.fixture
async def edited_client(
    tmp_path: Path, database_url: str, engine: FakeEngine, store: Store, bank_copy: Path, user: UserInfo
) -> AsyncIterator[TestClient]:
    settings = make_settings(tmp_path, database_url, engine.port, BOT_BANK_PATH=str(bank_copy))
    async with TestClient(TestServer(create_app(settings, store, clock=FakeClock()))) as client:
        await sign_in(client, "alice", PASSWORD)
        yield client


async def test_a_new_assessment_records_the_edited_banks_version(
    edited_client: TestClient, store: Store, bank_copy: Path, user: UserInfo
) -> None:
    # The action server's provider, built from its environment as actions/conduct.py builds it.
    actions_banks = BankProvider.from_env({"BOT_BANK_PATH": str(bank_copy)})
    before = await start_screening(edited_client)

    index = bank_copy / "index.yaml"
    index.write_text(
        index.read_text(encoding="utf-8").replace('"2026.1"', '"2026.1-edited"'), encoding="utf-8"
    )
    after = await start_screening(edited_client)

    recorded = [
        store.assessments.get_assessment(conversation_of(store, user.id, path)).bank_version
        for path in (before, after)
    ]
    assert recorded == ["2026.1", "2026.1-edited"]
    # The action server asks the new assessment from the version it recorded.
    assert actions_banks.current().version == "2026.1-edited"
