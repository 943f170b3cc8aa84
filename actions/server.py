"""Start the action server bound to 127.0.0.1.

rasa-sdk's own CLI binds 0.0.0.0 unless SANIC_HOST is set and enables CORS for every origin; the action
server has no authentication, so it must only ever listen on loopback where the engine is its only caller.
"""

from __future__ import annotations

import argparse
import logging
import warnings
from functools import partial

from sanic import Sanic
from sanic.worker.loader import AppLoader

from bot.settings import Settings


def _create_app() -> Sanic:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from rasa_sdk.endpoint import create_app
        from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    return create_app(executor, cors_origins=None)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m actions.server", description="Run the action server on 127.0.0.1."
    )
    parser.add_argument("--port", type=int, help="the port to listen on (default: BOT_ACTIONS_PORT)")
    args = parser.parse_args(argv)
    settings = Settings.from_env()
    if args.port is None:
        args.port = settings.actions_port
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    loader = AppLoader(factory=partial(_create_app))
    app = loader.load()
    app.prepare(host="127.0.0.1", port=args.port, workers=1, access_log=False, motd=False)
    Sanic.serve(primary=app, app_loader=loader)


if __name__ == "__main__":
    main()
