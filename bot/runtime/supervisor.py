"""`bot run` (what `make run` calls): bring the whole product up on one machine and keep it up.

Upgrade the database (in development; production only checks it: bot.runtime.schema_gate), train only
if the model's inputs changed, start the engine, the action server and the app on loopback (and, in
embedded mode with no mail server configured, a local mail sink for the urgent notices), wait until all
answer, say where to go, and stop them all on Ctrl-C or SIGTERM. A process that dies on its own is started
again with back-off while the others keep running (bot.runtime.keep_up); one that keeps dying stops them
all with one message.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import sys
import time
from collections.abc import Callable

from bot.domain.roles import Role
from bot.runtime import daily_retention, keep_up, processes
from bot.runtime.data_folder import PRIVATE_UMASK, DataFolderError, make_private
from bot.runtime.lead_gaps import lead_gap_warnings, no_channel_warning
from bot.runtime.model import ensure_model
from bot.settings import Settings

DEV_ACCOUNTS = (
    ("dev-practitioner", Role.PRACTITIONER),
    ("dev-lead", Role.LEAD),
    ("dev-trainer", Role.TRAINER),
    ("dev-admin", Role.ADMIN),
)
DEV_TEAM = "Development team"
DEV_EMAIL_DOMAIN = "example.invalid"  # reserved: never a real mailbox, whatever the mail server does


def dev_email(username: str) -> str:
    return f"{username}@{DEV_EMAIL_DOMAIN}"


def ensure_dev_sign_ins(settings: Settings) -> list[tuple[str, str, str]]:
    """Create the development accounts once (embedded mode only) and return (username, role, password).

    Passwords are random per data folder and kept in its secrets folder (mode 0600), never in the repo.
    Each account has an address under example.invalid, so urgent notices show up in the local mail sink;
    accounts made before addresses existed get theirs here.
    """
    from bot.store.db import make_session_factory
    from bot.store.users import UserService

    path = settings.data_dir / "secrets" / "dev-sign-ins.txt"
    users = UserService(make_session_factory(settings.database_url))
    if path.exists():
        for username, _role in DEV_ACCOUNTS:
            user = users.find_user(username)
            if user is not None and user.email is None:
                users.set_user_email(username, dev_email(username))
        return [tuple(line.split("\t")) for line in path.read_text().splitlines() if line]  # type: ignore[misc]
    created = []
    for username, role in DEV_ACCOUNTS:
        password = secrets.token_urlsafe(12)
        users.create_user(username, password, role, DEV_TEAM, email=dev_email(username))
        created.append((username, role, password))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text("".join(f"{u}\t{r}\t{p}\n" for u, r, p in created))
    return created


def development_accounts(settings: Settings) -> list[str]:
    """The development accounts (DEV_ACCOUNTS) that exist in the store: production refuses to start with
    any, since their passwords sit in a development data folder and their addresses reach no one."""
    from bot.store.db import make_session_factory
    from bot.store.users import UserService

    sessions = make_session_factory(settings.database_url)
    try:
        users = UserService(sessions)
        return [name for name, _role in DEV_ACCOUNTS if users.find_user(name) is not None]
    finally:
        sessions.kw["bind"].dispose()


def startup_lead_gap_warnings(settings: Settings) -> list[str]:
    """Every team whose urgent reports would reach no lead (people who may raise concerns and no lead, or
    leads with no address and no Teams chat), as warnings for the console once the database is ready."""
    from bot.store.db import make_session_factory
    from bot.store.users import UserService

    sessions = make_session_factory(settings.database_url)
    try:
        return lead_gap_warnings(UserService(sessions))
    finally:
        sessions.kw["bind"].dispose()


def startup_warnings(settings: Settings) -> list[str]:
    """What `bot run` warns of once the database is ready: no channel that can reach a lead about danger
    (bot.runtime.lead_gaps.no_channel_warning), then every team whose urgent reports would reach no lead."""
    channel = no_channel_warning(settings)
    return ([channel] if channel else []) + startup_lead_gap_warnings(settings)


def main() -> int:
    started = time.monotonic()
    # Before anything is created: what this process and its children make is private to this account.
    os.umask(PRIVATE_UMASK)
    settings = Settings.from_env()
    say = stamped_say(started)
    if not private_data_folder(settings, say):
        return 1
    prepared = prepare_store(settings, say)
    if isinstance(prepared, int):
        return prepared
    model = ensure_model(settings, log=say)
    services = processes.product_services(settings, model)
    mail_sink = processes.use_dev_mail_sink(settings, services)
    say(f"starting the engine, the action server{', the mail sink' if mail_sink else ''} and the app...")
    return keep_running(
        settings,
        services,
        lambda: ready_summary(settings, prepared, time.monotonic() - started, mail_sink is not None),
        say,
    )


def stamped_say(started: float) -> Callable[[str], None]:
    def say(message: str) -> None:
        print(f"[{time.monotonic() - started:5.1f}s] {message}", flush=True)

    return say


def private_data_folder(settings: Settings, say: Callable[[str], None]) -> bool:
    try:
        tightened = make_private(settings.data_dir)
    except DataFolderError as error:
        print(f"Could not start the product: {error}", file=sys.stderr)
        return False
    if tightened:
        say(f"made {len(tightened)} files and folders in the data folder private (folders 0700, files 0600)")
    return True


def prepare_store(settings: Settings, say: Callable[[str], None]) -> list[tuple[str, str, str]] | int:
    """The schema ready, the hashing and durability set, the development sign-ins made and the warnings
    said; the sign-ins, or the exit code to stop with."""
    from bot.runtime.schema_gate import SchemaNotReady, prepare_schema
    from bot.store.db import use_sqlite_durability
    from bot.store.encrypted_text import use_key_ring
    from bot.store.passwords import use_hashing

    use_sqlite_durability(settings.sqlite_durability)  # type: ignore[arg-type]  # checked by Settings
    use_key_ring(settings.data_keys)  # before the migrations: 0034 seals earlier answers
    try:
        say(prepare_schema(settings))  # migrates in development; production only checks (`bot db upgrade`)
    except SchemaNotReady as refusal:
        print(refusal, file=sys.stderr)
        return 1
    use_hashing(settings.password_hashing)  # type: ignore[arg-type]  # checked by Settings
    if settings.password_hashing != "standard":  # noqa: S105  # a cost setting's name
        say(f"warning: BOT_PASSWORD_HASHING={settings.password_hashing}: cheap password hashes (tests)")
    if settings.sqlite_durability != "full":
        say(f"warning: BOT_SQLITE_DURABILITY={settings.sqlite_durability}: a power cut may lose commits")
    if settings.production and (found := development_accounts(settings)):
        print(
            "BOT_ENV=production: cannot start: the store has development accounts: "
            f"{', '.join(found)}. Production needs a database without them.",
            file=sys.stderr,
        )
        return 1
    sign_ins = ensure_dev_sign_ins(settings) if settings.dev_mode else []
    for warning in startup_warnings(settings):
        say(warning)
    return sign_ins


def keep_running(
    settings: Settings,
    services: list[processes.Service],
    summary: Callable[[], str],
    say: Callable[[str], None],
    already_running: list[processes.Service] | None = None,
) -> int:
    """Start the services, print the summary once all answer, keep them up (and `already_running`, which
    the caller started and stops: scaled mode's PostgreSQL and Redis), and stop them all on Ctrl-C or
    SIGTERM (or when one keeps dying); the exit code."""
    stopping = False

    def request_stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, request_stop)
    signal.signal(signal.SIGTERM, request_stop)
    try:
        with processes.running(services):
            print(summary(), flush=True)
            watched = [*(already_running or []), *services]
            keeper = keep_up.Keeper(watched, lambda service: start_again(settings, service), say)
            retention = daily_retention.from_settings(settings, say)
            if retention is not None:
                say(f"retention job: daily at {settings.retention_at:%H:%M} (BOT_RETENTION_AT)")
            while not stopping:
                if (gave_up := keeper.tick()) is not None:
                    print(gave_up, file=sys.stderr, flush=True)
                    return 1
                if retention is not None:
                    retention.tick()
                time.sleep(0.5)
            say("stopping...")
            if retention is not None and retention.running:
                say("retention job: waiting for the run in progress to finish")
                retention.wait()
    except processes.ServiceFailed as failure:
        print(f"Could not start the product: {failure}", file=sys.stderr)
        return 1
    say("stopped")
    return 0


def start_again(settings: Settings, service: processes.Service) -> None:
    """Start one process again: the data folder made private first (a command run meanwhile may have added
    files to it), or the process refuses to start (issue #30)."""
    make_private(settings.data_dir)
    processes.start(service)


def ready_summary(
    settings: Settings, sign_ins: list[tuple[str, str, str]], seconds: float, mail_sink: bool
) -> str:
    """What `bot run` prints once everything answers: where to go, where notices go (or that none can),
    and in embedded mode the development sign-ins."""
    lines = [
        "",
        f"ready in {seconds:.0f} s",
        f"  web chat and review pages: {settings.app_url}/",
        f"  engine (loopback only):    {settings.engine_url}",
        f"  action server (loopback):  http://127.0.0.1:{settings.actions_port}",
        f"  data folder:               {settings.data_dir} (private to this account)",
    ]
    if mail_sink:
        lines.append(
            f"  mail (local sink):         smtp://127.0.0.1:{settings.dev_mail_port}; each message is saved "
            f"as a .eml file in {settings.dev_mail_dir}"
        )
    elif settings.smtp is not None:
        lines.append(f"  urgent notices by email:   {settings.smtp.host}:{settings.smtp.port}")
    if settings.teams_app_id:
        lines.append("  urgent notices in Teams:   to leads who have linked Teams and messaged the bot once")
    if (channel := no_channel_warning(settings)) is not None:
        lines.append(f"  {channel}")
    if sign_ins:
        lines.append("  development sign-ins (embedded mode; stored in secrets/dev-sign-ins.txt):")
        lines.extend(
            f"    {user:<18} {role:<13} password: {password}   email: {dev_email(user)}"
            for user, role, password in sign_ins
        )
    lines.append("Press Ctrl-C to stop them all.")
    return "\n".join(lines)


if __name__ == "__main__":
    argparse.ArgumentParser(
        prog="python -m bot.runtime.supervisor",
        description="What `bot run` does: " + __doc__.split("\n\n")[1],
    ).parse_args()
    raise SystemExit(main())
