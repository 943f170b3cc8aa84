"""The `bot` command: set up the database, add users, export an assessment or a report, run everything.

Administrators use this on the server, so every failure is one line saying what to do, with exit code 1
(argparse's own usage errors, and arguments a command refuses as argparse would, exit 2). Passwords are read
from standard input so they never appear in the process list or shell history.

`parser` holds every subcommand and argument; `database`, `backups`, `users`, `exports`, `questions` and
`shell` the commands, each module imported only when one of its commands runs (start-up cost: `--help` loads
the parser alone); `version` the `--version` look-up; `common` what they share (the one-line failure, the
private data folder, the store, the output); `dates` the report's dates.
`bot questions check` is the exception to the one-line failure: it prints every problem in the bank.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.cli.common import EXIT_FAILED, EXIT_OK, CliFailure, close_stores, private_settings
from bot.cli.dates import board_date
from bot.cli.parser import Handler, build
from bot.runtime.data_folder import PRIVATE_UMASK

if TYPE_CHECKING:
    from bot.settings import Settings

__all__ = ["EXIT_FAILED", "EXIT_OK", "CliFailure", "board_date", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # What this command creates in the data folder (or anywhere) is private from the start (issue #28).
    previous_umask = os.umask(PRIVATE_UMASK)
    try:
        if not args.data_folder:
            return int(args.handler(args) or EXIT_OK)
        return int(args.handler(args, private_settings()) or EXIT_OK)
    except CliFailure as failure:
        print(f"bot: {failure}", file=sys.stderr)
        return EXIT_FAILED
    except Exception as error:
        from bot.crypto.key_ring import KeyRingError  # loaded by whatever raised one

        if isinstance(error, KeyRingError):
            # A value sealed under a key this process was not given (or altered): which key, in one line.
            print(f"bot: could not read sealed text: {error}", file=sys.stderr)
            return EXIT_FAILED
        if not type(error).__module__.startswith("sqlalchemy"):
            raise
        # Unreachable server, wrong password, read-only file: say so in one line, not a traceback.
        cause = getattr(error, "orig", None) or error
        print(f"bot: could not use the database: {str(cause).strip().splitlines()[0]}", file=sys.stderr)
        return EXIT_FAILED
    finally:
        close_stores()
        os.umask(previous_umask)


def _parser() -> argparse.ArgumentParser:
    return build(
        {
            "db upgrade": _later("database", "db_upgrade"),
            "db backup": _later("backups", "db_backup"),
            "db restore": _later("backups", "db_restore"),
            "audit verify": _later("database", "audit_verify"),
            "user add": _later("users", "user_add"),
            "user set-email": _later("users", "user_set_email"),
            "user link-teams": _later("users", "user_link_teams"),
            "user deactivate": _later("users", "user_deactivate"),
            "user list": _later("accounts", "user_list"),
            "user set-role": _later("accounts", "user_set_role"),
            "user set-team": _later("accounts", "user_set_team"),
            "user reactivate": _later("accounts", "user_reactivate"),
            "user reset-password": _later("accounts", "user_reset_password"),
            "user reset-2fa": _later("second_factor", "user_reset_2fa"),
            "user link-oidc": _later("oidc_commands", "user_link_oidc"),
            "user unlink-oidc": _later("oidc_commands", "user_unlink_oidc"),
            "assessments export": _later("exports", "assessments_export"),
            "case export-sar": _later("exports", "case_export_sar"),
            "report": _later("exports", "report"),
            "questions check": _later("questions", "questions_check"),
            "scenarios list": _later("scenarios", "scenarios_list"),
            "scenarios check": _later("scenarios", "scenarios_check"),
            "scenarios purge": _later("scenarios", "scenarios_purge"),
            "retention run": _later("retention", "retention_run"),
            "retention hold": _later("retention", "retention_hold"),
            "retention lift": _later("retention", "retention_lift"),
            "keys rotate": _later("keys", "keys_rotate"),
            "keys tracker-keys": _later("keys", "keys_tracker_keys"),
            "run": _run,
            "shell": _later("shell", "shell"),
            "train": _train,
        }
    )


def _later(module: str, name: str) -> Handler:
    """The command `name` of bot.cli.`module`, imported when it runs: start-up cost, as each command module
    loads what its commands need (the store, the PDF renderer, an HTTP client) and a process runs one."""

    def handler(*args: object) -> int:
        command: Handler = getattr(importlib.import_module(f"bot.cli.{module}"), name)
        return command(*args)

    handler.__name__ = handler.__qualname__ = name
    return handler


def _run(args: argparse.Namespace) -> int:
    try:
        if args.scaled:  # issue #34: several of each process behind HAProxy (bot.runtime.scaled)
            from bot.runtime.scaled import main as run_everything
        else:
            from bot.runtime.supervisor import main as run_everything
    except ModuleNotFoundError as error:
        if error.name in ("bot.runtime", "bot.runtime.supervisor", "bot.runtime.scaled"):
            raise CliFailure("the runtime supervisor (bot.runtime.supervisor) is not installed yet") from None
        raise
    return int(run_everything() or EXIT_OK)


def _train(args: argparse.Namespace, settings: Settings) -> int:
    """What `make engine-model` does: the model named by the hash of its inputs, from the models folder or
    the cache (BOT_MODEL_CACHE) if it is there, else trained in the engine's environment and kept in both."""
    from bot.runtime.model import ensure_model

    try:
        model = ensure_model(settings, log=lambda line: print(line, file=sys.stderr))
    except SystemExit as failure:  # ensure_model's own one-line refusals, for `python -m` and make
        raise CliFailure(str(failure.code)) from None
    print(model)
    return EXIT_OK
