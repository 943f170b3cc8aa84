"""`python -m bot.web`: serve the app on BOT_BIND_HOST (default 127.0.0.1) until SIGTERM or SIGINT, then close
down cleanly."""

from __future__ import annotations

import argparse
import logging
import os
import time

from aiohttp import web

from bot.log_format import configure_logging, log_format
from bot.production import exposed_without_proxy
from bot.runtime.data_folder import refuse_unless_private
from bot.runtime.schema_gate import SchemaNotReady, prepare_schema
from bot.runtime.settable_clock import SettableClock
from bot.settings import Settings, data_folder
from bot.shared_state.check import refuse_unless_signed_in
from bot.store.db import use_sqlite_durability
from bot.store.encrypted_text import use_key_ring
from bot.store.passwords import use_hashing
from bot.web.app import create_app
from bot.web.request_id import AccessLogger


def main(argv: list[str] | None = None) -> None:
    argparse.ArgumentParser(
        prog="python -m bot.web",
        description="Serve the web app on BOT_BIND_HOST (default 127.0.0.1), port BOT_APP_PORT, until "
        "SIGTERM or SIGINT. Settings come from BOT_* environment variables; `bot run` starts this with "
        "everything else.",
    ).parse_args(argv)
    configure_logging("app", log_format(os.environ))
    # Before anything is read or created: never serve records from a folder other accounts can read (#30).
    refuse_unless_private(data_folder(os.environ), "the app")
    settings = Settings.from_env()
    refuse_unless_signed_in(settings.shared_state)  # a wrong Redis password stops here, not per request
    use_sqlite_durability(settings.sqlite_durability)  # type: ignore[arg-type]  # checked by Settings
    use_key_ring(settings.data_keys)  # before the migrations: 0034 seals earlier answers
    warning = exposed_without_proxy(settings.bind_host, settings.trusted_proxies)
    if settings.production and warning:
        logging.getLogger("bot.web").warning(warning)
    try:
        # Development migrates (a fresh clone needs it); production only checks: `bot db upgrade` is the step.
        logging.getLogger("bot.web").info(prepare_schema(settings))
    except SchemaNotReady as refusal:
        raise SystemExit(str(refusal)) from None
    use_hashing(settings.password_hashing)  # type: ignore[arg-type]  # checked by Settings
    # run_app turns SIGTERM and SIGINT into a graceful shutdown that runs the app's cleanup and returns.
    # The tests' clock file (BOT_TEST_CLOCK_FILE; production refuses it), else the real monotonic clock. In
    # scaled mode the times in Redis are compared by app processes on other machines, whose monotonic clocks
    # started elsewhere: the wall clock is the one they share.
    real = time.time if settings.shared_state is not None else time.monotonic
    clock = SettableClock(settings.test_clock_file) if settings.test_clock_file else real
    web.run_app(
        create_app(settings, clock=clock),
        host=settings.bind_host,
        port=settings.app_port,
        print=lambda message: logging.getLogger("bot.web").info(message.strip()),
        access_log_class=AccessLogger,
    )


if __name__ == "__main__":
    main()
