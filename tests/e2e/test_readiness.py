"""Issue #35: the running product's /readyz, with the real engine: 200 with everything up, 503 naming the
engine soon after the engine process is killed outright, and 200 again once it is started again (as
Product.restart does for the other restart tests, so later tests find the engine up)."""

from __future__ import annotations

import json
import os
import signal
import time
import urllib.error
import urllib.request

from bot.runtime import processes
from tests.e2e.conftest import Product

# The bound: a probe must see the engine gone within this long of the kill.
NOTICED_WITHIN_SECONDS = 5.0


def readiness(product: Product) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"{product.settings.app_url}/readyz", timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_readiness_names_the_killed_engine_and_recovers(product: Product) -> None:
    assert readiness(product) == (
        200,
        {"status": "ready", "checks": {"database": "ok", "engine": "ok", "action_server": "ok"}},
    )
    engine = next(s for s in product.services if s.name == "engine")
    assert engine.process is not None
    try:
        os.killpg(engine.process.pid, signal.SIGKILL)
        engine.process.wait()
        deadline = time.monotonic() + NOTICED_WITHIN_SECONDS
        status, answer = readiness(product)
        while status != 503 and time.monotonic() < deadline:
            time.sleep(0.2)
            status, answer = readiness(product)
        assert status == 503, answer
        assert answer["down"] == ["engine"]
    finally:
        product.start(engine)
        processes.wait_healthy([engine])
    assert readiness(product)[0] == 200
