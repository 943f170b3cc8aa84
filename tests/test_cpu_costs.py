"""The CPU-cost report (tests/fixtures/cpu_costs.py) names the files that used the CPU, its own and a
command's, in a real pytest run of two small files."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

from bot.settings import REPO_ROOT

# Each burns CPU until its process has used this much: the report must show at least that.
BURN_SECONDS = 0.3
BURN = f"""
import time
def burn():
    start = time.process_time()
    while time.process_time() - start < {BURN_SECONDS}:
        pass
"""


def test_the_report_shows_the_files_that_used_the_cpu_and_what_their_commands_used(tmp_path: Path) -> None:
    # A server shared by the session, stopped (and waited for) when the session ends, inside the last test's
    # tear-down: its CPU is on a line of its own, not charged to the last file (test_own.py runs last).
    (tmp_path / "conftest.py").write_text(
        textwrap.dedent(
            f"""
            import subprocess, sys
            import pytest
            @pytest.fixture(scope="session", autouse=True)
            def shared_server():
                server = subprocess.Popen([sys.executable, "-c", {BURN + "burn()"!r}])
                yield
                server.wait()
            """
        ),
        encoding="utf-8",
    )
    (tmp_path / "test_own.py").write_text(BURN + "\ndef test_burns():\n    burn()\n", encoding="utf-8")
    (tmp_path / "test_command.py").write_text(
        textwrap.dedent(
            f"""
            import subprocess, sys
            def test_runs_a_command():
                subprocess.run([sys.executable, "-c", {BURN + "burn()"!r}], check=True)
            def test_idles():
                pass
            """
        ),
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "tests.fixtures.cpu_costs", "-q"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    lines = {
        match["name"]: (float(match["own"]), float(match["commands"]), int(match["tests"]))
        for match in re.finditer(
            r"s +\((?P<own>[\d.]+) own, (?P<commands>[\d.]+) commands\) +(?P<tests>\d+) tests +(?P<name>\S+)",
            result.stdout,
        )
    }
    assert set(lines) == {"test_own.py", "test_command.py"}, result.stdout
    assert lines["test_own.py"][0] >= BURN_SECONDS and lines["test_own.py"][2] == 1
    assert lines["test_own.py"][1] == 0.0, result.stdout  # the shared server is not this file's
    assert lines["test_command.py"][1] >= BURN_SECONDS and lines["test_command.py"][2] == 2
    assert "all tests:" in result.stdout
    shared = re.search(
        r"([\d.]+) s +\(shared servers and fixtures, stopped when the session ended\)", result.stdout
    )
    assert shared and float(shared[1]) >= BURN_SECONDS, result.stdout
