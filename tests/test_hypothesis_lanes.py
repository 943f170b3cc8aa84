"""Every property test that names its own example count lets the lane scale it (issue #27).

Hypothesis lets a test's own `max_examples` override the loaded profile, so a fixed number runs in full in the
quick lane too: eight such tests once cost the quick lane some 20 CPU s that its profile meant to save.
`examples(n)` (tests/fixtures/hypothesis_lanes.py) keeps n in the full lane and scales it in the quick one.
"""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parent
FIXED_COUNT = re.compile(r"max_examples\s*=\s*\d")


def test_no_property_test_fixes_its_count_past_the_lane() -> None:
    fixed = [
        f"{path.relative_to(TESTS)}:{number}"
        for path in sorted(TESTS.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if FIXED_COUNT.search(line)
    ]
    assert fixed == [], f"name the count through examples(n) instead: {fixed}"
