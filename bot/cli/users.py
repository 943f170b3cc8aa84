"""`bot user ...`: add an account (into an existing team, or a new one with `--create-team`), give it an
address, link a Microsoft Teams identity, deactivate it. Passwords are read from standard input so they never
appear in the process list or shell history."""

from __future__ import annotations

import argparse
import getpass
import sys
from typing import TYPE_CHECKING

from bot.cli.common import EXIT_OK, CliFailure, open_store
from bot.domain.rules import MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS

if TYPE_CHECKING:
    from bot.settings import Settings
    from bot.store.services import Store

PASSWORD_POLICY = (
    f"The password is read from standard input (asked twice at a terminal): {MIN_PASSWORD_CHARS} to "
    f"{MAX_PASSWORD_CHARS:,} characters, any characters but NUL; a passphrase of several words is best."
)


def user_add(args: argparse.Namespace, settings: Settings) -> int:
    from bot.domain.errors import NotFoundError, StoreError

    password = _read_password()
    store = open_store(settings)
    try:
        user = store.users.create_user(
            args.name, password, args.role, args.team, email=args.email, create_team=args.create_team
        )
    except NotFoundError as error:
        if "team" not in error.fields:
            raise CliFailure(f"could not add user {args.name!r}: {error}") from None
        args.parser.error(_no_such_team(args.team, store.users.team_names()))
    except StoreError as error:
        raise CliFailure(f"could not add user {args.name!r}: {error}") from None
    with_email = f" with email {user.email}" if user.email else ""
    print(f"added {user.role} {user.username!r} (id {user.id}) to team {user.team!r}{with_email}")
    _warn_of_lead_gaps(store, user.team)
    return EXIT_OK


def _no_such_team(team: str, existing: list[str]) -> str:
    teams = (
        f"the teams are: {', '.join(repr(name) for name in existing)}" if existing else "there are none yet"
    )
    return (
        f"argument --team: there is no team called {team!r} ({teams}); check the spelling, "
        "or add --create-team to make a new team"
    )


def _warn_of_lead_gaps(store: Store, team: str) -> None:
    """Say on stderr (the account is made all the same) if the team's urgent reports would reach no lead."""
    from bot.runtime.lead_gaps import lead_gap_warnings

    for warning in lead_gap_warnings(store.users, team):
        print(f"bot: {warning}", file=sys.stderr)


def user_set_email(args: argparse.Namespace, settings: Settings) -> int:
    from bot.domain.errors import NotFoundError, StoreError

    store = open_store(settings)
    try:
        user = store.users.set_user_email(args.name, args.address)
    except NotFoundError:
        raise CliFailure(f"no user called {args.name!r}; add them first with `bot user add`") from None
    except StoreError as error:
        raise CliFailure(f"could not set the email of {args.name!r}: {error}") from None
    print(f"urgent notices for {user.username!r} now go to {user.email}")
    return EXIT_OK


def user_deactivate(args: argparse.Namespace, settings: Settings) -> int:
    from bot.domain.errors import NotFoundError, StoreError

    store = open_store(settings)
    try:
        user = store.users.deactivate_user(args.name)
    except NotFoundError:
        raise CliFailure(f"no user called {args.name!r}; nothing was changed") from None
    except StoreError as error:
        raise CliFailure(f"could not deactivate {args.name!r}: {error}") from None
    # The app reads the flag on every request and every Teams message, so no restart is needed.
    print(f"deactivated {user.username!r}: their sessions ended on every channel and they cannot sign in")
    _warn_of_lead_gaps(store, user.team)
    return EXIT_OK


def user_link_teams(args: argparse.Namespace, settings: Settings) -> int:
    from bot.domain.errors import StoreError

    store = open_store(settings)
    user = store.users.find_user(args.name)
    if user is None:
        raise CliFailure(f"no user called {args.name!r}; add them first with `bot user add`")
    try:
        store.teams.link_teams_user(user.id, args.tenant, args.aad_object_id)
    except StoreError as error:
        raise CliFailure(f"could not link {args.name!r}: {error}") from None
    print(f"linked Teams identity {args.aad_object_id} (tenant {args.tenant}) to {user.username!r}")
    return EXIT_OK


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
