"""Issue #35, the scaled compose file: the internal hops may name a host other than 127.0.0.1 (bot.hop_hosts),
and the action server may listen elsewhere, but only when told to: unset, every hop is loopback as before, and
a bad value stops the process naming the variable. A real action server told to listen on 127.0.0.2 answers
there and not on 127.0.0.1 (both are this machine's loopback, so the test needs no network)."""

from __future__ import annotations

import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from actions.settings import ActionSettings
from bot.runtime import processes
from bot.runtime.data_folder import make_private
from bot.runtime.process_env import actions_env
from bot.settings import Settings

OTHER_LOOPBACK = "127.0.0.2"


def settings(tmp_path: Path, **variables: str) -> Settings:
    return Settings.from_env({"BOT_DATA_DIR": str(tmp_path), **variables})


def action_settings(tmp_path: Path, **variables: str) -> ActionSettings:
    tokens = {"BOT_SERVICE_TOKEN": "a-service-token", "BOT_ACTIONS_TOKEN": "an-actions-token"}
    return ActionSettings.from_env({"BOT_DATA_DIR": str(tmp_path), **tokens, **variables})


def test_every_hop_is_loopback_unless_configured(tmp_path: Path) -> None:
    app = settings(tmp_path)
    assert app.engine_url == "http://127.0.0.1:5005"
    assert app.actions_url == "http://127.0.0.1:5055/webhook"
    actions = action_settings(tmp_path)
    assert actions.app_url == "http://127.0.0.1:8080"
    assert actions.listen_host == "127.0.0.1"


def test_a_deployment_names_the_other_containers(tmp_path: Path) -> None:
    app = settings(tmp_path, BOT_ENGINE_HOST="engines", BOT_ACTIONS_HOST="hops.internal")
    assert app.engine_url == "http://engines:5005"
    assert app.actions_url == "http://hops.internal:5055/webhook"
    actions = action_settings(tmp_path, BOT_APP_HOST="hops", BOT_ACTIONS_BIND_HOST="0.0.0.0")
    assert actions.app_url == "http://hops:8080"
    assert actions.listen_host == "0.0.0.0"


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("BOT_ENGINE_HOST", "engine:5005"),  # a port belongs in BOT_ENGINE_PORT
        ("BOT_ENGINE_HOST", "user@engine"),
        ("BOT_ACTIONS_HOST", "http://hops"),
        ("BOT_ACTIONS_HOST", "hops/health"),
    ],
)
def test_a_malformed_host_stops_the_app_naming_it(tmp_path: Path, variable: str, value: str) -> None:
    with pytest.raises(SystemExit, match=variable):
        settings(tmp_path, **{variable: value})


def test_a_malformed_address_stops_the_action_server_naming_it(tmp_path: Path) -> None:
    with pytest.raises(SystemExit, match="BOT_APP_HOST"):
        action_settings(tmp_path, BOT_APP_HOST="app:8080")
    with pytest.raises(SystemExit, match="BOT_ACTIONS_BIND_HOST must be an IP address"):
        action_settings(tmp_path, BOT_ACTIONS_BIND_HOST="hops")  # a name is not an address to listen on


@pytest.fixture(scope="module")
def action_server_elsewhere(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    data_dir = tmp_path_factory.mktemp("actions-elsewhere")
    app = Settings.from_env({"BOT_DATA_DIR": str(data_dir), "BOT_ACTIONS_PORT": str(processes.free_port())})
    (data_dir / "logs").mkdir()
    make_private(data_dir)
    service = processes.Service(
        "actions",
        [sys.executable, "-m", "actions.server"],
        actions_env(app) | {"BOT_ACTIONS_BIND_HOST": OTHER_LOOPBACK},
        f"http://{OTHER_LOOPBACK}:{app.actions_port}/health",
        Path(data_dir / "logs" / "actions.log"),
    )
    with processes.running([service], timeout=120):
        yield app.actions_port


def answers(host: str, port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://{host}:{port}/health", timeout=10) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError):
        return False


def test_the_action_server_listens_where_it_is_told_and_only_there(action_server_elsewhere: int) -> None:
    assert answers(OTHER_LOOPBACK, action_server_elsewhere)
    assert not answers("127.0.0.1", action_server_elsewhere)
