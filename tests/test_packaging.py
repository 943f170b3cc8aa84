"""What pyproject.toml promises a newcomer (issue #28): the tools that only the tests and the lint use are in
the `dev` dependency group, which `uv sync` (and so `make`) installs by default, never among the product's
runtime dependencies; the mail sink that `make run` starts stays a runtime one; the licence is declared and
its file ships; and uv.lock says what pyproject.toml asks for."""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
DEV_TOOLS = ("pytest", "pytest-asyncio", "pytest-xdist", "hypothesis", "ruff", "playwright")


def names(requirements: list[str]) -> set[str]:
    return {re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0].lower() for requirement in requirements}


def test_dev_tools_are_a_dependency_group_that_uv_installs_by_default() -> None:
    runtime = names(PYPROJECT["project"]["dependencies"])
    dev = names(PYPROJECT["dependency-groups"]["dev"])
    assert set(DEV_TOOLS) <= dev
    assert runtime.isdisjoint(DEV_TOOLS)
    assert PYPROJECT["tool"]["uv"]["default-groups"] == ["dev"]  # `uv sync --frozen` in the Makefile


def test_the_embedded_mail_sink_is_a_runtime_dependency() -> None:
    """`make run` in embedded mode starts bot.notify.mail_sink, which is aiosmtpd's SMTP server."""
    assert "from aiosmtpd" in (REPO / "bot/notify/mail_sink.py").read_text(encoding="utf-8")
    assert "aiosmtpd" in names(PYPROJECT["project"]["dependencies"])


def test_the_licence_is_declared_and_its_file_ships() -> None:
    assert PYPROJECT["project"]["license"] == "MIT"
    assert PYPROJECT["project"]["license-files"] == ["LICENCE"]
    assert (REPO / "LICENCE").read_text(encoding="utf-8").startswith("MIT License")
    installed = importlib.metadata.metadata("safeguarding-assessment-bot")
    assert installed["License-Expression"] == "MIT" and installed.get_all("License-File") == ["LICENCE"]


def test_the_lock_file_is_up_to_date() -> None:
    """`uv lock --check --offline`: uv.lock still satisfies pyproject.toml, asking no index."""
    done = subprocess.run(
        [str(REPO / ".tools/bin/uv"), "lock", "--check", "--offline"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
