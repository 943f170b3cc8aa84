"""The action server's `/readyz` and `/metrics` for the platform team (issue #35), beside rasa-sdk's routes.

`/readyz` answers 200 when the store's JSON API answers (through the same client the actions use), else 503
naming it. `/metrics` holds one registry per server: calls handled, how long each took, and errors by route
template; labels are fixed words, never a conversation id, action argument or text. Only addresses in
BOT_METRICS_ALLOW (default 127.0.0.1) may read it; nothing proxies to the action server, so the direct
peer is the client.
"""

from __future__ import annotations

import asyncio
import time

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from sanic import Request, Sanic
from sanic.response import HTTPResponse, json, raw

from actions.settings import ActionSettings
from actions.store import store
from bot.http_metrics import address_allowed, http_errors_counter

READY_TIMEOUT_SECONDS = 2.0
# An action reads the record and writes one transaction through the app: tens of milliseconds to seconds.
CALL_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0)
PROBE_PATHS = frozenset({"/readyz", "/metrics"})


class ActionMetrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.calls = Counter(
            "bot_action_calls",
            "Calls from the engine to run an action, by HTTP status",
            ["status"],
            registry=self.registry,
        )
        self.call_seconds = Histogram(
            "bot_action_seconds",
            "Seconds the action server took to answer the engine",
            buckets=CALL_BUCKETS,
            registry=self.registry,
        )
        self.errors = http_errors_counter(self.registry)


def add_probes(app: Sanic, settings: ActionSettings) -> None:
    """Register the probes' routes and the timing middleware; call before any other request middleware, so
    that a request refused by the token check is still counted."""
    metrics = ActionMetrics()

    @app.on_request
    async def start_clock(request: Request) -> None:
        request.ctx.started = time.perf_counter()

    @app.on_response
    async def count(request: Request, response: HTTPResponse) -> None:
        route = "/" + request.route.path.lstrip("/") if request.route is not None else "(unmatched)"
        if response.status >= 400:
            metrics.errors.labels(route, str(response.status)).inc()
        if route == "/webhook":
            metrics.calls.labels(str(response.status)).inc()
            started = getattr(request.ctx, "started", None)
            if started is not None:
                metrics.call_seconds.observe(time.perf_counter() - started)

    async def readyz(_request: Request) -> HTTPResponse:
        try:
            await asyncio.wait_for(store().health(), READY_TIMEOUT_SECONDS)
        except Exception:  # unreachable, refused or too slow: the store is down for us, whichever
            return json({"status": "not ready", "down": ["store"], "checks": {"store": "down"}}, status=503)
        return json({"status": "ready", "checks": {"store": "ok"}})

    async def metrics_page(request: Request) -> HTTPResponse:
        if not address_allowed(request.ip, settings.metrics_allow):
            return json({"error": "metrics are readable only from the addresses in BOT_METRICS_ALLOW"}, 403)
        return raw(generate_latest(metrics.registry), content_type=CONTENT_TYPE_LATEST)

    app.add_route(readyz, "/readyz", methods=["GET"], name="readyz")
    app.add_route(metrics_page, "/metrics", methods=["GET"], name="metrics")
