"""`bot keys rotate` (issue #31): seal every stored answer and chat message again under the newest data key,
and the engine's tracker rows under the newest tracker key derived from it (bot.runtime.tracker_rotation).

Run after adding a new key at the end of BOT_DATA_KEYS (keeping the old ones, which still open what they
sealed). Each batch is one transaction, so an interrupted run (Ctrl-C, a restart) loses nothing and the
next run carries on with the rows still under an old key; once it reports none left, the old key may go.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.cli.common import EXIT_OK, CliFailure, open_store

if TYPE_CHECKING:
    from bot.settings import Settings


def add_keys_commands(
    commands: Any,
    handlers: dict[str, Any],
    command: Callable[..., argparse.ArgumentParser],
    subcommands: Callable[[argparse.ArgumentParser, str], Any],
) -> None:
    keys = subcommands(
        command(commands, "keys", "the data keys that encrypt answers at rest"), "keys_command"
    )
    rotate = command(
        keys,
        "rotate",
        "seal every stored answer and chat message again under the newest key of BOT_DATA_KEYS, in "
        "batches; safe to interrupt and run again (audited, counts only)",
        handlers["keys rotate"],
    )
    rotate.add_argument(
        "--batch", metavar="N", type=int, default=500, help="rows per transaction (at least 1)"
    )


def keys_rotate(args: argparse.Namespace, settings: Settings) -> int:
    from bot.crypto.key_ring import KeyRingError
    from bot.crypto.tracker_keys import tracker_key_ring
    from bot.runtime.tracker_rotation import count_not_newest, rotate_tracker
    from bot.store.encrypted_text import key_ring_in_use

    if args.batch < 1:
        args.parser.error(f"argument --batch: must be at least 1, got {args.batch}")
    service = open_store(settings).keys
    try:
        rotation = service.rotate(batch=args.batch)
    except KeyRingError as error:
        raise CliFailure(
            f"could not rotate: {error}; the batches already done are kept, the rest is unchanged"
        ) from None
    for name, count in rotation.resealed.items():
        print(f"{name}: {count} sealed again under key {rotation.newest_key}")
    left = sum(service.count_under_old_keys().values())
    print(f"{rotation.batches} batch(es); {left} value(s) still under an older key")
    tracker_ring = tracker_key_ring(key_ring_in_use())  # the ring open_store chose
    try:
        tracker = rotate_tracker(settings.tracker_database, tracker_ring, batch=args.batch)
    except KeyRingError as error:
        raise CliFailure(
            f"could not rotate the engine's tracker: {error}; the batches already done are kept, the rest is "
            "unchanged"
        ) from None
    for name, count in tracker.resealed.items():
        print(f"tracker {name}: {count} sealed again under key {tracker_ring.newest_id}")
    left = count_not_newest(settings.tracker_database, tracker_ring)
    print(f"tracker: {tracker.batches} batch(es); {left} row(s) still under an older key or none")
    return EXIT_OK
