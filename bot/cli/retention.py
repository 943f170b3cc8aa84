"""`bot retention run`, `hold` and `lift` (issue #31): erase cases past the retention schedule, and put a case
under a legal hold (or lift one) so that it is never erased.

`run` erases from the store first (one transaction, each case audited with its ids and row counts), then the
engine's tracker events by the cases' sender ids, then audits the run itself with the references and the
tracker's count. `--dry-run` prints the same list and counts and changes nothing. A bad schedule file is
refused whole, one `file:line: message` line per problem, exit 1.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.common import EXIT_OK, CliFailure, open_store

LOCK_FILE = "retention.lock"  # in the data folder: one run at a time (bot.runtime.job_lock)

if TYPE_CHECKING:
    from bot.domain.retention import RetentionSchedule
    from bot.settings import Settings
    from bot.store.services import Store


def retention_run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.runtime.job_lock import JobBusy, exclusive

    schedule = schedule_for(args.schedule, settings)
    lock = settings.data_dir / LOCK_FILE
    try:
        with exclusive(lock):
            return _run(args, settings, schedule)
    except JobBusy:
        raise CliFailure(
            f"another retention run is under way (it holds {lock}); nothing was changed: try again once it "
            "has finished"
        ) from None


def _run(args: argparse.Namespace, settings: Settings, schedule: RetentionSchedule) -> int:
    from bot.runtime.tracker_purge import delete_conversations

    service = open_store(settings).retention
    erasure = service.erase_expired(schedule, dry_run=args.dry_run)
    events = 0
    if not args.dry_run:
        events = delete_conversations(settings.tracker_database, erasure.sender_ids)
        service.record_run(erasure, events)
    verb = "would erase" if args.dry_run else "erased"
    tail = " (dry run: nothing was changed)" if args.dry_run else f" ({events} engine events)"
    print(f"{verb} {len(erasure.cases)} case(s){tail}")
    for case in erasure.cases:
        rows = ", ".join(f"{table} {count}" for table, count in case.rows.items())
        print(f"  {case.reference}  {case.record_type}  since {case.since:%Y-%m-%d}  rows: {rows}")
    return EXIT_OK


def retention_hold(args: argparse.Namespace, settings: Settings) -> int:
    from bot.domain.errors import StoreError

    store = open_store(settings)
    try:
        hold = store.retention.set_hold(_user_id(store, args.user), args.reference, args.reason)
    except StoreError as error:
        raise CliFailure(f"could not hold {args.reference}: {error}; nothing was changed") from None
    print(f"{hold.reference} is under a legal hold from {hold.set_at:%Y-%m-%d %H:%M} UTC")
    return EXIT_OK


def retention_lift(args: argparse.Namespace, settings: Settings) -> int:
    from bot.domain.errors import StoreError

    store = open_store(settings)
    try:
        store.retention.lift_hold(_user_id(store, args.user), args.reference, args.reason)
    except StoreError as error:
        raise CliFailure(
            f"could not lift the hold on {args.reference}: {error}; nothing was changed"
        ) from None
    print(f"{args.reference}: legal hold lifted")
    return EXIT_OK


def schedule_for(path: str | None, settings: Settings) -> RetentionSchedule:
    """The schedule of `--schedule`, else BOT_RETENTION_SCHEDULE's, else the shipped one: the one place every
    period is set, the practice period included (`bot scenarios purge` reads it too)."""
    from bot.domain.retention import SCHEDULE_FILE, RetentionScheduleError, load_schedule

    try:
        return load_schedule(Path(path) if path else settings.retention_schedule or SCHEDULE_FILE)
    except RetentionScheduleError as error:
        raise CliFailure(f"the retention schedule has problems; nothing was erased:\n{error}") from None


def _user_id(store: Store, username: str) -> int:
    user = store.users.find_user(username)
    if user is None:
        raise CliFailure(f"no user named {username!r}")
    return user.id
