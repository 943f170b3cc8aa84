"""`bot user list|set-role|set-team|reactivate|reset-password` (issue #32): the CLI twins of the admin pages,
over the same store service (bot.store.accounts), each change with a reason that is kept and audited."""

from __future__ import annotations

import argparse

from bot.cli.common import EXIT_OK, CliFailure, open_store
from bot.settings import Settings
from bot.store.reset_links import RESET_PATH


def user_list(args: argparse.Namespace, settings: Settings) -> int:
    from bot.domain.account_records import AccountSearch

    active = {"active": True, "deactivated": False}.get(args.status)
    search = AccountSearch(text=args.search or "", role=args.role, team=args.team, active=active)
    for account in open_store(settings).accounts.list_accounts(search):
        state = "active" if account.active else "deactivated"
        print(f"{account.username}\t{account.role}\t{account.team}\t{state}")
    return EXIT_OK


def user_set_role(args: argparse.Namespace, settings: Settings) -> int:
    account = change_account(
        settings, args.name, lambda store, user_id: store.set_role(user_id, args.role, args.reason)
    )
    print(f"{account.username!r} is now a {account.role}")
    return EXIT_OK


def user_set_team(args: argparse.Namespace, settings: Settings) -> int:
    account = change_account(
        settings, args.name, lambda store, user_id: store.set_team(user_id, args.team, args.reason)
    )
    print(f"{account.username!r} is now in team {account.team!r}")
    return EXIT_OK


def user_reactivate(args: argparse.Namespace, settings: Settings) -> int:
    account = change_account(
        settings, args.name, lambda store, user_id: store.set_active(user_id, True, args.reason)
    )
    print(f"reactivated {account.username!r}: they can sign in again")
    return EXIT_OK


def user_reset_password(args: argparse.Namespace, settings: Settings) -> int:
    tokens: list[str] = []

    def issue(store, user_id):  # type: ignore[no-untyped-def]
        account, token = store.issue_reset(user_id, args.reason, settings.session_secret)
        tokens.append(token)
        return account

    account = change_account(settings, args.name, issue)
    print(f"a one-time link for {account.username!r}, good for 24 hours; pass it on to them yourself:")
    print(f"{settings.link_base_url.rstrip('/')}{RESET_PATH}{tokens[0]}")
    return EXIT_OK


def change_account(settings: Settings, name: str, change):  # type: ignore[no-untyped-def]
    """One change to the named account; a refusal is a CLI failure naming it (bot.cli.oidc_commands too)."""
    from bot.domain.errors import StoreError

    store = open_store(settings)
    user = store.users.find_user(name)
    if user is None:
        raise CliFailure(f"no user called {name!r}; nothing was changed")
    try:
        return change(store.accounts, user.id)
    except StoreError as error:
        raise CliFailure(f"could not change {name!r}: {error}; nothing was changed") from None
