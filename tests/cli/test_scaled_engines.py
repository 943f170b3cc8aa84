"""`bot run --scaled` starts BOT_SCALED_ENGINES engines (default two) behind HAProxy, for bench/soak.py's
comparison of one engine with two (issue #34). The services are built, not started: HAProxy checks the
configuration it is given (`haproxy -c`), so a configuration with one engine is one HAProxy accepts."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.runtime.scaled import COPIES, ScaledSetupFailed, engine_count, scaled_product
from bot.settings import Settings


def test_two_engines_unless_told_otherwise() -> None:
    assert engine_count({}) == COPIES == 2
    assert engine_count({"BOT_SCALED_ENGINES": ""}) == 2
    assert engine_count({"BOT_SCALED_ENGINES": "1"}) == 1
    assert engine_count({"BOT_SCALED_ENGINES": " 3 "}) == 3


@pytest.mark.parametrize("value", ["0", "9", "-1", "two", "1.5", "2 engines"])
def test_a_count_out_of_range_stops_start_up_naming_the_variable(value: str) -> None:
    with pytest.raises(ScaledSetupFailed, match="BOT_SCALED_ENGINES must be a whole number from 1 to 8"):
        engine_count({"BOT_SCALED_ENGINES": value})


@pytest.mark.engine  # the scaled product checks the engine environment is there
@pytest.mark.parametrize("engines", [1, 2])
def test_the_services_and_haproxy_have_that_many_engines_and_two_of_the_rest(
    tmp_path: Path, engines: int
) -> None:
    settings = Settings.from_env({"BOT_DATA_DIR": str(tmp_path / "data")})
    services, _ = scaled_product(settings, tmp_path / "model.tar.gz", {}, stats_port=1, engine_copies=engines)
    names = [service.name for service in services]
    assert [n for n in names if n.startswith("engine-")] == [f"engine-{n}" for n in range(1, engines + 1)]
    assert [n for n in names if n.startswith(("app-", "actions-"))] == [
        "actions-1",
        "actions-2",
        "app-1",
        "app-2",
    ]
    config = (settings.data_dir / "scaled" / "haproxy.cfg").read_text()
    backend = config.split("\nbackend engines\n", 1)[1].split("\nbackend ", 1)[0]
    assert [line.split()[1] for line in backend.splitlines() if line.strip().startswith("server ")] == [
        f"engine-{n}" for n in range(1, engines + 1)
    ]
