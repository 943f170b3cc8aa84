"""Every `bot` subcommand and argument, each with its help and (where it has one) its default shown.

Subcommands are named SUBCOMMAND in usage and errors, never by argparse's internal `dest`s.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from bot.cli.dates import DATE_FORMS, board_date, board_end_date
from bot.cli.keys import add_keys_commands
from bot.cli.oidc_commands import add_oidc_commands
from bot.cli.run_options import add_run_command
from bot.cli.users import PASSWORD_POLICY
from bot.cli.version import VersionAction
from bot.domain.roles import ROLES

Handler = Callable[..., int]


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Shows an option's default, unless it has none worth showing (None, False)."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if action.default is None or action.default is False:
            return action.help
        return super()._get_help_string(action)


def _subcommands(parser: argparse.ArgumentParser, dest: str) -> Any:
    return parser.add_subparsers(title="subcommands", dest=dest, required=True, metavar="SUBCOMMAND")


def _command(
    commands: Any,
    name: str,
    help_text: str,
    handler: Handler | None = None,
    *,
    data_folder: bool = True,
    description: str | None = None,
) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = commands.add_parser(
        name,
        help=help_text,
        description=description or help_text[:1].upper() + help_text[1:] + ".",
        formatter_class=HelpFormatter,
    )
    if handler is not None:
        # `parser` lets a handler refuse an argument as argparse would (exit 2); `data_folder` says whether
        # bot.cli.main makes the data folder private first (`bot run` does it itself).
        parser.set_defaults(handler=handler, parser=parser, data_folder=data_folder)
    return parser


def build(handlers: dict[str, Handler]) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bot",
        description="Guided assessment bot: administration commands. Settings come from BOT_* environment "
        "variables (README.md); every command that touches the data folder makes it private to this account.",
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--version", action=VersionAction, help="print the version")
    commands = _subcommands(parser, "command")

    db = _subcommands(_command(commands, "db", "the database schema"), "db_command")
    _command(
        db,
        "upgrade",
        "create the database schema, or upgrade it to the latest",
        handlers["db upgrade"],
        description="Create the database schema, or upgrade it to the latest. On PostgreSQL with "
        "BOT_DATABASE_OWNER_URL (or BOT_DATABASE_OWNER_URL_FILE) set, the migrations run as that owner role "
        "and the role of BOT_DATABASE_URL is then granted what the application needs: read and write the "
        "records, but only read and insert audit events, and never alter the schema. Without it, the "
        "migrations run as BOT_DATABASE_URL's role (embedded mode, SQLite).",
    )

    _backups(db, handlers)

    audit = _subcommands(_command(commands, "audit", "the audit trail"), "audit_command")
    verify = _command(
        audit,
        "verify",
        "check the audit trail's hash chain: exit 0 and print its length and last hash when it is whole, "
        "exit 1 naming the first changed, deleted or reordered event",
        handlers["audit verify"],
    )
    verify.add_argument(
        "--noted-hash",
        metavar="HASH",
        help="a last hash printed by an earlier run and kept away from the server: fail unless the trail "
        "still holds that event (the chain alone cannot show that its newest events were cut off)",
    )

    user = _subcommands(_command(commands, "user", "user accounts"), "user_command")
    add = _command(
        user,
        "add",
        "add a user; the password is read from standard input",
        handlers["user add"],
        description="Add a user account. " + PASSWORD_POLICY,
    )
    add.add_argument("name", help="the sign-in name: letters, digits and . _ @ -")
    add.add_argument("--role", required=True, choices=ROLES, help="what the account may do")
    add.add_argument("--team", required=True, metavar="NAME", help="an existing team (see --create-team)")
    add.add_argument(
        "--create-team",
        action="store_true",
        help="make the team named by --team if there is none yet (without this, a team name that matches "
        "no team is refused, so that a misspelling never splits a team)",
    )
    add.add_argument("--email", metavar="ADDRESS", help="where urgent notices go (leads: set one)")
    set_email = _command(
        user, "set-email", "set the address a user's urgent notices go to", handlers["user set-email"]
    )
    set_email.add_argument("name", help="the user's sign-in name")
    set_email.add_argument("address", help="an email address such as name@example.org")
    link = _command(
        user, "link-teams", "let a Microsoft Teams identity speak as this user", handlers["user link-teams"]
    )
    link.add_argument("name", help="the user's sign-in name")
    link.add_argument("--tenant", required=True, metavar="GUID", help="Azure AD tenant id")
    link.add_argument(
        "--aad-object-id", required=True, metavar="GUID", help="the person's Azure AD object id"
    )

    deactivate = _command(
        user,
        "deactivate",
        "stop a user signing in; their open sessions end at once, on the web and in Teams",
        handlers["user deactivate"],
    )
    deactivate.add_argument("name", help="the user's sign-in name")
    _account_commands(user, handlers)
    add_oidc_commands(user, handlers, _command)

    assessments = _subcommands(_command(commands, "assessments", "assessments"), "assessments_command")
    export = _command(
        assessments,
        "export",
        "print one assessment with every answer revision",
        handlers["assessments export"],
    )
    which = export.add_mutually_exclusive_group(required=True)
    which.add_argument("--conversation", metavar="ID", help="conversation (sender) id")
    which.add_argument("--id", metavar="ID", help="assessment reference (A-7F3K2Q) or number")
    export.add_argument("--format", choices=("json", "pdf"), default="json", help="what to write")
    export.add_argument("--output", metavar="FILE", help=_OUTPUT_HELP)

    case = _subcommands(
        _command(commands, "case", "one child's case, for the data protection officer"), "case_command"
    )
    sar = _command(
        case,
        "export-sar",
        "export everything held about one child for a subject access request: JSON and a readable PDF",
        handlers["case export-sar"],
        description="Export everything held about one child (a subject access request), for the data "
        "protection officer to review before release: each live case's answers verbatim with every revision, "
        "decisions, chronology, urgent flags, transcript, every version of the identifying details, the "
        "documents made and the audit events about it. Written as JSON to --output and as a readable PDF "
        "beside it (.pdf), both readable by this account only; audited on each case. A practice run is "
        "refused: it is fictional.",
    )
    who = sar.add_mutually_exclusive_group(required=True)
    who.add_argument("reference", nargs="?", metavar="REF", help="the case's reference (A-7F3K2Q)")
    who.add_argument(
        "--person",
        metavar="NAME",
        help="every live case whose identifying details (any version) name this child, whole name",
    )
    sar.add_argument(
        "--output", metavar="FILE.json", required=True, help="the JSON file; the PDF goes beside it"
    )

    report = _command(
        commands, "report", "the figures of a period, for board packs (CSV or xlsx)", handlers["report"]
    )
    report.add_argument(
        "--from",
        dest="first",
        required=True,
        type=board_date,
        metavar="DATE",
        help=f"first day: {DATE_FORMS}",
    )
    report.add_argument(
        "--to",
        dest="last",
        required=True,
        type=board_end_date,
        metavar="DATE",
        help="last day (inclusive), written as --from is; 2026-04 means up to 30 April",
    )
    report.add_argument("--format", choices=("csv", "xlsx"), default="csv", help="what to write")
    report.add_argument("--team", metavar="NAME", help="one team's figures (default: every team)")
    report.add_argument("--output", metavar="FILE", help=_OUTPUT_HELP)

    questions = _subcommands(_command(commands, "questions", "the question bank"), "questions_command")
    check = _command(
        questions,
        "check",
        "check the question bank: print one `file:line: field: message` line per problem (nothing when it "
        "is clean); exit 1 when there are problems",
        handlers["questions check"],
        data_folder=False,
    )
    check.add_argument(
        "--bank",
        metavar="PATH",
        help="a bank folder (with index.yaml) or a single-file bank (default: the shipped bank)",
    )

    scenarios = _subcommands(
        _command(commands, "scenarios", "the rehearsal scenario library"), "scenarios_command"
    )
    listing = _command(
        scenarios,
        "list",
        "list the scenarios: id, age, setting, right route, whether there is a danger moment, title; "
        "exit 1 with every problem instead when the library has any",
        handlers["scenarios list"],
        data_folder=False,
    )
    checking = _command(
        scenarios,
        "check",
        "check every scenario file: print one `file:line: field: message` line per problem (nothing when "
        "the library is clean); exit 1 when there are problems",
        handlers["scenarios check"],
        data_folder=False,
    )
    for command in (listing, checking):
        command.add_argument(
            "--library",
            metavar="FOLDER",
            help="a folder of scenario files, one .yaml each (default: the shipped library)",
        )
    _command(
        scenarios,
        "purge",
        "delete practice runs started longer ago than the retention schedule's practice period (default 30 "
        "days; BOT_RETENTION_SCHEDULE) from the "
        "store and the engine's tracker store; live records are never touched",
        handlers["scenarios purge"],
    )

    _retention(commands, handlers)
    add_keys_commands(commands, handlers, _command, _subcommands)

    add_run_command(commands, handlers["run"], _command)
    talk = _command(
        commands,
        "shell",
        "talk to the bot in the terminal through the running app (`bot run`), as the web chat does",
        handlers["shell"],
        description="Talk to the bot in the terminal, through the running app's web chat (never the engine "
        "directly), to try a question-bank change without a browser. It opens a new assessment (or carries "
        "on one, --reference) and prints the bot's replies and numbered options: reply with a number or "
        "type an answer; /danger reports danger now; /quit or Ctrl-D leaves. Without --user it signs in as "
        "the embedded development practitioner (password from the data folder).",
    )
    talk.add_argument(
        "--user",
        metavar="NAME",
        help="sign in as this account: the password is asked at a terminal, else read from the first line "
        "of standard input",
    )
    talk.add_argument(
        "--url", metavar="URL", help="the app's address (default: http://127.0.0.1:BOT_APP_PORT)"
    )
    which_one = talk.add_mutually_exclusive_group()
    which_one.add_argument(
        "--reference", metavar="REF", help="carry on this draft (A-7F3K2Q) rather than a new one"
    )
    which_one.add_argument(
        "--practice", action="store_true", help="a practice run (trainers): fictional, notifies nobody"
    )
    _command(
        commands,
        "train",
        "train the engine's model if its inputs changed (as `make engine-model`: same cache, by content "
        "hash); print its path",
        handlers["train"],
    )
    return parser


def _backups(db: Any, handlers: dict[str, Handler]) -> None:
    backup = _command(
        db,
        "backup",
        "back up the store and the engine's tracker store into a new or empty folder, with a manifest",
        handlers["db backup"],
        description="Back up the store and the engine's tracker store, while the product runs, into a new or "
        "empty folder (made private: folder 0700, files 0600): SQLite through its online backup API, "
        "PostgreSQL with pg_dump -Fc (as BOT_DATABASE_OWNER_URL's role when set), each sealed (AES-GCM, key "
        "from the newest data key). manifest.json (signed: manifest.sig) names each file, size, SHA-256, "
        "the schema revision, the key id, the time and this version.",
    )
    backup.add_argument("folder", metavar="DIR", help="a new or empty folder for the backup")
    restore = _command(
        db,
        "restore",
        "restore a backup made by `bot db backup` into an empty store and tracker store",
        handlers["db restore"],
        description="Restore a backup made by `bot db backup` into the store BOT_DATABASE_URL names and the "
        "data folder's tracker store. Refused, changing nothing, when the manifest's signature or a file's "
        "size, SHA-256 or sealing fails, when its key is not in the ring, when it is of the other kind of "
        "database or newer, or when the store or tracker store is not empty (PostgreSQL: createdb first).",
    )
    restore.add_argument("folder", metavar="DIR", help="a folder written by `bot db backup`")
    restore.add_argument("--allow-unsealed", action="store_true", help="restore an old, unsealed backup")


def _retention(commands: Any, handlers: dict[str, Handler]) -> None:
    retention = _subcommands(
        _command(commands, "retention", "the retention schedule, legal holds and erasure"),
        "retention_command",
    )
    run = _command(
        retention,
        "run",
        "erase every case past its period in the retention schedule (never one under a legal hold) from the "
        "store and the engine's tracker store, and audit what went (ids and row counts, never content)",
        handlers["retention run"],
        description="Erase every case whose period in the retention schedule is over: closed live cases "
        "(from their closing), live drafts never submitted (from their last change) and practice runs (from "
        "their start). A case under a legal hold is never erased. Runs never overlap (a lock in the data "
        "folder); `bot run` starts one daily at BOT_RETENTION_AT. Each case "
        "goes from every table of the store in one transaction, then from the engine's tracker store; the "
        "audit trail records each case's ids and row counts, never what it said.",
    )
    run.add_argument(
        "--dry-run",
        action="store_true",
        help="list the cases that would be erased, with their row counts, and change nothing",
    )
    run.add_argument(
        "--schedule",
        metavar="FILE",
        help="a retention schedule file (default: BOT_RETENTION_SCHEDULE, else the shipped "
        "bot/domain/retention.yaml, for the council's information governance team to set)",
    )
    for name, verb in (("hold", "put a case under a legal hold"), ("lift", "lift a case's legal hold")):
        command = _command(
            retention,
            name,
            f"{verb}, as a lead of the case's team or an admin, with a reason (audited)",
            handlers[f"retention {name}"],
        )
        command.add_argument("reference", metavar="REF", help="the case's reference (A-7F3K2Q)")
        command.add_argument(
            "--user", metavar="NAME", required=True, help="the lead or admin account this is done as"
        )
        command.add_argument(
            "--reason", metavar="TEXT", required=True, help="why (kept with the hold, not in the audit trail)"
        )


def _account_commands(user: Any, handlers: dict[str, Any]) -> None:
    """Issue #32: the CLI twins of the admin pages; every change takes a reason (kept, and audited)."""
    listing = _command(user, "list", "list accounts: name, role, team, active", handlers["user list"])
    listing.add_argument("--search", metavar="TEXT", help="part of the sign-in name")
    listing.add_argument("--role", choices=ROLES, help="only this role")
    listing.add_argument("--team", metavar="NAME", help="only this team")
    listing.add_argument("--status", choices=("active", "deactivated"), help="only active or deactivated")
    for name, verb, value in (
        ("set-role", "change a user's role", ("role", ROLES)),
        ("set-team", "move a user to another existing team", ("team", None)),
        ("reactivate", "let a deactivated user sign in again", None),
        ("reset-password", "print a one-time password reset link, good for 24 hours", None),
        ("reset-2fa", "remove a user's second factor (a lost phone); they set it up again at sign-in", None),
    ):
        command = _command(user, name, f"{verb} (with a reason, audited)", handlers[f"user {name}"])
        command.add_argument("name", help="the user's sign-in name")
        if value is not None:
            command.add_argument(value[0], choices=value[1], help=f"the new {value[0]}")
        command.add_argument("--reason", metavar="TEXT", required=True, help="why (kept with the change)")


_OUTPUT_HELP = (
    "write to this file (made readable by this account only) rather than to standard output; "
    "- for standard output, which binary formats need when it is a terminal"
)
