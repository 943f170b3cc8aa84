"""No module of ours grows past a screen or two: over 400 lines, a module is doing more than one job.

The benchmarks are held to it too: a benchmark is a program someone reads to trust its figures. Tests are
left out (a test module holds many small cases of one thing); migrations too, as they are written once and
never edited.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 400


def test_no_module_is_over_400_lines() -> None:
    sources = [*ROOT.joinpath("bot").rglob("*.py"), *ROOT.joinpath("actions").rglob("*.py")]
    sources += [*ROOT.joinpath("engine").rglob("*.py"), *ROOT.joinpath("tools").rglob("*.py")]
    sources += [*ROOT.joinpath("bench").rglob("*.py")]
    too_long = {
        str(path.relative_to(ROOT)): lines
        for path in sources
        if "migrations" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > LIMIT
    }
    assert len(sources) > 50, "the source folders were not found"
    assert too_long == {}, f"modules over {LIMIT} lines: {too_long}"
