"""The CPU-cost report (tests/fixtures/cpu_costs.py) names the files that used the CPU, its own and a
command's, in a real pytest run of two small files, and shows each pytest-xdist worker's share of a run."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

from bot.settings import REPO_ROOT
from tests.fixtures.cpu_costs import busy_seconds, machine_busy, machine_times, timeline

# Each burns CPU until its process has used this much: the report must show at least that.
BURN_SECONDS = 0.3
BURN = f"""
import time
def burn():
    start = time.process_time()
    while time.process_time() - start < {BURN_SECONDS}:
        pass
"""


# The suite's bytecode cache (the Makefile's PYTHONPYCACHEPREFIX), read but not written by the nested runs:
# without it each one compiled pytest, pytest-xdist and their imports from source again (~1 s a process).
CACHED = {key: os.environ[key] for key in ("PYTHONPYCACHEPREFIX",) if key in os.environ}


def run_pytest(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """pytest in `folder` with only the report's plugin, as a run of the suite loads it."""
    plugins = ("-p", "no:cacheprovider", "-p", "tests.fixtures.cpu_costs")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", *plugins, "-q", *args],
        cwd=folder,
        env={"PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"} | CACHED,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


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
    result = run_pytest(tmp_path)
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
    machine = re.search(
        r"the machine \((\d+) cores, every process\): busy (\d+)% of the run, idle (\d+)%", result.stdout
    )
    assert machine and 0 < int(machine[2]) <= 100 and int(machine[2]) + int(machine[3]) in (99, 100, 101)
    assert re.search(r"-?[\d.]+ s +busy but counted above by no test: servers that outlive", result.stdout)


def test_the_machines_busy_share_counts_idle_and_io_wait_as_not_busy() -> None:
    # cpu  user nice system idle iowait irq softirq steal guest guest_nice (clock ticks, every core)
    start = machine_times("cpu  100 0 50 800 50 0 0 0 30 0\ncpu0 1 2 3 4 5 6 7 8\n")
    end = machine_times("cpu  400 0 150 1300 50 0 0 0 90 0\n")
    assert start == (150, 1000) and end == (550, 1900)  # guest time is inside user time: not added again
    assert machine_busy(start, end) == 400 / 900
    assert machine_busy(start, start) == 0.0
    assert busy_seconds(start, end, 100) == 4.0  # 400 busy ticks at 100 a second


LINE = re.compile(
    r"worker (?P<n>\d): +(?P<tests>\d+) tests, +(?P<busy>[\d.]+) s in tests, first at +(?P<first>[\d.]+) s, "
    r"last ended at +(?P<last>[\d.]+) s \((?P<before>[\d.]+) s before the run's last\)"
)


def test_two_workers_each_report_their_tests_and_the_later_one_ends_the_run(tmp_path: Path) -> None:
    # Four tests that each sleep: with --dist load each worker takes some, and every test is counted once.
    (tmp_path / "test_sleeps.py").write_text(
        "import time\nimport pytest\n\n@pytest.mark.parametrize('n', range(4))\n"
        "def test_sleeps(n):\n    time.sleep(0.2)\n",
        encoding="utf-8",
    )
    result = run_pytest(tmp_path, "-n", "2", "--dist=load")
    workers = [match.groupdict() for match in LINE.finditer(result.stdout)]
    assert len(workers) == 2, result.stdout
    assert sum(int(w["tests"]) for w in workers) == 4
    for worker in workers:
        assert float(worker["busy"]) >= 0.2 * int(worker["tests"])
        assert float(worker["last"]) >= float(worker["first"])
    assert min(float(w["before"]) for w in workers) == 0.0  # one of them ended the run


def test_a_run_without_tests_prints_nothing() -> None:
    assert timeline([]) == []
    assert timeline([{"tests": 0, "busy": 0.0, "first": 0.0, "last": 0.0}]) == []
