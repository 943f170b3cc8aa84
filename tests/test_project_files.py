"""The files a newcomer and a security researcher look for first are there, and say what they must (#28)."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_the_licence_the_security_policy_and_the_changelog_exist() -> None:
    for name in ("LICENCE", "SECURITY.md", "CHANGELOG.md"):
        assert (REPO / name).is_file(), f"{name} is missing"
    assert (REPO / "LICENCE").read_text(encoding="utf-8").startswith("MIT License")
    assert (REPO / "CHANGELOG.md").read_text(encoding="utf-8").startswith("# Changelog")


def test_the_security_policy_says_how_to_report_a_vulnerability_privately() -> None:
    policy = (REPO / "SECURITY.md").read_text(encoding="utf-8")
    assert re.search(r"^## How to report a vulnerability", policy, re.MULTILINE)
    assert "private vulnerability reporting" in policy
    assert "Report a vulnerability" in policy
    assert "Never include real case data" in policy


def test_the_readme_links_the_security_policy_the_changelog_and_the_licence() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name in ("SECURITY.md", "CHANGELOG.md", "LICENCE"):
        assert f"]({name})" in readme, f"README.md does not link {name}"
