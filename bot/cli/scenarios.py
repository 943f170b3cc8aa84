"""`bot scenarios list`, `check` and `purge`: the rehearsal scenario library (bot.scenarios, issue #13), and
deleting practice runs past their retention period.

Like `bot questions check`, `check` prints its findings to standard output, one `file:line: field: message`
line each, and nothing when the library is clean: exit 0 clean, 1 with problems, 2 for a usage error (a
--library that is not there). `list` refuses a library with problems the same way, so a trainer never picks
from a list that silently leaves a broken scenario out.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.common import EXIT_FAILED, EXIT_OK, open_store

if TYPE_CHECKING:
    from bot.questions.model import BankProblem
    from bot.scenarios.model import Scenario
    from bot.settings import Settings

SETTING_NAMES = {
    "school": "school",
    "college": "college",
    "home_visit": "home visit",
    "health": "health",
    "youth_work": "youth work",
}


def scenarios_check(args: argparse.Namespace) -> int:
    _, problems = _read(args)
    for problem in problems:
        print(problem)
    return EXIT_FAILED if problems else EXIT_OK


def scenarios_list(args: argparse.Namespace) -> int:
    scenarios, problems = _read(args)
    if problems:
        for problem in problems:
            print(problem)
        return EXIT_FAILED
    print(f"{'id':<32} {'age':>3}  {'setting':<10}  {'route':<18}  danger  title")
    for scenario in scenarios:
        route = "Prevent" if scenario.route.prevent else scenario.route.pathway
        danger = "yes" if scenario.danger is not None else "no"
        print(
            f"{scenario.id:<32} {scenario.age:>3}  {SETTING_NAMES[scenario.setting]:<10}  {route:<18}  "
            f"{danger:<6}  {scenario.title}"
        )
    return EXIT_OK


def scenarios_purge(args: argparse.Namespace, settings: Settings) -> int:
    """Practice runs older than the period go from the store first (one transaction), then from the engine's
    tracker store, by the runs' sender ids. (A crash between the two would leave engine events that no page
    can reach any more; not handled yet.)"""
    from bot.cli.retention import schedule_for
    from bot.domain.retention import RecordType
    from bot.runtime.tracker_purge import delete_conversations

    # The retention schedule's practice period (issue #31), so this and `bot retention run` always agree.
    period = schedule_for(None, settings).period(RecordType.PRACTICE_RUN)
    purged = open_store(settings).practice.purge_practice_runs(period)
    events = delete_conversations(settings.tracker_database, purged.sender_ids)
    print(
        f"deleted {len(purged.references)} practice run(s) started more than "
        f"{period.days} days ago ({events} engine events)"
    )
    for reference in purged.references:
        print(f"  {reference}")
    return EXIT_OK


def _read(args: argparse.Namespace) -> tuple[tuple[Scenario, ...], list[BankProblem]]:
    """Imported here so that `bot --help` does not load pydantic's models or the question bank."""
    from bot.scenarios.loader import DEFAULT_LIBRARY, read_library

    library = Path(args.library) if args.library else DEFAULT_LIBRARY
    if not library.is_dir():
        args.parser.error(f"--library {args.library}: no such folder")
    scenarios, problems = read_library(library)
    return scenarios, problems
