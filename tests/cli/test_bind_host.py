"""Issue #35: BOT_BIND_HOST (default loopback), its warning when exposed with no proxy, BOT_METRICS_ALLOW."""

from __future__ import annotations

from ipaddress import ip_network
from pathlib import Path

import pytest

from bot.production import exposed_without_proxy
from bot.settings import Settings


def settings(tmp_path: Path, **env: str) -> Settings:
    return Settings.from_env({"BOT_DATA_DIR": str(tmp_path / "data"), **env})


def test_loopback_by_default_and_metrics_for_loopback_only(tmp_path: Path) -> None:
    read = settings(tmp_path)
    assert read.bind_host == "127.0.0.1"
    assert read.metrics_allow == (ip_network("127.0.0.1/32"),)


def test_a_host_and_an_allow_list_are_read(tmp_path: Path) -> None:
    read = settings(tmp_path, BOT_BIND_HOST="0.0.0.0", BOT_METRICS_ALLOW="10.0.0.0/8, 192.168.1.5")
    assert read.bind_host == "0.0.0.0"
    assert read.metrics_allow == (ip_network("10.0.0.0/8"), ip_network("192.168.1.5/32"))


@pytest.mark.parametrize(
    ("name", "value"), [("BOT_BIND_HOST", "example.org"), ("BOT_METRICS_ALLOW", "10.0.0.0/33")]
)
def test_a_bad_value_stops_start_up_naming_the_variable(tmp_path: Path, name: str, value: str) -> None:
    with pytest.raises(SystemExit, match=name):
        settings(tmp_path, **{name: value})


def test_warned_only_when_exposed_with_no_trusted_proxy() -> None:
    assert exposed_without_proxy("127.0.0.1", ()) is None
    assert exposed_without_proxy("::1", ()) is None
    assert exposed_without_proxy("0.0.0.0", (ip_network("10.0.0.1/32"),)) is None
    warning = exposed_without_proxy("0.0.0.0", ())
    assert warning is not None and "BOT_TRUSTED_PROXIES" in warning
