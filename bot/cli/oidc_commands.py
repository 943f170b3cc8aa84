"""`bot user link-oidc|unlink-oidc` (issue #32): an organisation sign-in account linked to a user by its
issuer and subject, or the link removed, by hand; each with a reason, kept and audited (bot.store.accounts).

Apart from bot.cli.parser, which was at its size limit; it hands over its `_command` so that these commands
are made exactly as the others are.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.cli.common import EXIT_OK

if TYPE_CHECKING:
    from bot.settings import Settings

ISSUER_HELP = "the provider's issuer address, exactly as BOT_OIDC_ISSUER"
SUBJECT_HELP = (
    "the person's subject: their sub claim (Entra ID: the oid claim when the mapping's subject_claim is oid)"
)


def add_oidc_commands(
    user: Any, handlers: dict[str, Any], command: Callable[..., argparse.ArgumentParser]
) -> None:
    link = command(
        user,
        "link-oidc",
        "link a user to an organisation sign-in account (with a reason, audited)",
        handlers["user link-oidc"],
    )
    link.add_argument("name", help="the user's sign-in name")
    link.add_argument("--issuer", metavar="URL", required=True, help=ISSUER_HELP)
    link.add_argument("--subject", metavar="SUB", required=True, help=SUBJECT_HELP)
    link.add_argument("--reason", metavar="TEXT", required=True, help="why (kept with the change)")
    unlink = command(
        user,
        "unlink-oidc",
        "remove a user's organisation sign-in link at one issuer (with a reason, audited)",
        handlers["user unlink-oidc"],
    )
    unlink.add_argument("name", help="the user's sign-in name")
    unlink.add_argument("--issuer", metavar="URL", required=True, help=ISSUER_HELP)
    unlink.add_argument("--reason", metavar="TEXT", required=True, help="why (kept with the change)")


def user_link_oidc(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.accounts import change_account

    account = change_account(
        settings,
        args.name,
        lambda store, user_id: store.link_oidc(user_id, args.issuer, args.subject, args.reason),
    )
    print(f"{account.username!r} now signs in as subject {args.subject.strip()!r} of {args.issuer}")
    return EXIT_OK


def user_unlink_oidc(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli.accounts import change_account

    account = change_account(
        settings, args.name, lambda store, user_id: store.unlink_oidc(user_id, args.issuer, args.reason)
    )
    print(f"removed the link of {account.username!r} at {args.issuer}; their next sign-in there links anew")
    return EXIT_OK
