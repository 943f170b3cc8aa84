"""What the action server needs from its environment, and nothing more.

The action server does not read `bot.settings.Settings`: that would need (and, in embedded mode, generate)
the session secret and, in production, the Teams secret, neither of which this process may hold (issue #30:
each process gets only the variables it needs, bot.runtime.process_env). It needs its port, the app's
address, the token for the app's JSON API and the token the engine sends it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.hop_hosts import LOOPBACK, hop_host, listen_host
from bot.production import TrustedProxies, address_networks, is_production, read_secret_file
from bot.settings import data_folder, dev_secret, port_number

TOKENS = ("BOT_SERVICE_TOKEN", "BOT_ACTIONS_TOKEN")


@dataclass(frozen=True)
class ActionSettings:
    port: int
    app_url: str
    # For the app's JSON API (bot.store_client).
    service_token: str = field(repr=False)
    # What the engine sends as `token=` (endpoints.yml); every other caller is refused.
    actions_token: str = field(repr=False)
    # Issue #35: who may read /metrics (actions.probes).
    metrics_allow: TrustedProxies = ()
    # Issue #35: loopback unless a deployment puts the engine in another container (bot.hop_hosts).
    listen_host: str = LOOPBACK

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> ActionSettings:
        env = os.environ if env is None else env
        tokens = {name: _token(env, name) for name in TOKENS}
        app_port = port_number(env, "BOT_APP_PORT", 8080)
        return cls(
            port=port_number(env, "BOT_ACTIONS_PORT", 5055),
            app_url=f"http://{hop_host(env, 'BOT_APP_HOST')}:{app_port}",
            listen_host=listen_host(env, "BOT_ACTIONS_BIND_HOST"),
            service_token=tokens["BOT_SERVICE_TOKEN"],
            actions_token=tokens["BOT_ACTIONS_TOKEN"],
            metrics_allow=address_networks(env, "BOT_METRICS_ALLOW", "127.0.0.1"),
        )


def _token(env: Mapping[str, str], name: str) -> str:
    """NAME, or the file NAME_FILE names; in embedded mode only, the development secret in the data folder
    (which `bot run` hands over anyway, so this serves `python -m actions.server` run by hand)."""
    if value := env.get(name, "").strip():
        return value
    if path := env.get(f"{name}_FILE", "").strip():
        value, problem = read_secret_file(Path(path))
        if problem:
            raise SystemExit(f"{name}_FILE: {problem}")
        return value
    if is_production(env):
        raise SystemExit(f"BOT_ENV=production: the action server cannot start: {name} is not set")
    return dev_secret(data_folder(env), name.removeprefix("BOT_").lower().replace("_", "-"))
