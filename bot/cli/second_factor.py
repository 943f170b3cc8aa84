"""`bot user reset-2fa NAME --reason TEXT` (issue #32): an admin removes someone's second factor when
their phone is lost, so that they set up a new one at their next sign-in. The reason is kept, the reset
audited."""

from __future__ import annotations

import argparse

from bot.cli.common import EXIT_OK, CliFailure, open_store
from bot.settings import Settings


def user_reset_2fa(args: argparse.Namespace, settings: Settings) -> int:
    from bot.domain.errors import StoreError

    store = open_store(settings)
    try:
        store.second_factor.reset(args.name, args.reason)
    except StoreError as error:
        raise CliFailure(
            f"could not reset the second factor of {args.name!r}: {error}; nothing was changed"
        ) from None
    print(f"reset the second factor of {args.name!r}: they set up a new one at their next sign-in")
    return EXIT_OK
