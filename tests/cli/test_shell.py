"""`bot shell` before it reaches a running app: who it signs in as, and one line when it cannot (issue #28).

Talking through the running product is tests/e2e/test_bot_shell.py. The first test runs the real `bot`; the
others call it in-process (tests/cli/in_process.py)."""

from __future__ import annotations

from pathlib import Path

from bot.runtime.processes import free_port
from tests.cli.in_process import run_in_process
from tests.cli.test_conventions import run


def test_without_user_or_development_sign_ins_it_says_what_to_do(tmp_path: Path) -> None:
    result = run(tmp_path, "shell")
    assert result.returncode == 1
    sign_ins = tmp_path / "secrets" / "dev-sign-ins.txt"
    assert result.stderr.decode().splitlines() == [
        f"bot: no development sign-ins in {sign_ins}: start `bot run` in embedded mode, or give --user"
    ]


def test_the_development_practitioner_is_used_and_an_app_that_is_not_running_is_one_line(
    tmp_path: Path,
) -> None:
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "dev-sign-ins.txt").write_text(
        "dev-lead\tlead\tx\ndev-practitioner\tpractitioner\ty\n"
    )
    address = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    result = run_in_process(tmp_path, "shell", "--url", address)
    assert result.returncode == 1
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"bot: could not reach the app at {address} ("), lines
    assert lines[0].endswith("); is `bot run` running?")


def test_an_address_that_is_not_http_is_refused_before_anything_is_opened(tmp_path: Path) -> None:
    (tmp_path / "secrets").mkdir()
    (tmp_path / "secrets" / "dev-sign-ins.txt").write_text("dev-practitioner\tpractitioner\ty\n")
    result = run_in_process(tmp_path, "shell", "--url", "file:///etc")
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == [
        "bot: --url must be the app's http:// or https:// address, not 'file:///etc'"
    ]
