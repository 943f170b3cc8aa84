"""The worker report (tests/fixtures/worker_times.py) shows each pytest-xdist worker's share of a real run."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from bot.settings import REPO_ROOT
from tests.fixtures.worker_times import timeline

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
    plugins = ["-p", "no:cacheprovider", "-p", "tests.fixtures.worker_times"]
    result = subprocess.run(
        [sys.executable, "-m", "pytest", *plugins, "-n", "2", "--dist=load", "-q"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(REPO_ROOT), "PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
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
