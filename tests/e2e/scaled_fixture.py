"""`bot run --scaled` shared by its tests (issues #34, #27): the `scaled` fixture and what its tests share.

Starting the command costs minutes of CPU (a private PostgreSQL, Redis, two engines, two action servers, two
apps, HAProxy), so one stack serves the tests of tests/e2e/test_run_scaled.py and
tests/e2e/test_run_scaled_faults.py, which run in one pytest-xdist group (tests/conftest.py). Each test is
kept apart by its own data: its own practitioner accounts (`practitioner`) and assessments, and only what
was written after it began (`said`, `log_says`). After each test the stack must be whole again
(tests/e2e/scaled_stack.py); if it cannot be made whole it is stopped, with a `StackReplaced` warning, and the
next test starts a fresh one, so one test's fault never fails another. When no test after it needs the
stack, Ctrl-C must stop all it started (no process, no port left listening): a failure there is an error in
the tear-down of the test that used it last.
"""

from __future__ import annotations

import csv
import io
import json
import secrets
import time
import urllib.request
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from tests.e2e.bot_command import bot_in_process
from tests.e2e.bot_run_process import alive
from tests.e2e.bot_run_process import dev_password as bot_run_password
from tests.e2e.scaled_stack import ScaledStack
from tests.e2e.web_practitioner import WebPractitioner
from tests.web.web_helpers import sign_in

# The test that runs next on this worker, kept by tests/e2e/conftest.py: the stack stops when it needs none.
NEXT_ITEM = pytest.StashKey["pytest.Item | None"]()


class StackReplaced(UserWarning):
    """A test left the stack broken: it was stopped, and the next test starts a fresh one."""


@dataclass
class Scaled:
    """The shared stack as one test sees it."""

    env: dict[str, str]  # the `bot` commands' environment, with the private cluster's store URL
    app_url: str  # HAProxy's front door
    app_ports: list[str]  # each app process's own port
    stats_url: str
    summary: str  # what the command said when it was ready
    output: Path  # what `bot run --scaled` prints
    pid: int
    marks: dict[Path, int]  # how long the output and each process log were when the test began

    def served(self) -> dict[str, int]:
        """Requests each server behind HAProxy has been sent (its CSV statistics, `stot` per server)."""
        with urllib.request.urlopen(f"{self.stats_url};csv", timeout=10) as response:  # loopback
            text = response.read().decode().lstrip("# ")
        return {
            row["svname"]: int(row["stot"])
            for row in csv.DictReader(io.StringIO(text))
            if row["svname"] not in ("FRONTEND", "BACKEND")
        }

    def bot(self, *args: str, stdin: str | None = None) -> str:
        """A `bot` command run beside the product, on its store; its standard output. Called in this
        process with the product's environment (tests/e2e/bot_command.py): a fresh interpreter per export
        cost more CPU than the export, and these calls are about what was stored, not about the process."""
        result = bot_in_process(self.env, *args, stdin=stdin)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def export(self, reference: str) -> dict[str, Any]:
        return json.loads(self.bot("assessments", "export", f"--id={reference}"))

    def practitioner(self, name: str) -> tuple[str, str]:
        """A practitioner account of this test's own (`name` and a suffix): its username and password."""
        username, password = f"{name}-{secrets.token_hex(3)}", secrets.token_urlsafe(18)
        self.bot(
            "user", "add", username, "--role=practitioner", "--team=Development team", stdin=password + "\n"
        )
        return username, password

    def said(self, path: Path | None = None) -> str:
        """What the command's output (or the log at `path`) got since the test began."""
        path = path or self.output
        with path.open("rb") as log:
            log.seek(self.marks.get(path, 0))
            return log.read().decode(errors="replace")

    def log_says(self, text: str, timeout: float) -> None:
        """Wait until the command's output says `text` after the test began (not if the command ended)."""
        deadline = time.monotonic() + timeout
        while text not in (said := self.said()):
            assert alive(self.pid), f"bot run --scaled stopped:\n{said[-3000:]}"
            assert time.monotonic() < deadline, f"no {text!r}:\n{said[-3000:]}"
            time.sleep(0.2)


class Stacks:
    """This worker's stack, started when a test first needs it."""

    def __init__(self, folders: pytest.TempPathFactory) -> None:
        self.folders = folders
        self.current: ScaledStack | None = None

    def get(self) -> ScaledStack:
        if self.current is None:
            self.current = ScaledStack(self.folders.mktemp("scaled"))
        return self.current

    def stop(self) -> None:
        stack, self.current = self.current, None
        if stack is not None:
            stack.stop()


@pytest.fixture(scope="session", name="scaled_stacks")
def scaled_stacks_of_worker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stacks]:
    stacks = Stacks(tmp_path_factory)
    yield stacks
    stacks.stop()  # only if a test's own tear-down did not (it always does, given the next test)


@pytest.fixture(name="scaled")  # named apart from its test's parameter: importing it shadows nothing
def scaled_product(scaled_stacks: Stacks, request: pytest.FixtureRequest) -> Iterator[Scaled]:
    stack = scaled_stacks.get()
    logs = [stack.output, *(Path(stack.env["BOT_DATA_DIR"]) / "logs").glob("*.log")]
    marks = {path: path.stat().st_size for path in logs}
    yield Scaled(
        stack.env | {"BOT_DATABASE_URL": stack.store_url},
        stack.app_url,
        stack.app_ports,
        stack.stats_url,
        stack.summary,
        stack.output,
        stack.run.pid,
        marks,
    )
    following = request.node.stash.get(NEXT_ITEM, None)
    if following is None or "scaled" not in getattr(following, "fixturenames", ()):
        scaled_stacks.stop()  # Ctrl-C, checked: nothing after this test needs the stack
        return
    missing = stack.missing(since=marks[stack.output])
    if missing is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("always", StackReplaced)  # reported in the run's warnings, not an error
            warnings.warn(
                f"bot run --scaled was not whole after {request.node.name} ({missing}): stopped; the next "
                "test starts a fresh one",
                StackReplaced,
                stacklevel=1,
            )
        scaled_stacks.stop()


def dev_password(scaled: Scaled, username: str) -> str:
    return bot_run_password(scaled.env, username)


async def signed_in(client: aiohttp.ClientSession, username: str, password: str) -> WebPractitioner:
    assert (await sign_in(client, username, password)).status == 303  # type: ignore[arg-type]
    return WebPractitioner(client)


def assert_stored_once_verbatim(scaled: Scaled, reference: str, typed: list[str]) -> dict[str, Any]:
    """Every answer typed in `reference` is in its export once, byte for byte, and no question's answer was
    stored twice (a second revision). The export, for further checks."""
    exported = scaled.export(reference)
    assert typed, f"the walk of {reference} typed no answer"
    stored = [revision["text"] for answer in exported["answers"] for revision in answer["revisions"]]
    for text in typed:
        assert stored.count(text) == 1, f"{text!r} stored {stored.count(text)} times"
    for answer in exported["answers"]:
        assert len(answer["revisions"]) == 1, f"{answer['question_id']} stored more than once"
    return exported
