"""The `bot` command: set up the database, add users, export an assessment, run everything.

Administrators use this on the server, so every failure is one line saying what to do, with exit code 1
(argparse's own usage errors exit 2). Passwords are read from standard input so they never appear in the
process list or shell history.
"""

from __future__ import annotations

import argparse
import calendar
import getpass
import json
import os
import pwd
import re
import sys
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from bot.domain.roles import ROLES
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.store.services import Store

EXIT_OK = 0
EXIT_FAILED = 1


class CliFailure(Exception):
    """A failure to report as one line on stderr."""


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return int(args.handler(args) or EXIT_OK)
    except CliFailure as failure:
        print(f"bot: {failure}", file=sys.stderr)
        return EXIT_FAILED
    except Exception as error:
        if not type(error).__module__.startswith("sqlalchemy"):
            raise
        # Unreachable server, wrong password, read-only file: say so in one line, not a traceback.
        cause = getattr(error, "orig", None) or error
        print(f"bot: could not use the database: {str(cause).strip().splitlines()[0]}", file=sys.stderr)
        return EXIT_FAILED


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bot", description="Guided assessment bot: administration commands."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    db = commands.add_parser("db", help="database schema").add_subparsers(dest="db_command", required=True)
    db.add_parser("upgrade", help="create or upgrade the database schema").set_defaults(handler=_db_upgrade)

    user = commands.add_parser("user", help="user accounts").add_subparsers(
        dest="user_command", required=True
    )
    add = user.add_parser("add", help="add a user; the password is read from standard input")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--team", required=True)
    add.add_argument("--email", metavar="ADDRESS", help="where urgent notices go (leads: set one)")
    add.set_defaults(handler=_user_add)
    set_email = user.add_parser("set-email", help="set the address a user's urgent notices go to")
    set_email.add_argument("name")
    set_email.add_argument("address")
    set_email.set_defaults(handler=_user_set_email)
    link = user.add_parser("link-teams", help="let a Microsoft Teams identity speak as this user")
    link.add_argument("name")
    link.add_argument("--tenant", required=True, help="Azure AD tenant id (GUID)")
    link.add_argument("--aad-object-id", required=True, help="the person's Azure AD object id (GUID)")
    link.set_defaults(handler=_user_link_teams)

    assessments = commands.add_parser("assessments", help="assessments").add_subparsers(
        dest="assessments_command", required=True
    )
    export = assessments.add_parser("export", help="print one assessment with every answer revision")
    which = export.add_mutually_exclusive_group(required=True)
    which.add_argument("--conversation", metavar="ID", help="conversation (sender) id")
    which.add_argument("--id", metavar="ID", help="assessment reference (A-7F3K2Q) or number")
    export.add_argument("--format", choices=("json", "pdf"), default="json")
    export.add_argument("--output", metavar="FILE", help="write here, not to stdout")
    export.set_defaults(handler=_assessments_export)

    report = commands.add_parser("report", help="the figures of a period, for board packs (CSV or xlsx)")
    report.add_argument(
        "--from",
        dest="first",
        required=True,
        type=board_date,
        metavar="DATE",
        help="first day: 2026-04-01, 1/4/2026 or 1 April 2026",
    )
    report.add_argument(
        "--to", dest="last", required=True, type=board_date, metavar="DATE", help="last day (inclusive)"
    )
    report.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    report.add_argument("--team", metavar="NAME", help="one team's figures (default: every team)")
    report.add_argument("--output", metavar="FILE", help="write here, not to stdout")
    report.set_defaults(handler=_report)

    commands.add_parser("run", help="start the engine, action server and web app").set_defaults(handler=_run)
    return parser


# A board pack's period is read strictly (issue #28): a whole day written so that it can mean one date only.
# Not the chat's date reader (bot.questions.read_date), which is generous on purpose ("last tuesday",
# "March 2026" as its first day, "2025" as 1 January): a report quietly made for the wrong period is worse
# than a refusal. Two-figure years and month-first orders are refused too.
_ISO_DAY = re.compile(r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})", re.ASCII)
_UK_DAY = re.compile(r"(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4})", re.ASCII)
_MONTH_NAMES = {name.casefold(): n for n, name in enumerate(calendar.month_name) if name} | {
    name.casefold(): n for n, name in enumerate(calendar.month_abbr) if name
}
_WORDS_DAY = re.compile(r"(?P<day>\d{1,2}) (?P<month>[A-Za-z]+) (?P<year>\d{4})", re.ASCII)
DATE_FORMS = "2026-04-01, 1/4/2026, 01/04/2026 or 1 April 2026"


def board_date(text: str) -> date:
    """One day, as `--from`/`--to` take it; argparse turns the refusal into a usage error (exit 2)."""
    written = " ".join(text.split())
    match = _ISO_DAY.fullmatch(written) or _UK_DAY.fullmatch(written) or _WORDS_DAY.fullmatch(written)
    month = None
    if match:
        month = _MONTH_NAMES.get(match["month"].casefold()) if match.re is _WORDS_DAY else int(match["month"])
    if match is None or month is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole date; write it as {DATE_FORMS}")
    try:
        return date(int(match["year"]), month, int(match["day"]))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a real date (day, then month, then year)"
        ) from None


def _db_upgrade(args: argparse.Namespace) -> int:
    from sqlalchemy.engine import make_url

    from bot.store import db

    settings = Settings.from_env()
    db.upgrade(settings.database_url)
    shown = make_url(settings.database_url).render_as_string(hide_password=True)
    print(f"database {shown} is at revision {db.current_revision(settings.database_url)}")
    return EXIT_OK


def _user_add(args: argparse.Namespace) -> int:
    from bot.domain.errors import StoreError

    password = _read_password()
    store = _store()
    try:
        user = store.users.create_user(args.name, password, args.role, args.team, email=args.email)
    except StoreError as error:
        raise CliFailure(f"could not add user {args.name!r}: {error}") from None
    with_email = f" with email {user.email}" if user.email else ""
    print(f"added {user.role} {user.username!r} (id {user.id}) to team {user.team!r}{with_email}")
    _warn_of_lead_gaps(store, user.team)
    return EXIT_OK


def _warn_of_lead_gaps(store: Store, team: str) -> None:
    """Say on stderr (the account is made all the same) if the team's urgent reports would reach no lead."""
    from bot.runtime.lead_gaps import lead_gap_warnings

    for warning in lead_gap_warnings(store.users, team):
        print(f"bot: {warning}", file=sys.stderr)


def _user_set_email(args: argparse.Namespace) -> int:
    from bot.domain.errors import NotFoundError, StoreError

    store = _store()
    try:
        user = store.users.set_user_email(args.name, args.address)
    except NotFoundError:
        raise CliFailure(f"no user called {args.name!r}; add them first with `bot user add`") from None
    except StoreError as error:
        raise CliFailure(f"could not set the email of {args.name!r}: {error}") from None
    print(f"urgent notices for {user.username!r} now go to {user.email}")
    return EXIT_OK


def _user_link_teams(args: argparse.Namespace) -> int:
    from bot.domain.errors import StoreError

    store = _store()
    user = store.users.find_user(args.name)
    if user is None:
        raise CliFailure(f"no user called {args.name!r}; add them first with `bot user add`")
    try:
        store.teams.link_teams_user(user.id, args.tenant, args.aad_object_id)
    except StoreError as error:
        raise CliFailure(f"could not link {args.name!r}: {error}") from None
    print(f"linked Teams identity {args.aad_object_id} (tenant {args.tenant}) to {user.username!r}")
    return EXIT_OK


def _assessments_export(args: argparse.Namespace) -> int:
    """The whole case (answers with every revision, decisions, tags, transcript), as JSON or the printed PDF:
    the same case document a lead's export renders."""
    from bot.domain.errors import NotFoundError, StoreError
    from bot.domain.records import Actor
    from bot.questions import load_bank
    from bot.review.services import ReviewService

    settings = Settings.from_env()
    review = ReviewService(_store().session_factory, load_bank(), tracker_db=settings.engine_tracker_db)
    try:
        document = review.export_for_cli(Actor("cli", _os_user()), args.conversation, args.id, args.format)
    except NotFoundError:
        which = f"conversation {args.conversation!r}" if args.conversation else f"id {args.id!r}"
        raise CliFailure(f"no assessment found for {which}") from None
    except StoreError as error:
        raise CliFailure(str(error)) from None
    if args.format == "pdf":
        from bot.review.pdf import render_pdf

        output = render_pdf(document)
    else:
        from bot.review.case_json import to_json

        # UTF-8 whatever the locale: the words must come out intact.
        output = (json.dumps(to_json(document), ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return _write_output(args, output)


def _report(args: argparse.Namespace) -> int:
    """Every team's figures (or one team's) for a period, suppressed as on the page, audited as the CLI."""
    from bot.domain.errors import StoreError
    from bot.domain.records import Actor
    from bot.questions import load_bank
    from bot.reports.builder import Period
    from bot.reports.exports import CSV_ENCODING, report_csv, report_xlsx
    from bot.reports.service import ReportService

    first, last = args.first, args.last  # dates already: board_date
    settings = Settings.from_env()
    service = ReportService(_store().session_factory, load_bank(), threshold=settings.report_threshold)
    try:
        report = service.report_for_cli(Actor("cli", _os_user()), Period(first, last), args.team, args.format)
    except StoreError as error:
        raise CliFailure("; ".join(error.fields.values())) from None
    output = report_xlsx(report) if args.format == "xlsx" else report_csv(report).encode(CSV_ENCODING)
    return _write_output(args, output)


def _write_output(args: argparse.Namespace, output: bytes) -> int:
    """Bytes to --output, or to stdout as they are (UTF-8 whatever the locale: words must come out intact)."""
    if args.output:
        try:
            with open(args.output, "wb") as file:
                file.write(output)
        except OSError as error:
            raise CliFailure(f"could not write {args.output}: {error.strerror}") from None
        return EXIT_OK
    sys.stdout.flush()
    sys.stdout.buffer.write(output)
    sys.stdout.buffer.flush()
    return EXIT_OK


def _run(args: argparse.Namespace) -> int:
    try:
        from bot.runtime.supervisor import main as run_everything
    except ModuleNotFoundError as error:
        if error.name in ("bot.runtime", "bot.runtime.supervisor"):
            raise CliFailure("the runtime supervisor (bot.runtime.supervisor) is not installed yet") from None
        raise
    return int(run_everything() or EXIT_OK)


def _store() -> Store:
    """Imported lazily so that `bot run` and `--help` do not load SQLAlchemy."""
    from bot.domain.records import Actor
    from bot.store import db
    from bot.store.passwords import use_hashing
    from bot.store.services import Store

    settings = Settings.from_env()
    use_hashing(settings.password_hashing)  # type: ignore[arg-type]  # checked by Settings
    if not db.is_up_to_date(settings.database_url):
        raise CliFailure("the database schema is missing or out of date; run `bot db upgrade` first")
    return Store(db.make_session_factory(settings.database_url), actor=Actor("cli", _os_user()))


def _os_user() -> str:
    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        return str(os.getuid())


def _read_password() -> str:
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if getpass.getpass("Password again: ") != first:
            raise CliFailure("the two passwords differ; nothing was saved")
        return first
    line = sys.stdin.readline()
    if not line:
        raise CliFailure("no password given: pipe it on standard input, e.g. `bot user add ... < file`")
    return line.removesuffix("\n").removesuffix("\r")
