"""One real product for the end-to-end tests: engine, action server and app on free loopback ports.

The model is the one `make test` trained for the current content (shared models folder), so these tests
exercise exactly what `make run` serves. Everything is stopped when the session ends.
"""

from __future__ import annotations

import dataclasses
import json
import os
import secrets
import signal
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.runtime import processes
from bot.runtime.model import ensure_model
from bot.settings import REPO_ROOT, Settings


@dataclasses.dataclass
class Product:
    settings: Settings
    env: dict[str, str]
    practitioner_id: int
    practitioner: str = "e2e-practitioner"
    password: str = ""
    services: list[processes.Service] = dataclasses.field(default_factory=list)

    def restart(self, name: str) -> None:
        """Kill one of the three processes outright and start it again, as a crash and a supervisor would."""
        service = next(s for s in self.services if s.name == name)
        assert service.process is not None
        os.killpg(service.process.pid, signal.SIGKILL)
        service.process.wait()
        processes.start(service)
        processes.wait_healthy([service])

    def open_conversation(self) -> str:
        """Bind a new conversation to the test practitioner, as the web gateway does at sign-in; the store
        refuses assessments for conversations nobody opened."""
        return _service(self.settings).open_conversation(self.practitioner_id, "test")

    def say(self, sender: str, text: str) -> list[dict[str, Any]]:
        """Send typed text through the engine's REST channel, as our gateway does: the engine strips
        surrounding white space, so the untouched text travels in the metadata too."""
        return self._post({"sender": sender, "message": text, "metadata": {"typed_text": text}})

    def press(self, sender: str, payload: str) -> list[dict[str, Any]]:
        """Send a button's payload, as the gateway does when a button is chosen."""
        return self._post({"sender": sender, "message": payload})

    def _post(self, message: dict[str, Any]) -> list[dict[str, Any]]:
        body = json.dumps(message).encode()
        request = urllib.request.Request(
            f"{self.settings.engine_url}/webhooks/rest/webhook",
            data=body,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    def latest_conversation(self) -> str | None:
        return _service(self.settings).latest_conversation(self.practitioner_id)

    def export(self, conversation_id: str) -> dict[str, Any]:
        result = self.bot("assessments", "export", f"--conversation={conversation_id}")
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    def bot(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(Path(sys.executable).parent / "bot"), *args],
            env=self.env,
            input=stdin,
            capture_output=True,
            text=True,
            check=False,
            cwd=REPO_ROOT,
        )


@pytest.fixture(scope="session")
def product(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Product]:
    data_dir = tmp_path_factory.mktemp("product")
    shared = Settings.from_env({"BOT_DATA_DIR": str(REPO_ROOT / "var")})  # where `make` keeps models
    settings = Settings.from_env(
        {
            "BOT_DATA_DIR": str(data_dir),
            "BOT_ENGINE_PORT": str(processes.free_port()),
            "BOT_ACTIONS_PORT": str(processes.free_port()),
            "BOT_APP_PORT": str(processes.free_port()),
            "BOT_MODELS_DIR": str(shared.models_dir),
        }
    )
    from bot.store.db import upgrade

    upgrade(settings.database_url)
    password = secrets.token_urlsafe(16)
    practitioner = _service(settings).create_user("e2e-practitioner", password, "practitioner", "E2E team")
    model = ensure_model(settings)
    services = processes.product_services(settings, model)
    with processes.running(services):
        yield Product(
            settings, processes.product_env(settings), practitioner.id, password=password, services=services
        )


def _service(settings: Settings):
    from bot.store.db import make_session_factory
    from bot.store.services import StoreService

    return StoreService(make_session_factory(settings.database_url))
