"""Redis over TLS (rediss://, issue #34): the apps' shared state and the engines' lock store (Rasa's own
client, in the engine's environment, from endpoints.yml) reach a TLS-only Redis that asks for a password,
trusting BOT_REDIS_CA_FILE; a certificate that CA did not sign stops the app at start naming the setting."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.engine_stores import read_engine_stores
from bot.settings import REPO_ROOT, Settings
from bot.shared_state.check import refuse_unless_signed_in
from bot.shared_state.choice import shared_state
from bot.shared_state.url import read_shared_state
from tests.fixtures.redis_server import Certificates, make_certificates, redis_server

PASSWORD = "tls-horse-battery-51c2"
# Rasa's lock store as the engine builds it (never imported by our code): endpoints.yml read by Rasa's own
# reader with the engine's variables, then one ticket issued through Redis and found waiting there.
RASA_PROBE = """
import sys
from rasa.core.lock_store import LockStore
from rasa.core.utils import read_endpoints_from_path
store = LockStore.create(read_endpoints_from_path(sys.argv[1]).lock_store)
ticket = store.issue_ticket("tls-probe")
print(type(store).__name__, store.red.ping(), store.is_someone_waiting("tls-probe"), ticket)
"""


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return make_certificates(tmp_path_factory.mktemp("redis-tls"))


@pytest.fixture(scope="module")
def tls_port(certificates: Certificates) -> Iterator[int]:
    with redis_server(PASSWORD, tls=certificates) as port:
        yield port


def env_for(port: int, ca: Path, **more: str) -> dict[str, str]:
    return {"BOT_REDIS_PASSWORD": PASSWORD, "BOT_REDIS_CA_FILE": str(ca), **more} | {
        "BOT_SHARED_STATE_URL": f"rediss://127.0.0.1:{port}/2",
        "BOT_LOCK_STORE_URL": f"rediss://127.0.0.1:{port}/1",
    }


async def test_the_shared_state_works_over_tls_with_the_password(
    certificates: Certificates, tls_port: int, tmp_path: Path
) -> None:
    settings = Settings.from_env(env_for(tls_port, certificates.ca, BOT_DATA_DIR=str(tmp_path)))
    address = settings.shared_state
    assert address is not None and address.tls and address.url == f"rediss://127.0.0.1:{tls_port}/2"
    refuse_unless_signed_in(address)
    state = shared_state(address, lambda: 1_000.0, b"s" * 32)
    try:
        assert await state.deliveries.first_delivery("conversation", "activity")
        assert not await state.deliveries.first_delivery("conversation", "activity")
    finally:
        await state.close()


def test_a_certificate_the_ca_file_does_not_vouch_for_stops_the_app_naming_it(
    certificates: Certificates, tls_port: int
) -> None:
    address = read_shared_state(env_for(tls_port, certificates.stranger))
    with pytest.raises(SystemExit) as refused:
        refuse_unless_signed_in(address)
    assert str(refused.value) == (
        f"The Redis at BOT_SHARED_STATE_URL (rediss://127.0.0.1:{tls_port}/2) has a certificate that "
        f"BOT_REDIS_CA_FILE ({certificates.stranger}) does not vouch for"
    )


def test_rediss_needs_a_ca_file_that_exists(tmp_path: Path) -> None:
    with pytest.raises(
        SystemExit, match=r"^BOT_SHARED_STATE_URL is rediss:// \(TLS\): set BOT_REDIS_CA_FILE"
    ):
        read_shared_state({"BOT_SHARED_STATE_URL": "rediss://cache:6380/2"})
    with pytest.raises(SystemExit, match=r"^BOT_REDIS_CA_FILE \(.*\) is not a file$"):
        read_shared_state(
            {"BOT_SHARED_STATE_URL": "rediss://cache/2", "BOT_REDIS_CA_FILE": str(tmp_path / "x")}
        )


@pytest.mark.engine  # runs the engine environment's Python (Rasa's own lock store)
@pytest.mark.parametrize("tls", [True, False])
def test_rasas_own_lock_store_signs_in_from_endpoints(
    certificates: Certificates, tls_port: int, tmp_path: Path, tls: bool
) -> None:
    """The values the launcher gives the engine make Rasa's Redis lock store sign in: over TLS with the CA
    file, and on a plain Redis asking for the same password."""
    with redis_server(PASSWORD) as plain_port:
        env = env_for(tls_port, certificates.ca) if tls else {
            "BOT_REDIS_PASSWORD": PASSWORD, "BOT_LOCK_STORE_URL": f"redis://127.0.0.1:{plain_port}/1"
        }  # fmt: skip
        stores = read_engine_stores(env, tmp_path)
        variables = stores.engine_variables()
        assert variables["BOT_LOCK_STORE_SSL"] == ("true" if tls else "")
        engine_python = Settings.from_env({"BOT_DATA_DIR": str(tmp_path)}).engine_venv / "bin" / "python"
        base = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "RASA_TELEMETRY_ENABLED": "false"}
        base |= {"BOT_ACTIONS_URL": "http://127.0.0.1:1/webhook", "BOT_ACTIONS_TOKEN": "t"}
        result = subprocess.run(  # the engine's own interpreter, as the launcher runs Rasa
            [str(engine_python), "-c", RASA_PROBE, str(REPO_ROOT / "endpoints.yml")],
            env=base | variables, capture_output=True, text=True, timeout=180, check=False,
        )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().splitlines()[-1] == "RedisLockStore True True 0"
    assert PASSWORD not in result.stdout + result.stderr
