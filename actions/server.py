"""Start the action server on 127.0.0.1 (or BOT_ACTIONS_BIND_HOST, bot.hop_hosts), answering only the engine.

rasa-sdk's own CLI binds 0.0.0.0 unless SANIC_HOST is set and enables CORS for every origin, and rasa-sdk
has no authentication: any POST naming an action was run (issue #30). So the server listens on loopback
only, and refuses with 401 every request but the health check that lacks the token the engine sends as
`token=` (endpoints.yml, BOT_ACTIONS_TOKEN).
"""

from __future__ import annotations

import argparse
import hmac
import logging
import os
import warnings
from functools import partial

from sanic import Request, Sanic
from sanic.response import HTTPResponse, json
from sanic.worker.loader import AppLoader

from actions.probes import PROBE_PATHS, add_probes
from actions.settings import ActionSettings
from bot import request_ids
from bot.log_format import configure_logging, log_format
from bot.runtime.data_folder import refuse_unless_private
from bot.settings import data_folder

# Open without the token: the health check says only "ok", and the supervisor's has no token; the probes say
# only which part is down and counts, and /metrics checks its own address list (actions.probes).
OPEN_PATHS = frozenset({"/health"}) | PROBE_PATHS
WEBHOOK_PATH = "/webhook"  # where rasa-sdk takes the engine's calls to run an action

log = logging.getLogger(__name__)


def token_matches(request: Request, token: str) -> bool:
    """True when the request carries `token` as its query parameter `token=`, compared in constant time."""
    given = request.args.get("token") or ""
    return bool(token) and hmac.compare_digest(given.encode(), token.encode())


def _create_app() -> Sanic:
    # Here too: Sanic serves from a worker process of its own, which does not inherit main()'s logging.
    configure_logging("actions", log_format(os.environ))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from rasa_sdk.endpoint import create_app
        from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    app = create_app(executor, cors_origins=None)
    settings = ActionSettings.from_env()
    token = settings.actions_token
    add_probes(app, settings)  # first: its clock starts before the token check below

    # Before any route, so that no action runs and the list of actions is not given away without it.
    @app.on_request
    async def require_engine_token(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS or token_matches(request, token):
            return None
        return json({"error": "the action server answers only the engine"}, status=401)

    # After the token check, for every request (Sanic may serve several on one connection's task, so an
    # id is never left over from the one before): the engine's message's id, from the tracker it sends.
    @app.on_request
    async def bind_request_id(request: Request) -> None:
        body = request.json if request.path == WEBHOOK_PATH and request.method == "POST" else None
        request_ids.current.set(
            request_ids.from_tracker(body.get("tracker")) if isinstance(body, dict) else None
        )
        if isinstance(body, dict):
            # The action's name only: the tracker holds the practitioner's words and is never logged.
            log.info("running %s", str(body.get("next_action") or "no action")[:80])

    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m actions.server", description="Run the action server on 127.0.0.1."
    )
    parser.add_argument("--port", type=int, help="the port to listen on (default: BOT_ACTIONS_PORT)")
    args = parser.parse_args(argv)
    # Before a development token is read from it: the folder must be private to this account (issue #30).
    refuse_unless_private(data_folder(os.environ), "the action server")
    settings = ActionSettings.from_env()  # refuses to start without its tokens in production
    if args.port is None:
        args.port = settings.port
    configure_logging("actions", log_format(os.environ))
    loader = AppLoader(factory=partial(_create_app))
    app = loader.load()
    app.prepare(host=settings.listen_host, port=args.port, workers=1, access_log=False, motd=False)
    Sanic.serve(primary=app, app_loader=loader)


if __name__ == "__main__":
    main()
