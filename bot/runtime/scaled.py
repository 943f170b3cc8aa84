"""`bot run --scaled` (`make run-scaled`): the product as several processes on 127.0.0.1 (issue #34).

A private PostgreSQL (the store and the engines' tracker) and Redis (the engines' lock store, db 1; the apps'
sessions, limits, locks and Teams guard, db 2), then two action servers, two engines (BOT_SCALED_ENGINES: 1
to 8, for bench/soak.py's comparison of one engine with two) and two app processes,
each on a port of its own, behind HAProxy: BOT_APP_PORT (8080) spreads requests over the apps,
BOT_ENGINE_PORT the apps' engine calls over the engines, BOT_ACTIONS_PORT the engines' action calls over the
action servers, round-robin and never sticky. The same code as embedded mode, other configuration: every
process finds the others through the same settings, pointed at HAProxy. The rest is `bot run`'s own
(bot.runtime.supervisor): the same preparation, "ready" summary (with what runs where), restarts and stop.
"""

from __future__ import annotations

import os
import secrets
import shutil
import time
from collections.abc import Mapping
from pathlib import Path

from bot.dev_secrets import dev_secret_file
from bot.runtime import processes, supervisor
from bot.runtime.data_folder import PRIVATE_UMASK, make_private
from bot.runtime.model import ensure_model
from bot.runtime.process_env import actions_env, app_env
from bot.runtime.scaled_servers import (
    Cluster,
    ScaledSetupFailed,
    ensure_databases,
    haproxy_config,
    haproxy_service,
    postgres_service,
    prepare_cluster,
    python_service,
    redis_service,
    wait_every_server_up,
)
from bot.settings import Settings

COPIES = 2
ENGINES_VARIABLE = "BOT_SCALED_ENGINES"
MAX_ENGINES = 8  # each engine holds its own model in memory (about 700 MB): more is a typing mistake
PASSWORD_FILE = Path("secrets") / "scaled-postgres-password"
REDIS_PASSWORD_FILE = "scaled-redis-password"  # noqa: S105  # a file name in the data folder's secrets/


def main() -> int:
    started = time.monotonic()
    os.umask(PRIVATE_UMASK)
    base = Settings.from_env()
    say = supervisor.stamped_say(started)
    if not supervisor.private_data_folder(base, say):
        return 1
    logs = base.data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    try:
        engines = engine_count(os.environ)
        cluster = prepare_cluster(base.data_dir)
        redis_password = dev_secret_file(
            base.data_dir, REDIS_PASSWORD_FILE, lambda: secrets.token_urlsafe(24), "Redis password",
            "production names its own with BOT_REDIS_PASSWORD_FILE",
        )  # fmt: skip
    except ScaledSetupFailed as failure:
        print(f"Could not start the product: {failure}", flush=True)
        return 1
    ports = {name: processes.free_port() for name in ("postgresql", "redis", "stats")}
    try:
        infrastructure = [
            postgres_service(cluster, ports["postgresql"], logs),
            redis_service(ports["redis"], base.data_dir / "scaled" / "redis", logs, redis_password),
        ]
        say("starting PostgreSQL and Redis...")
        with processes.running(infrastructure):
            ensure_databases(cluster, ports["postgresql"], ("store", "tracker"))
            source = dict(os.environ) | scaled_variables(cluster, ports, base.data_dir)
            source.pop("BOT_REDIS_PASSWORD", None)  # ours is the file's: both set is refused
            settings = Settings.from_env(source)
            keep_password(settings.data_dir, cluster)
            sign_ins = supervisor.prepare_store(settings, say)
            if isinstance(sign_ins, int):
                return sign_ins
            model = ensure_model(settings, log=say)
            services, mail_sink = scaled_product(settings, model, source, ports["stats"], engines)
            say(f"starting {COPIES} action servers, {engines} engines, {COPIES} apps and HAProxy...")

            def summary() -> str:
                wait_every_server_up(ports["stats"])
                text = supervisor.ready_summary(
                    settings, sign_ins, time.monotonic() - started, mail_sink is not None
                )
                head, last = text.rsplit("\n", 1)
                return "\n".join([head, *where(settings, services, cluster, ports), last])

            return supervisor.keep_running(settings, services, summary, say, already_running=infrastructure)
    except (ScaledSetupFailed, processes.ServiceFailed) as failure:
        print(f"Could not start the product: {failure}", flush=True)
        return 1
    finally:
        if cluster.throwaway:
            shutil.rmtree(cluster.folder, ignore_errors=True)


def engine_count(env: Mapping[str, str]) -> int:
    """How many engines to start: BOT_SCALED_ENGINES, 2 when unset. One engine behind HAProxy is what
    bench/soak.py compares two with (messages per engine CPU-second on the same machine)."""
    text = env.get(ENGINES_VARIABLE, "").strip()
    if not text:
        return COPIES
    if not text.isdigit() or not 1 <= int(text) <= MAX_ENGINES:
        raise ScaledSetupFailed(
            f"{ENGINES_VARIABLE} must be a whole number from 1 to {MAX_ENGINES}, not {text!r}"
        )
    return int(text)


def scaled_variables(cluster: Cluster, ports: Mapping[str, int], data_dir: Path) -> dict[str, str]:
    """The settings that make every process use the shared servers (bot.engine_stores, bot.shared_state).
    Redis's password goes as a file name: each process reads it, and the engines get it from `bot run`."""
    return {
        "BOT_REDIS_PASSWORD_FILE": str(data_dir / "secrets" / REDIS_PASSWORD_FILE),
        "BOT_DATABASE_URL": cluster.url(ports["postgresql"], "store"),
        # The engine's SQLAlchemy 1.4 speaks PostgreSQL through psycopg2: its URL names no driver.
        "BOT_TRACKER_URL": cluster.url(ports["postgresql"], "tracker", driver="postgresql"),
        "BOT_LOCK_STORE_URL": f"redis://127.0.0.1:{ports['redis']}/1",
        "BOT_SHARED_STATE_URL": f"redis://127.0.0.1:{ports['redis']}/2",
    }


def keep_password(data_dir: Path, cluster: Cluster) -> None:
    """The cluster's password where `bot` commands run beside it can find it (private, like all secrets)."""
    path = data_dir / PASSWORD_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(cluster.password + "\n")


def scaled_product(
    settings: Settings, model: Path, source: Mapping[str, str], stats_port: int, engine_copies: int = COPIES
) -> tuple[list[processes.Service], processes.Service | None]:
    """Two of each of the product's processes (`engine_copies` engines) on ports of their own, HAProxy in
    front (the settings' ports), and the mail sink as `bot run` adds it; each sees the others only through
    HAProxy."""
    logs = settings.data_dir / "logs"
    actions, apps = (
        [(f"{kind}-{n}", processes.free_port()) for n in range(1, COPIES + 1)] for kind in ("actions", "app")
    )
    engines = [(f"engine-{n}", processes.free_port()) for n in range(1, engine_copies + 1)]
    # Links in notices name the address people use (HAProxy's), not one app's own port.
    actions_base = actions_env(settings, source)
    app_base = app_env(settings, source) | {"BOT_PUBLIC_URL": settings.public_url or settings.app_url}
    services = [
        *(
            python_service(name, "actions.server", actions_base | {"BOT_ACTIONS_PORT": str(port)},
                           f"http://127.0.0.1:{port}/health", logs)
            for name, port in actions
        ),
        *(processes.engine_service(settings, model, source, port=port, name=name) for name, port in engines),
        *(
            python_service(name, "bot.web", app_base | {"BOT_APP_PORT": str(port)},
                           f"http://127.0.0.1:{port}/healthz", logs)
            for name, port in apps
        ),
    ]  # fmt: skip
    front = {"app": settings.app_port, "engine": settings.engine_port, "actions": settings.actions_port}
    config = haproxy_config(
        front | {"stats": stats_port}, {"app": apps, "engine": engines, "actions": actions}
    )
    services.append(haproxy_service(config, settings.data_dir / "scaled", stats_port, logs))
    mail_sink = processes.use_dev_mail_sink(settings, services)
    make_private(settings.data_dir)
    return services, mail_sink


def where(
    settings: Settings, services: list[processes.Service], cluster: Cluster, ports: Mapping[str, int]
) -> list[str]:
    """The summary's scaled-mode lines: what runs where, behind which of HAProxy's addresses."""

    def group(prefix: str) -> str:
        found = [
            s.health_url.split("//", 1)[1].split("/", 1)[0] for s in services if s.name.startswith(prefix)
        ]
        return ", ".join(found)

    kept = "a throwaway folder, deleted on stop" if cluster.throwaway else str(cluster.folder)
    return [
        f"  scaled mode: HAProxy round-robin, not sticky; stats at http://127.0.0.1:{ports['stats']}/stats",
        f"    apps:            {group('app-')} (behind :{settings.app_port})",
        f"    engines:         {group('engine-')} (behind :{settings.engine_port})",
        f"    action servers:  {group('actions-')} (behind :{settings.actions_port})",
        f"    PostgreSQL:      127.0.0.1:{ports['postgresql']}, databases store and tracker, user store, "
        f"password in {PASSWORD_FILE}; data in {kept}",
        f"    Redis:           127.0.0.1:{ports['redis']} (engine locks db 1, app shared state db 2), "
        f"password in secrets/{REDIS_PASSWORD_FILE}",
    ]
