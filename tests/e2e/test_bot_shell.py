"""`bot shell` against the running product, driven through a pipe as a person at a terminal would (issue #28).

The real CLI process signs in to the real app, which talks to the real engine and action server; the test
reads what the shell prints, answers by number and by typing, and then reads back what the store holds.
"""

from __future__ import annotations

import os
import queue
import re
import subprocess
import sys
import threading
from pathlib import Path

from bot.settings import REPO_ROOT
from tests.e2e.conftest import Product

PROMPT = "you> "
# Deadlock guard only (a shell that never prompts again fails the test instead of hanging it).
GUARD_SECONDS = 240
LEAD_ADVICE = "She said to keep a note of dates 📅 and to ring her back on Friday.  "


class Shell:
    """`bot shell` in a pipe: everything it prints is collected by a thread; `turn` waits for the prompt."""

    def __init__(self, product: Product, *args: str) -> None:
        self.process = subprocess.Popen(
            [str(Path(sys.executable).parent / "bot"), "shell", *args],
            env={**product.env, "PYTHONUNBUFFERED": "1", "PYTHONIOENCODING": "utf-8"},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=REPO_ROOT,
        )
        self._chunks: queue.Queue[bytes] = queue.Queue()
        self.printed = ""
        threading.Thread(target=self._collect, daemon=True).start()

    def _collect(self) -> None:
        assert self.process.stdout is not None
        while chunk := os.read(self.process.stdout.fileno(), 4096):
            self._chunks.put(chunk)
        self._chunks.put(b"")

    def write(self, line: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(line.encode() + b"\n")
        self.process.stdin.flush()

    def turn(self) -> str:
        """What the shell printed up to its next prompt."""
        start, buffer = len(self.printed), b""
        while not buffer.decode(errors="replace").endswith(PROMPT):
            chunk = self._chunks.get(timeout=GUARD_SECONDS)
            assert chunk, f"the shell ended: {buffer.decode()!r} {self._stderr()}"
            buffer += chunk
        self.printed += buffer.decode()
        return self.printed[start:]

    def leave(self) -> tuple[int, str, str]:
        """Ctrl-D: standard input closed. (exit code, the rest of what it printed, its standard error)."""
        assert self.process.stdin is not None and self.process.stderr is not None
        self.process.stdin.close()
        code = self.process.wait(timeout=GUARD_SECONDS)
        rest = b""
        while chunk := self._chunks.get(timeout=GUARD_SECONDS):
            rest += chunk
        errors = self.process.stderr.read().decode()
        self.close()
        return code, rest.decode(), errors

    def close(self) -> None:
        """Every pipe closed and the process gone, whatever happened (the collecting thread ends at EOF)."""
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for pipe in (self.process.stdin, self.process.stdout, self.process.stderr):
            if pipe is not None and not pipe.closed:
                pipe.close()

    def _stderr(self) -> str:
        self.process.kill()
        assert self.process.stderr is not None
        errors = self.process.stderr.read().decode()
        self.close()
        return errors


def option_number(printed: str, title: str) -> str:
    found = re.search(rf"^  (\d+)\. {re.escape(title)}$", printed, re.MULTILINE)
    assert found, f"no option {title!r} in {printed!r}"
    return found.group(1)


def test_a_practitioner_answers_in_the_terminal_and_the_store_holds_it(product: Product) -> None:
    shell = Shell(product, "--user", product.practitioner)
    try:
        reference = _talk(shell, product)
    finally:
        shell.close()

    export = product.export_reference(reference)
    assert export["assessment"]["practitioner"] == product.practitioner
    answers = {a["question_id"]: a["revisions"][-1]["text"] for a in export["answers"]}
    assert answers["immediate_danger"] == "No"
    assert answers["discussed_with_lead"] == "Yes"
    assert answers["lead_advice"] == LEAD_ADVICE  # verbatim, trailing spaces and emoji included
    assert not export["assessment"]["urgent"]


def _talk(shell: Shell, product: Product) -> str:
    """Two refusals (the shell's and the app's), two options by number, a typed answer, Ctrl-D."""
    shell.write(product.password)  # the first line of a piped standard input
    first = shell.turn()
    reference = re.search(r"assessment (A-[0-9A-Z]{6})", first)
    assert reference, first
    assert "Is anyone in immediate danger right now?" in first
    assert "  1. " in first

    shell.write("99")
    refused_here = shell.turn()
    assert "(not sent: choose a number from 1 to" in refused_here
    shell.write("/not a control")
    refused_there = shell.turn()  # the app's own refusal, as the page shows it
    assert "(not sent: " in refused_there and "/" in refused_there

    shell.write(option_number(first, "No"))
    second = shell.turn()
    assert "bot> " in second
    shell.write(option_number(second, "Yes"))
    third = shell.turn()
    shell.write(LEAD_ADVICE)
    after = shell.turn()
    assert "bot> " in after, (third, after)

    code, rest, errors = shell.leave()
    assert code == 0, errors
    assert f"Left assessment {reference.group(1)}" in rest
    return reference.group(1)


def test_a_failed_sign_in_is_one_line(product: Product) -> None:
    # An account that does not exist, so that the product's own accounts meet no sign-in limit.
    result = product.bot("shell", "--user", "e2e-nobody", stdin="not a password\n")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"bot: could not sign in as 'e2e-nobody' at {product.settings.app_url}: check the name and password"
    ]
