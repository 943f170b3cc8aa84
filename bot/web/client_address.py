"""The one answer to "which address did this request come from?" (the sign-in limiter, audit details).

X-Forwarded-For is a header anyone can send, so it is believed only when the direct peer is one of our own
proxies (BOT_TRUSTED_PROXIES). Each proxy appends the address it received the request from, so the chain is
read from the right, past every trusted proxy, and the first address that is not one of them is the client.
"""

from __future__ import annotations

from ipaddress import IPv4Address, IPv6Address, ip_address

from aiohttp import web

from bot.production import TrustedProxies
from bot.web.state import SETTINGS

FORWARDED_FOR = "X-Forwarded-For"


def client_address(request: web.Request) -> str:
    peer = request.remote or "unknown"
    proxies = request.app[SETTINGS].trusted_proxies
    return forwarded_client(peer, request.headers.getall(FORWARDED_FOR, []), proxies)


def forwarded_client(peer: str, forwarded_for: list[str], proxies: TrustedProxies) -> str:
    """The client address, given the direct peer, every X-Forwarded-For header and the trusted proxies."""
    address = peer
    hops = [hop.strip() for header in forwarded_for for hop in header.split(",")]
    for hop in reversed(hops):
        if not is_trusted_proxy(address, proxies):
            break
        parsed = _parse(hop)
        if parsed is None:  # a malformed hop: stop at the last proxy we can vouch for
            break
        address = str(parsed)
    return address


def _parse(text: str) -> IPv4Address | IPv6Address | None:
    try:
        return ip_address(text)
    except ValueError:
        return None


def is_trusted_proxy(address: str, proxies: TrustedProxies) -> bool:
    """True when `address` is one of our own proxies (BOT_TRUSTED_PROXIES)."""
    parsed = _parse(address)
    return parsed is not None and any(parsed in network for network in proxies)
