"""`make sbom` writes a CycloneDX bill of materials of both environments from their lock files, and the
CycloneDX library's validator accepts it (issue #33)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


# cyclonedx-py reads some 4,000 hashed lock lines and the schema check is thorough: about half a minute.
# `make sbom` ends by validating both files (tools/check_sbom.py, which exits 1 on the first schema error:
# the test below shows it refusing); its lines saying so are read here rather than validating a second time.
@pytest.mark.slow
def test_make_sbom_lists_both_environments_and_the_validator_accepts_it() -> None:
    made = subprocess.run(["make", "--no-print-directory", "sbom"], cwd=REPO, capture_output=True, text=True)
    assert made.returncode == 0, made.stdout + made.stderr
    versions = {}
    for name in ("bot", "engine"):
        path = REPO / "var" / "sbom" / f"{name}.cdx.json"
        assert f"var/sbom/{name}.cdx.json: valid CycloneDX, " in made.stdout, made.stdout
        document = json.loads(path.read_text())
        assert document["bomFormat"] == "CycloneDX"
        versions[name] = {c["name"]: c["version"] for c in document["components"]}
    # Ours runs SQLAlchemy 2 with rasa-sdk; the engine its own SQLAlchemy 1.4 under Rasa.
    assert versions["bot"]["sqlalchemy"].startswith("2.") and "rasa-sdk" in versions["bot"]
    assert versions["engine"]["rasa"] == "3.6.21" and versions["engine"]["sqlalchemy"].startswith("1.4")


def test_the_validator_refuses_a_component_without_its_type(tmp_path: Path) -> None:
    bad = tmp_path / "bad.cdx.json"
    bad.write_text('{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"name": "x"}]}')
    check, main = the_validator()
    problem = check(bad)
    assert problem is not None and "'type' is a required property" in problem
    assert main([str(bad)]) == 1  # as `make sbom` runs it: a refusal fails the target


def the_validator() -> tuple[Callable[[Path], str | None], Callable[[list[str]], int]]:
    """tools.check_sbom's `check`, imported by the tests that use it: its CycloneDX validator imports
    jsonschema, whose format checks build some forty grammars at import (about 2 CPU s), and every pytest
    process collects this module, most of them without running either test (issue #27)."""
    from tools.check_sbom import check, main

    return check, main
