"""The README's quick start is exactly two commands: one runs the product on embedded defaults, one runs the
whole test suite; `.ci/run` calls the second."""

from __future__ import annotations

import re

from bot.settings import REPO_ROOT


def test_the_quick_start_is_make_run_and_make_test_and_ci_calls_the_test_command() -> None:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1]
    block = re.search(r"```\n(.*?)```", section, re.DOTALL)
    assert block, "no command block under Quick start"
    commands = [line.split("#", 1)[0].strip() for line in block.group(1).splitlines() if line.strip()]
    assert commands == ["make run", "make test"]
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"^make test\b", ci, re.MULTILINE)
