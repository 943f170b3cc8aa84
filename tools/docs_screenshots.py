"""Copy the browser tests' screenshots that the role guides name into docs/screenshots/ (git-ignored).

The browser tests already take numbered screenshots of each step (tests/e2e/browser.py, `Shots`) in
test-artifacts/<test name>/. `make docs-screenshots` runs the tests below, then this script, so the guides'
pictures always show the pages as the code draws them today; nothing is drawn or kept by hand. The pictures
are not committed (some are several megabytes, and they change whenever a page does), so the guides name
them by path rather than linking to them.

    python tools/docs_screenshots.py           # copy; says which are missing (run the tests first)
    python tools/docs_screenshots.py --tests   # print the pytest node ids that take them
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "test-artifacts"
TARGET = REPO / "docs" / "screenshots"

KEYBOARD = "test_the_whole_screening_with_the_keyboard_alone-js-on"
REHEARSAL = "test_a_rehearsal_is_marked_on_every_reply_and_resumes_after_signing_in_again-js-on"
DAY = "test_a_day_in_the_life_of_one_team"
LEAD = "test_a_lead_filters_opens_follows_to_the_transcript_decides_and_exports"
URGENT = "test_a_lead_sees_opens_reads_and_responds_to_an_urgent_unsubmitted_case"
COORDINATOR = "test_a_coordinator_chooses_a_team_and_the_page_says_whose_figures_they_are"

# The tests that take them (run by `make docs-screenshots` before this script).
TESTS = (
    "tests/e2e/test_keyboard_screening.py::test_the_whole_screening_with_the_keyboard_alone",
    "tests/e2e/test_keyboard_screening.py::test_a_rehearsal_is_marked_on_every_reply_and_resumes_after_signing_in_again",
    "tests/e2e/test_a_day_in_the_life.py::test_a_day_in_the_life_of_one_team",
    "tests/e2e/test_lead_browser.py::test_a_lead_filters_opens_follows_to_the_transcript_decides_and_exports",
    "tests/web/test_urgent_case_browser.py::test_a_lead_sees_opens_reads_and_responds_to_an_urgent_unsubmitted_case",
    "tests/reports/test_report_browser.py::test_a_coordinator_chooses_a_team_and_the_page_says_whose_figures_they_are",
)

# docs/screenshots/<name> <- test-artifacts/<test>/<file>: the names the guides use.
SHOTS: dict[str, tuple[str, str]] = {
    "sign-in.png": (KEYBOARD, "01-sign-in.png"),
    "practitioner-home.png": (KEYBOARD, "02-home.png"),
    "practitioner-first-question.png": (KEYBOARD, "03-reply.png"),
    "practitioner-screening-done.png": (KEYBOARD, "31-screening-done.png"),
    "practitioner-danger-reported.png": (DAY, "01-practitioner1-danger-reported.png"),
    "practitioner-feedback.png": (DAY, "08-practitioner1-later-feedback-on-the-assessment.png"),
    "practitioner-home-with-feedback.png": (DAY, "09-practitioner1-later-feedback-at-home.png"),
    "lead-case-list.png": (LEAD, "02-case-list.png"),
    "lead-case.png": (LEAD, "05-case.png"),
    "lead-transcript.png": (LEAD, "07-transcript-turn-in-view.png"),
    "lead-decision-filled.png": (LEAD, "08-decision-filled.png"),
    "lead-decided.png": (LEAD, "09-decided.png"),
    "lead-urgent-case.png": (URGENT, "02-urgent-case.png"),
    "lead-urgent-response.png": (URGENT, "05-response-recorded.png"),
    "lead-stood-down.png": (DAY, "05-lead2-stood-down.png"),
    "trainer-home.png": (REHEARSAL, "02-home.png"),
    "trainer-rehearsal-reply.png": (REHEARSAL, "03-reply.png"),
    "trainer-practice-danger.png": (DAY, "10-trainer-practice-danger.png"),
    "coordinator-all-teams.png": (COORDINATOR, "01-all-teams.png"),
    "coordinator-one-team.png": (COORDINATOR, "02-south-team.png"),
}


def copy(artifacts: Path = ARTIFACTS, target: Path = TARGET) -> list[str]:
    """Copy every screenshot that exists; return the names of those that do not."""
    target.mkdir(parents=True, exist_ok=True)
    missing = []
    for name, (test, file) in SHOTS.items():
        source = artifacts / test / file
        if source.is_file():
            shutil.copyfile(source, target / name)
        else:
            missing.append(f"{name} (from {source.relative_to(artifacts.parent)})")
    return missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--tests", action="store_true", help="print the pytest node ids that take them, and stop"
    )
    args = parser.parse_args(argv)
    if args.tests:
        print("\n".join(TESTS))
        return 0
    missing = copy()
    print(f"{len(SHOTS) - len(missing)} of {len(SHOTS)} screenshots in {TARGET.relative_to(REPO)}/")
    for name in missing:
        print(f"missing: {name}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
