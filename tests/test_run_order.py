"""How a run is shared between the two xdist workers (tests/conftest.py): what must share a worker does, and
the largest units of work are handed out first, so that a run does not end with one worker busy and the other
idle.

The order is checked on a real collection (an inner `pytest --collect-only`, as every worker collects) of a
few files of each kind, given in the opposite order.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import xdist_group_of

ROOT = Path(__file__).resolve().parent.parent
QUICK = "tests/dialogue/test_reading.py"
BROWSER = "tests/web/test_web_browser.py"
POSTGRES = "tests/store/test_postgres_roles.py"
E2E = "tests/e2e/test_thin_path.py"
SCALED = "tests/e2e/test_run_scaled.py"


def test_an_end_to_end_modules_tests_share_a_group_and_modules_do_not() -> None:
    one = xdist_group_of(f"{E2E}::test_a")
    assert one == xdist_group_of(f"{E2E}::test_b") == f"e2e:{E2E}"
    assert xdist_group_of("tests/e2e/test_full_walk.py::test_a") != one
    # The scaled stack's two files share one `bot run --scaled` stack, so one worker.
    assert xdist_group_of(f"{SCALED}::test_a") == xdist_group_of("tests/e2e/test_run_scaled_faults.py::t")
    # So do the two files that share one `bot run` (tests/e2e/bot_run_stack.py).
    probes = xdist_group_of("tests/e2e/test_bot_run_probes.py::test_a")
    assert probes == xdist_group_of("tests/e2e/test_bot_run_restarts.py::t") == "e2e-bot-run"
    # The two deploy files share one validator run (tests/fixtures/manifest_validation.py), so one worker.
    manifests = xdist_group_of("tests/test_deploy_manifests.py::test_a")
    assert manifests == xdist_group_of("tests/test_deploy_manifests_scaled.py::t") == "deploy-manifests"
    actions = xdist_group_of("tests/actions/test_action_probes.py::test_a")
    assert actions == xdist_group_of("tests/actions/test_action_server_token.py::t") == "action-server"


def test_postgresql_tests_share_the_runs_one_server_and_the_rest_go_anywhere() -> None:
    assert xdist_group_of(f"{POSTGRES}::test_a") == "postgresql"
    assert xdist_group_of("tests/store/test_verbatim.py::test_a[postgresql]") == "postgresql"
    assert xdist_group_of("tests/store/test_verbatim.py::test_a[sqlite]") is None
    assert xdist_group_of(f"{QUICK}::test_a") is None


def test_a_collection_puts_the_largest_units_first() -> None:
    env = os.environ | {"PYTHONDONTWRITEBYTECODE": "1"}
    command = ["-m", "pytest", "-p", "no:cacheprovider", "-n", "0", "-q", "-m", "", "--collect-only"]
    collected = subprocess.run(
        [sys.executable, *command, QUICK, BROWSER, E2E, POSTGRES, SCALED],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    files = [line.split("::")[0] for line in collected.splitlines() if "::" in line]
    kinds = [SCALED, POSTGRES, E2E, BROWSER, QUICK]
    assert all(kind in files for kind in kinds), collected[-2000:]
    firsts = [files.index(kind) for kind in kinds]
    lasts = [len(files) - 1 - files[::-1].index(kind) for kind in kinds]
    assert all(lasts[i] < firsts[i + 1] for i in range(len(kinds) - 1)), [
        (k, f, last) for k, f, last in zip(kinds, firsts, lasts, strict=True)
    ]
