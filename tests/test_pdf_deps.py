"""`make run` names (or, as root, installs) the text-shaping libraries WeasyPrint loads for the PDF exports
before it starts anything (issue #28): a machine without Pango or HarfBuzz's subsetter is told what to
install, instead of the product starting and a lead's first PDF failing.

The script runs as it is; on this machine both libraries are there, so the "missing" case gives it a
`ldconfig` that lists no library and an `id` that is not root, first on its PATH."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCRIPT = REPO / "tools" / "system-deps.sh"


def run_script(*args: str, path: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PATH=path) if path is not None else None
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, env=env, check=False)


def test_make_run_checks_the_pdf_libraries_before_starting_the_product() -> None:
    planned = subprocess.run(
        ["make", "--no-print-directory", "-n", "run"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert planned.returncode == 0, planned.stderr
    lines = planned.stdout.splitlines()
    assert "tools/system-deps.sh --pdf" in lines
    assert lines.index("tools/system-deps.sh --pdf") < lines.index(".venv/bin/bot run")


def test_with_the_libraries_present_it_says_nothing() -> None:
    done = run_script("--pdf")
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")


def test_a_missing_library_is_named_with_the_command_that_installs_it(tmp_path: Path) -> None:
    fake = tmp_path / "bin"
    fake.mkdir()
    for name, output in (("ldconfig", ""), ("id", "1000")):
        tool = fake / name
        tool.write_text(f"#!/bin/sh\necho '{output}'\n")
        tool.chmod(0o755)
    done = run_script("--pdf", path=f"{fake}:{os.environ['PATH']}")
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "The product's PDF exports (WeasyPrint) need these Debian packages:"
        " libpango-1.0-0 libharfbuzz-subset0. Run: sudo apt-get install libpango-1.0-0 libharfbuzz-subset0"
    )
    assert "chromium" not in done.stderr  # the browser and the rest are the tests' needs, not the product's
