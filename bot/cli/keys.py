"""`bot keys rotate` (issue #31): seal every stored answer and chat message again under the newest data key,
and the engine's tracker rows under the newest tracker key derived from it (bot.runtime.tracker_rotation).

Run after adding a new key at the end of BOT_DATA_KEYS (keeping the old ones, which still open what they
sealed). Each batch is one transaction, so an interrupted run (Ctrl-C, a restart) loses nothing and the
next run carries on with the rows still under an old key; once it reports none left, the old key may go.

`bot keys tracker-keys --output FILE` (issue #35): in a container the engine is not started by `bot run`,
which derives its tracker keys (bot.runtime.process_env), so the operator writes them to a file once, from
the data keys, and the engine's container alone is given that file (deploy/engine-entry.sh reads it). The
engine thus never holds a data key. It reads only BOT_DATA_KEYS or BOT_DATA_KEYS_FILE, not the other
settings, so it runs wherever the key file is, without the store or the data folder.
"""

from __future__ import annotations

import argparse
import os
import stat
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.cli.common import EXIT_OK, OUTPUT_MODE, STDOUT, CliFailure, open_store

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
    tracker = command(
        keys,
        "tracker-keys",
        "write the engine's tracker keys, derived from BOT_DATA_KEYS (or BOT_DATA_KEYS_FILE), to a file for "
        "the engine's container (BOT_TRACKER_KEYS_FILE); never the data keys themselves",
        handlers["keys tracker-keys"],
        data_folder=False,
        description=TRACKER_KEYS_DESCRIPTION,
    )
    tracker.add_argument(
        "--output",
        metavar="FILE",
        required=True,
        help="the file to write (mode 600), outside the data folder; - writes to standard output, which "
        "must not be a terminal (a pipe into the platform's secret store)",
    )
    tracker.add_argument("--force", action="store_true", help="replace FILE if it exists")


TRACKER_KEYS_DESCRIPTION = (
    "Write the engine's tracker keys to FILE, one `id:64 hex digits` a line, oldest first (what "
    "BOT_TRACKER_KEYS takes). Each is derived from the data key with the same id (HKDF, one-way), so the "
    "engine seals its tracker without holding a key that opens the store. `bot run` derives them itself; "
    "containers started by deploy/engine-entry.sh need this file as the engine's BOT_TRACKER_KEYS_FILE "
    "secret, and only the engine should be given it. Run it again after every change to the data keys: a "
    "new data key (`bot keys rotate`) means a new tracker key, so write the file again while the old data "
    "keys are still listed (the old tracker keys must stay until `bot keys rotate` reports no tracker rows "
    "under an older key), and again once an old data key has left the key file."
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


def keys_tracker_keys(args: argparse.Namespace) -> int:
    from bot.crypto.key_ring import KeyRingError, parse_key_ring
    from bot.crypto.tracker_keys import tracker_keys_file_text
    from bot.production import with_secret_files

    # Only the key ring is read: the other settings (tokens, the database) are not needed to derive keys.
    given = {name: os.environ[name] for name in ("BOT_DATA_KEYS", "BOT_DATA_KEYS_FILE") if name in os.environ}
    env, problems = with_secret_files(given)
    if problems:
        raise CliFailure(problems[0])
    value = env.get("BOT_DATA_KEYS", "").strip()
    if not value:
        raise CliFailure(
            "the tracker keys are derived from the data keys: set BOT_DATA_KEYS_FILE (or BOT_DATA_KEYS) to "
            "the data keys the app uses"
        )
    try:
        ring = parse_key_ring(value)
    except KeyRingError as error:
        raise CliFailure(str(error)) from None
    _write_private(args, tracker_keys_file_text(ring))
    where = "standard output" if args.output == STDOUT else args.output
    print(
        f"wrote the tracker keys for data key ids {', '.join(ring.key_ids)} (oldest first) to {where}: give "
        "it to the engine only, as BOT_TRACKER_KEYS_FILE; write it again after every change to the data keys",
        file=sys.stderr if args.output == STDOUT else sys.stdout,
    )
    return EXIT_OK


def _write_private(args: argparse.Namespace, text: str) -> None:
    """The keys to the file (created 0600, never over an existing one without --force) or to a pipe; never to
    a terminal, where they would stay in its scroll-back."""
    terminal = (
        "argument --output: the tracker keys are secret and a terminal would show them; give a FILE, or - "
        "into a pipe"
    )
    if args.output == STDOUT:
        if sys.stdout.isatty():
            args.parser.error(terminal)
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    flags = os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if args.force else os.O_EXCL)
    try:
        descriptor = os.open(args.output, flags, OUTPUT_MODE)
    except FileExistsError:
        args.parser.error(f"argument --output: {args.output} exists; give --force to replace it")
    except OSError as error:
        raise CliFailure(f"could not write {args.output}: {error.strerror}") from None
    with open(descriptor, "w", encoding="utf-8") as file:
        if os.isatty(descriptor):
            args.parser.error(terminal)
        if stat.S_ISREG(os.fstat(descriptor).st_mode):
            os.fchmod(descriptor, OUTPUT_MODE)  # a file replaced with --force keeps no wider mode
        file.write(text)
