"""The Makefile explains itself: `make help` lists every phony target, and no text names a target that is not
there (issue #28: the code once told people to run `make engine`, which silently did nothing)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MAKEFILE = (REPO / "Makefile").read_text()
TARGET_LINE = re.compile(r"^([A-Za-z0-9_.$()/-]+):(?!=)(.*)$", re.MULTILINE)
# `make run`, `make test-quick`, ...: a code span in prose or a message, or a command line in a code block.
MENTION = re.compile(r"(?:`|^\s*)make ([a-z][a-z0-9.-]*)\b", re.MULTILINE)
SUFFIXES = {".md", ".py", ".sh"}
WHERE = ("README.md", "docs", "bot", "actions", "tools", "engine", "bench")


def phony_targets() -> list[str]:
    declared = re.search(r"^\.PHONY:((?:.*\\\n)*.*)$", MAKEFILE, re.MULTILINE)
    assert declared is not None
    return declared.group(1).replace("\\\n", " ").split()


def targets() -> dict[str, str]:
    """Each rule's target and what follows its colon."""
    return {name: rest for name, rest in TARGET_LINE.findall(MAKEFILE) if not name.startswith(".PHONY")}


def test_every_phony_target_has_a_rule_and_a_one_line_description() -> None:
    rules = targets()
    for name in phony_targets():
        assert name in rules, f"{name} is declared phony but has no rule"
        assert "## " in rules[name], f"`{name}:` has no `## description` for make help"


def test_make_help_lists_every_phony_target() -> None:
    # make is how this project is run and tested (the README's two commands): no make, no test run.
    shown = subprocess.run(["make", "--no-print-directory", "help"], cwd=REPO, capture_output=True, text=True)
    assert shown.returncode == 0, shown.stderr
    listed = re.findall(r"^  make (\S+) +\S", shown.stdout, re.MULTILINE)
    assert sorted(listed) == sorted(phony_targets())


def mentions() -> list[tuple[str, str]]:
    found = []
    for where in WHERE:
        root = REPO / where
        files = (
            [root] if root.is_file() else [p for p in root.rglob("*") if p.suffix in {".md", ".py", ".sh"}]
        )
        for path in files:
            for name in MENTION.findall(path.read_text(errors="replace")):
                found.append((str(path.relative_to(REPO)), name))
    return found


def test_every_make_target_named_in_the_docs_and_code_exists() -> None:
    rules = targets()
    missing = [f"{path}: make {name}" for path, name in mentions() if name not in rules]
    assert not missing, "names a target the Makefile does not have:\n" + "\n".join(missing)
