"""`/metrics` for the platform team's Prometheus (issue #35): counters and histograms in one registry per app.

Each app gets its own registry, not the library's global one, because the tests create many apps in one
process and a global registry refuses a second metric of the same name. Labels carry only fixed words (an
outcome, a route template such as `/chat/{reference}`, a status code): never a raw path, which would carry a
reference, nor a user name or anything typed. Only addresses in BOT_METRICS_ALLOW may read it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

from aiohttp import web
from aiohttp.typedefs import Handler
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy.orm import Session, sessionmaker

from bot.http_metrics import address_allowed, http_errors_counter
from bot.store.outbox_counts import notice_counts
from bot.web.client_address import client_address
from bot.web.state import SETTINGS

# Seconds from sending a message to the engine to having its reply: a turn runs the classifier, an action and
# a store transaction, so the interesting range is a tenth of a second to tens of seconds.
REPLY_BUCKETS = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 30.0)
UNMATCHED_ROUTE = "(unmatched)"
# The outbox states worth an alert: waiting to go, and given up on.
WATCHED_NOTICE_STATES = ("pending", "failed")


class OutboxCollector(Collector):
    """Urgent notices pending and failed, counted in the store when Prometheus scrapes."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._sessions = session_factory

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "bot_urgent_notices", "Urgent notices in the outbox, by state", labels=["state"]
        )
        counts = notice_counts(self._sessions)
        for state in WATCHED_NOTICE_STATES:
            family.add_metric([state], counts[state])
        yield family


class AppMetrics:
    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self.registry = CollectorRegistry()
        self.messages = Counter(
            "bot_messages_handled",
            "Messages sent to the engine, by outcome (replied, engine_error, engine_unavailable)",
            ["outcome"],
            registry=self.registry,
        )
        self.reply_seconds = Histogram(
            "bot_reply_seconds",
            "Seconds the engine took to reply to a message",
            buckets=REPLY_BUCKETS,
            registry=self.registry,
        )
        self.sign_in_failures = Counter(
            "bot_sign_in_failures",
            "Sign-ins refused, by reason (refused: wrong or missing details; limited: too many tries)",
            ["reason"],
            registry=self.registry,
        )
        self.errors = http_errors_counter(self.registry)
        self.registry.register(OutboxCollector(session_factory))

    def message_handled(self, outcome: str, seconds: float) -> None:
        """For EngineGateway's on_reply."""
        self.messages.labels(outcome).inc()
        self.reply_seconds.observe(seconds)


METRICS = web.AppKey("metrics", AppMetrics)


def route_template(request: web.Request) -> str:
    """The matched route's template (`/chat/{reference}`), never the path the request asked for."""
    route = request.match_info.route
    resource = route.resource if route is not None else None
    return resource.canonical if resource is not None else UNMATCHED_ROUTE


@web.middleware
async def count_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    status = 500  # an exception that is not an HTTP answer becomes a 500
    try:
        response = await handler(request)
        status = response.status
        return response
    except web.HTTPException as answer:
        status = answer.status
        raise
    finally:
        if status >= 400:
            request.app[METRICS].errors.labels(route_template(request), str(status)).inc()


async def metrics(request: web.Request) -> web.StreamResponse:
    if not allowed(request):
        raise web.HTTPForbidden(text="metrics are readable only from the addresses in BOT_METRICS_ALLOW")
    # Off the event loop: the outbox counts are a database query.
    body = await asyncio.to_thread(generate_latest, request.app[METRICS].registry)
    return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


def allowed(request: web.Request) -> bool:
    """True when the client (bot.web.client_address: past trusted proxies only) is in BOT_METRICS_ALLOW."""
    return address_allowed(client_address(request), request.app[SETTINGS].metrics_allow)
