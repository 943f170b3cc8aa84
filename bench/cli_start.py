"""What starting the `bot` command costs: median wall time and CPU of a few commands run as an operator (and
the tests) run them, a new process each time, and the imports each one makes (issue #27).

Figures only, for people to read: nothing asserts on them. Each command runs against a throw-away data folder
upgraded once beforehand, with the cheap password-hashing and SQLite-durability profiles the tests give their
`bot` subprocesses, so `user add` measures starting and storing, not argon2.

    .venv/bin/python bench/cli_start.py                  # every command, 10 runs each
    .venv/bin/python bench/cli_start.py -n 20 --commands help,report --packages 12
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench.common import positive
from bot.settings import REPO_ROOT

BOT = Path(sys.executable).parent / "bot"
PASSWORD = "a long enough passphrase for a bench\n"  # noqa: S105  # a throw-away account
# The profiles tests/conftest.py gives every `bot` subprocess (production refuses them).
TEST_PROFILES = {"BOT_PASSWORD_HASHING": "insecure-fast-for-tests", "BOT_SQLITE_DURABILITY": "fast-for-tests"}
IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)")


@dataclass(frozen=True)
class Command:
    name: str
    args: tuple[str, ...]
    stdin: str | None = None
    unique: bool = False  # the last argument gets the run's number (a new user each time)

    def argv(self, run: int) -> list[str]:
        return [*self.args[:-1], f"{self.args[-1]}{run}"] if self.unique else list(self.args)


COMMANDS = {
    command.name: command
    for command in (
        Command("help", ("--help",)),
        Command("version", ("--version",)),
        Command("db-upgrade", ("db", "upgrade")),  # on an upgraded database: the check every start makes
        Command("report", ("report", "--from", "2026-04-01", "--to", "2026-04-30")),
        Command(
            "user-add",
            ("user", "add", "--role", "practitioner", "--team", "T", "--create-team", "p"),
            PASSWORD,
            True,
        ),
        Command("user-list", ("user", "list")),
        Command("questions-check", ("questions", "check")),
    )
}


@dataclass(frozen=True)
class Figures:
    wall_s: float
    cpu_s: float
    import_ms: float
    packages: Counter[str]


def environment(data_dir: Path) -> dict[str, str]:
    """The caller's environment without its BOT_ settings, with this checkout first on the path (so a
    worktree measures its own code, whatever the shared environment's editable install points at)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("BOT_")}
    return env | TEST_PROFILES | {"BOT_DATA_DIR": str(data_dir), "PYTHONPATH": str(REPO_ROOT)}


def run_once(argv: list[str], env: dict[str, str], stdin: str | None) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one `bot` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    finished = subprocess.run(  # noqa: S603  # our own command
        [str(BOT), *argv], env=env, input=stdin, capture_output=True, text=True, check=False, cwd=REPO_ROOT
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if finished.returncode != 0:
        raise SystemExit(f"bot {' '.join(argv)} failed ({finished.returncode}): {finished.stderr.strip()}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def imports(argv: list[str], env: dict[str, str], stdin: str | None) -> tuple[float, Counter[str]]:
    """Milliseconds spent importing (the sum of every module's own time, `-X importtime`) and that sum per
    top-level package."""
    finished = subprocess.run(  # noqa: S603  # our own command
        [sys.executable, "-X", "importtime", str(BOT), *argv],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO_ROOT,
    )
    packages: Counter[str] = Counter()
    for line in finished.stderr.splitlines():
        if found := IMPORT_LINE.match(line):
            packages[found[2].split(".")[0]] += int(found[1]) / 1000
    return sum(packages.values()), packages


def measure(command: Command, runs: int, data_dir: Path) -> Figures:
    env = environment(data_dir)
    imports(command.argv(0), env, command.stdin)  # unmeasured: compiles anything not yet compiled
    import_ms, packages = imports(command.argv(runs + 1), env, command.stdin)
    samples = [run_once(command.argv(run + 1), env, command.stdin) for run in range(runs)]
    return Figures(
        statistics.median(wall for wall, _ in samples),
        statistics.median(cpu for _, cpu in samples),
        import_ms,
        packages,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--runs", type=positive, default=10, help="runs of each command (median)")
    parser.add_argument(
        "--commands", default=",".join(COMMANDS), help="comma-separated, from: " + ", ".join(COMMANDS)
    )
    parser.add_argument(
        "--packages", type=int, default=6, help="top-level packages listed per command by import time"
    )
    options = parser.parse_args()
    chosen = [name.strip() for name in options.commands.split(",") if name.strip()]
    if unknown := [name for name in chosen if name not in COMMANDS]:
        parser.error(f"unknown command(s): {', '.join(unknown)}")
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as folder:
        data_dir = Path(folder) / "data"
        run_once(["db", "upgrade"], environment(data_dir), None)
        print(f"{'command':<16} {'wall s':>7} {'CPU s':>6} {'imports ms':>10}  largest imports (ms)")
        for name in chosen:
            figures = measure(COMMANDS[name], options.runs, data_dir)
            largest = ", ".join(
                f"{package} {ms:.0f}" for package, ms in figures.packages.most_common(options.packages)
            )
            print(
                f"{name:<16} {figures.wall_s:7.2f} {figures.cpu_s:6.2f} {figures.import_ms:10.0f}  {largest}"
            )
    print(f"(medians of {options.runs} runs; CPU is user + system of the `bot` process)")


if __name__ == "__main__":
    main()
