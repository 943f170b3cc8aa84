"""What the app's and the action server's `/metrics` share (issue #35): the errors-by-route counter, and who
may read the page. Each server keeps its own registry (bot.web.metrics, actions.probes)."""

from __future__ import annotations

from collections.abc import Iterable
from ipaddress import IPv4Network, IPv6Network, ip_address

from prometheus_client import CollectorRegistry, Counter


def http_errors_counter(registry: CollectorRegistry) -> Counter:
    """Responses with a status of 400 or more, labelled by route template (never the raw path) and status."""
    return Counter(
        "bot_http_errors",
        "Responses with a status of 400 or more, by route template and status",
        ["route", "status"],
        registry=registry,
    )


def address_allowed(address: str, allowed: Iterable[IPv4Network | IPv6Network]) -> bool:
    """True when `address` is in one of the BOT_METRICS_ALLOW networks; an address that is not one ("unknown")
    is refused."""
    try:
        parsed = ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in allowed)
