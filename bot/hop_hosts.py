"""Where the internal hops go, and where their servers listen (issue #35, the scaled compose file).

Every hop (app -> engine, engine -> action server, action server -> app) is on 127.0.0.1 by default, and the
engine and the action server listen there only: loopback is a stated protection (docs/security.md). A
deployment whose processes run in separate containers (compose.scaled.yaml) names the other end by its host
name on an internal network instead, and lets the engine and the action server listen on that network; the
hops stay signed (the engine token, the actions token, the service token) whatever the address. Unset, every
one of these is loopback, exactly as before.

- BOT_ENGINE_HOST: where the app finds the engine (a host name or an IP address).
- BOT_ACTIONS_HOST: where the app checks the action server's health (its readiness probe).
- BOT_APP_HOST: where the action server finds the app's JSON API.
- BOT_ACTIONS_BIND_HOST: the address the action server listens on (an IP address).
The engine's own listening address is BOT_ENGINE_BIND_HOST, read by deploy/engine-entry.sh.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from ipaddress import ip_address

LOOPBACK = "127.0.0.1"
# A DNS name (labels of letters, digits and hyphens, as a compose service or a Kubernetes Service is named)
# or an IPv4 address; nothing that could smuggle a port, a path or credentials into a URL.
HOST_NAME = re.compile(
    r"(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*"
)


def hop_host(env: Mapping[str, str], name: str) -> str:
    """The host `name` gives for a hop's other end (default loopback); a bad value stops with its name."""
    value = env.get(name, "").strip() or LOOPBACK
    if not HOST_NAME.fullmatch(value):
        raise SystemExit(
            f"{name} must be a host name such as engine or an IPv4 address such as 127.0.0.1, got {value!r}"
        )
    return value


def listen_host(env: Mapping[str, str], name: str) -> str:
    """The IP address a server listens on, from `name` (default loopback); a bad value stops with its name."""
    value = env.get(name, "").strip() or LOOPBACK
    try:
        ip_address(value)
    except ValueError:
        raise SystemExit(
            f"{name} must be an IP address such as 127.0.0.1 or 0.0.0.0, got {value!r}"
        ) from None
    return value
