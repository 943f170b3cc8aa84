"""`make sbom` writes a CycloneDX bill of materials of both environments from their lock files, and the
CycloneDX library's validator accepts it (issue #33)."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


# cyclonedx-py reads some 4,000 hashed lock lines and the schema check is thorough: about a minute.
@pytest.mark.slow
def test_make_sbom_lists_both_environments_and_the_validator_accepts_it() -> None:
    made = subprocess.run(["make", "--no-print-directory", "sbom"], cwd=REPO, capture_output=True, text=True)
    assert made.returncode == 0, made.stdout + made.stderr
    check = the_validator()
    versions = {}
    for name in ("bot", "engine"):
        path = REPO / "var" / "sbom" / f"{name}.cdx.json"
        assert check(path) is None
        document = json.loads(path.read_text())
        assert document["bomFormat"] == "CycloneDX"
        versions[name] = {c["name"]: c["version"] for c in document["components"]}
    # Ours runs SQLAlchemy 2 with rasa-sdk; the engine its own SQLAlchemy 1.4 under Rasa.
    assert versions["bot"]["sqlalchemy"].startswith("2.") and "rasa-sdk" in versions["bot"]
    assert versions["engine"]["rasa"] == "3.6.21" and versions["engine"]["sqlalchemy"].startswith("1.4")


def test_the_validator_refuses_a_component_without_its_type(tmp_path: Path) -> None:
    bad = tmp_path / "bad.cdx.json"
    bad.write_text('{"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"name": "x"}]}')
    problem = the_validator()(bad)
    assert problem is not None and "'type' is a required property" in problem


def the_validator() -> Callable[[Path], str | None]:
    """tools.check_sbom's `check`, imported by the tests that use it: its CycloneDX validator imports
    jsonschema, whose format checks build some forty grammars at import (about 2 CPU s), and every pytest
    process collects this module, most of them without running either test (issue #27)."""
    from tools.check_sbom import check

    return check
