"""One real product for the end-to-end tests: engine, action server and app on free loopback ports.

The model is the one `make test` trained for the current content (shared models folder), so these tests
exercise exactly what `make run` serves. Everything is stopped when the session ends.

The app runs with the Teams channel switched on, talking to Microsoft's side played on loopback (the keys
authority and Bot Connector of tests/teams): those servers must be listening before the app starts, since
their addresses are part of its settings. Nothing is fetched from them until a Teams request arrives, so
tests that never use Teams see the same product as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import os
import secrets
import signal
import sqlite3
import subprocess
import threading
import urllib.request
from collections.abc import Callable, Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from bot.chat.gateway import WEBHOOK_PATH
from bot.chat.hop_signature import HEADER, sign
from bot.crypto.key_ring import KeyRing
from bot.crypto.tracker_keys import EVENTS_TABLE, tracker_key_ring
from bot.runtime import processes, settable_clock
from bot.runtime.data_folder import make_private
from bot.runtime.model import ensure_model
from bot.settings import REPO_ROOT, Settings
from tests.e2e.bot_command import bot_in_process, bot_process
from tests.e2e.mail_server import MailServer
from tests.e2e.scaled_fixture import NEXT_ITEM, scaled_stacks_of_worker  # noqa: F401  # one per worker
from tests.teams.teams_helpers import APP_ID, KID, TENANT, Authority, Connector, Minter, jwk, new_key

T = TypeVar("T")

# The furthest the tests of one worker move the app's clock in all (seconds): eight days for a review reminder
# and some half-hours of time-outs fit well inside thirty days.
CLOCK_JUMPS_UP_TO = 30 * 86400


class TeamsSide:
    """Microsoft's side of a Teams conversation (keys authority, Bot Connector with its token endpoint), on
    loopback ports, served from an event loop of its own in a background thread so that it outlives each
    test's loop and is up before the app process starts."""

    def __init__(self) -> None:
        self.key = new_key()
        self.authority = Authority()
        self.authority.keys = [jwk(self.key, KID, ["msteams"])]
        self.connector = Connector()
        self.app_password = secrets.token_urlsafe(24)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="teams-side", daemon=True)

    def start(self) -> None:
        self._thread.start()
        self._run(self.authority.start())
        self._run(self.connector.start())

    def stop(self) -> None:
        self._run(self.connector.stop())
        self._run(self.authority.stop())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()

    def _run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=60)

    @property
    def minter(self) -> Minter:
        """Writes the tokens the Bot Framework would send with each Activity (see teams_helpers.Minter)."""
        return Minter(self.key, self.connector.url)

    @property
    def env(self) -> dict[str, str]:
        """The app's Teams settings, pointing at the loopback authority and connector."""
        return {
            "BOT_TEAMS_APP_ID": APP_ID,
            "BOT_TEAMS_APP_PASSWORD": self.app_password,
            "BOT_TEAMS_TENANT_IDS": TENANT,
            "BOT_TEAMS_OPENID_URL": f"{self.authority.url}/openid",
            "BOT_TEAMS_TOKEN_URL_TEMPLATE": f"{self.connector.url}/{{tenant}}/oauth2/v2.0/token",
        }


@dataclasses.dataclass
class Product:
    settings: Settings
    env: dict[str, str]
    practitioner_id: int
    practitioner: str = "e2e-practitioner"
    password: str = ""
    services: list[processes.Service] = dataclasses.field(default_factory=list)
    teams: TeamsSide | None = None
    smtp_port: int = 0  # the app sends urgent notices here; tests start (and stop) a mail server on it
    clock_file: Path | None = (
        None  # the app's session clock reads its offset here (bot.runtime.settable_clock)
    )

    def advance_app_clock(self, seconds: float) -> None:
        """Move the session clock of the app (and of any extra app) forward: `seconds` have passed for every
        signed-in session, with no waiting. Tests in one worker run one at a time, and each signs in afresh,
        so a jump only ends sessions of tests that are over."""
        assert self.clock_file is not None
        offset = settable_clock.advance(self.clock_file, seconds)
        if offset >= CLOCK_JUMPS_UP_TO:
            raise AssertionError(
                f"the app's clock has jumped {offset:.0f} s in this worker, past CLOCK_JUMPS_UP_TO: "
                "raise it, or danger notices of later tests will look overdue to the outbox worker"
            )

    def restart(self, name: str) -> None:
        """Kill one of the three processes outright and start it again, as a crash and a supervisor would."""
        service = next(s for s in self.services if s.name == name)
        assert service.process is not None
        os.killpg(service.process.pid, signal.SIGKILL)
        service.process.wait()
        self.start(service)
        processes.wait_healthy([service])

    def start(self, service: processes.Service) -> None:
        """Start one process as a supervisor would: the data folder made private first (this test process
        may have created files in it since), or the process refuses to start (issue #30)."""
        make_private(self.settings.data_dir)
        processes.start(service)

    @contextlib.contextmanager
    def extra_app(self, **env: str) -> Iterator[str]:
        """Another app process on a port of its own, against the same engine, store and data folder, with
        some settings changed (a short idle time, say); stopped afterwards. Yields its address."""
        app = next(s for s in self.services if s.name == "app")
        port = processes.free_port()
        service = processes.Service(
            f"app-{port}",
            app.argv,
            {**app.env, "BOT_APP_PORT": str(port), **env},
            f"http://127.0.0.1:{port}/healthz",
            app.log_path.with_name(f"app-{port}.log"),
        )
        self.start(service)
        try:
            processes.wait_healthy([service])
            yield f"http://127.0.0.1:{port}"
        finally:
            processes.stop(service)

    @contextlib.contextmanager
    def stopped(self, name: str) -> Iterator[Callable[[], None]]:
        """One of the processes stopped (cleanly, as an operator would); the test calls what this yields to
        start it again, and it is started again on the way out in any case."""
        service = next(s for s in self.services if s.name == name)
        processes.stop(service)

        def start_again() -> None:
            if service.process is None or service.process.poll() is not None:
                self.start(service)
            processes.wait_healthy([service])

        try:
            yield start_again
        finally:
            start_again()

    def new_user(self, role: str, team: str, email: str | None = None) -> tuple[str, str, int]:
        """Another account, through the real CLI as an administrator adds one: (username, password, id)."""
        username = f"e2e-{role}-{secrets.token_hex(4)}"
        password = secrets.token_urlsafe(16)
        extra = [f"--email={email}"] if email else []
        added = self.bot(
            "user",
            "add",
            username,
            f"--role={role}",
            f"--team={team}",
            "--create-team",
            *extra,
            stdin=password,
        )
        assert added.returncode == 0, added.stderr
        user = _service(self.settings).users.find_user(username)
        assert user is not None
        return username, password, user.id

    def open_conversation(self) -> str:
        """Bind a new conversation to the test practitioner, as the web gateway does at sign-in; the store
        refuses assessments for conversations nobody opened."""
        return _service(self.settings).conversations.open_conversation(self.practitioner_id, "test")

    def say(self, sender: str, text: str) -> list[dict[str, Any]]:
        """Send typed text through the engine's gateway channel, as our gateway does: the engine strips
        surrounding white space, so the untouched text travels in the metadata too."""
        return self._post({"sender": sender, "message": text, "metadata": {"typed_text": text}})

    def press(self, sender: str, payload: str) -> list[dict[str, Any]]:
        """Send a button's payload, as the gateway does when a button is chosen."""
        return self._post({"sender": sender, "message": payload})

    def _post(self, message: dict[str, Any]) -> list[dict[str, Any]]:
        body = json.dumps(message).encode()
        request = urllib.request.Request(
            f"{self.settings.engine_url}{WEBHOOK_PATH}",
            data=body,
            headers={
                "Content-Type": "application/json",
                HEADER: sign(self.settings.engine_token.encode(), body),
            },
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    def latest_conversation(self) -> str | None:
        return _service(self.settings).conversations.latest_conversation(self.practitioner_id)

    def export(self, conversation_id: str) -> dict[str, Any]:
        result = self.bot("assessments", "export", f"--conversation={conversation_id}")
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    def read_case(self, conversation_id: str) -> dict[str, Any]:
        """The same document as `export`, built in this process (no CLI start-up per read)."""
        from bot.domain.records import Actor
        from bot.questions import load_bank
        from bot.review.case_json import to_json
        from bot.review.services import ReviewService

        review = ReviewService(
            _service(self.settings).session_factory, load_bank(), tracker_db=self.settings.engine_tracker_db
        )
        document = review.export_for_cli(Actor("cli", "e2e-test"), conversation_id, None, "json")
        return json.loads(json.dumps(to_json(document)))  # as the CLI prints it: dates as strings

    def export_reference(self, reference: str) -> dict[str, Any]:
        result = self.bot("assessments", "export", f"--id={reference}")
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    def engine_events(self, sender: str) -> list[tuple[str, str]]:
        """Every event the engine holds for one conversation, (type, data), from its own tracker store: what
        reached the engine, whatever our app recorded. The data is sealed at rest (issue #31); this opens it
        with the tracker ring the app derives from its data keys."""
        database = self.settings.engine_tracker_db
        if not database.is_file():
            return []
        connection = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = connection.execute(
                "SELECT type_name, data FROM events WHERE sender_id = ? ORDER BY id", (sender,)
            ).fetchall()
        finally:
            connection.close()
        return [(kind, self.tracker_keys.open(data, EVENTS_TABLE, sender)) for kind, data in rows]

    @property
    def tracker_keys(self) -> KeyRing:
        assert self.settings.data_keys is not None
        return tracker_key_ring(self.settings.data_keys)

    def bot(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        """`bot ARGS` with the product's environment, in this process (tests/e2e/bot_command.py)."""
        return bot_in_process(self.env, *args, stdin=stdin)

    def bot_process(self, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        """`bot ARGS` as a real process, for calls whose subject is the process (tests/e2e/bot_command.py)."""
        return bot_process(self.env, *args, stdin=stdin)


@pytest.fixture(scope="session")
def product(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Product]:
    data_dir = tmp_path_factory.mktemp("product")
    shared = Settings.from_env({"BOT_DATA_DIR": str(REPO_ROOT / "var")})  # where `make` keeps models
    teams = TeamsSide()
    teams.start()
    try:
        smtp_port = processes.free_port()
        # The app's session clock, moved forward by tests about time-outs instead of waiting for them.
        clock = {"BOT_TEST_CLOCK_FILE": str(data_dir / "app-clock-offset")}
        env = {
            "BOT_DATA_DIR": str(data_dir),
            # Urgent notices go to a mail server the tests start on this port when they need one; retries
            # are quick so that "delivered once it is back" takes seconds, and no escalation interferes.
            "BOT_SMTP_URL": f"smtp://127.0.0.1:{smtp_port}",
            "BOT_NOTIFY_RETRY_SECONDS": "1",
            "BOT_NOTIFY_RETRY_MAX_SECONDS": "2",
            # The app's clock only moves forward and its jumps add up over a worker's tests (eight days for a
            # review reminder, half-hours for time-outs), while the store stamps a danger report's check and
            # deadline with the real time: so both are set beyond every jump a run makes (CLOCK_JUMPS_UP_TO,
            # enforced in advance_app_clock), else a later test's notices would look long overdue to the
            # worker (stop 40: the typed-danger "no" came after its notices had gone).
            "BOT_URGENT_LEAD_DEADLINE_SECONDS": str(2 * CLOCK_JUMPS_UP_TO),
            # Danger read in typed text waits this long for the practitioner's check: far beyond any test,
            # so a notice that arrives was released by the answer (tests/e2e/test_typed_danger_check.py).
            "BOT_TYPED_DANGER_CHECK_SECONDS": str(CLOCK_JUMPS_UP_TO),
            "BOT_ENGINE_PORT": str(processes.free_port()),
            "BOT_ACTIONS_PORT": str(processes.free_port()),
            "BOT_APP_PORT": str(processes.free_port()),
            "BOT_MODELS_DIR": str(shared.models_dir),
            **teams.env,
            **clock,
            # The data keys the processes get (from os.environ, tests/conftest.py) and this Settings' own, so
            # that the engine's tracker keys (derived from this Settings' ring) match the app's (issue #31).
            "BOT_DATA_KEYS": os.environ["BOT_DATA_KEYS"],
        }
        settings = Settings.from_env(env)
        from bot.store.db import upgrade

        upgrade(settings.database_url)
        password = secrets.token_urlsafe(16)
        store = _service(settings)
        practitioner = store.users.create_user("e2e-practitioner", password, "practitioner", "E2E team")
        model = ensure_model(settings)
        # Every notice setting above reaches the processes: the typed-danger check once did not, so the app
        # ran on its 90 s default while this file said 1800 (the flake of stop 40).
        notices = {
            k: v
            for k, v in env.items()
            if k.startswith(("BOT_SMTP", "BOT_NOTIFY", "BOT_URGENT", "BOT_TYPED_DANGER"))
        }
        # The processes rebuild Settings from their environment; each picks only what is on its own list.
        # JSON logs, as in production, so that tests/e2e/test_logs.py reads what a platform would collect.
        source = os.environ | teams.env | notices | clock | {"BOT_LOG_FORMAT": "json"}
        services = processes.product_services(settings, model, source)
        with processes.running(services):
            yield Product(
                settings,
                processes.product_env(settings, source),
                practitioner.id,
                password=password,
                services=services,
                teams=teams,
                smtp_port=smtp_port,
                clock_file=settings.test_clock_file,
            )
    finally:
        teams.stop()


@pytest.fixture
def mail(product: Product) -> Iterator[MailServer]:
    """A mail server on the product's SMTP port, not yet started (a test starts it, or keeps it down)."""
    server = MailServer(product.smtp_port)
    try:
        yield server
    finally:
        server.stop()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[pytest.TestReport]:
    """Keep each phase's report on the test, so a browser fixture can screenshot a failed test's page."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """Tell a test's fixtures which test runs next: the shared `bot run --scaled` stops when it needs none."""
    item.stash[NEXT_ITEM] = nextitem
    return (yield)


def failed(request: pytest.FixtureRequest) -> bool:
    report = getattr(request.node, "report_call", None)
    return report is None or report.failed


def _service(settings: Settings):
    """The store's services over `settings`' database. For a SQLite file (the product's store) one Store is
    kept per database and reused: a new SQLAlchemy engine per call starts with an empty statement cache, so
    each of the hundreds of reads a run makes (Conversation.export reads after every control) compiled all
    its statements again, about a fifth of the test process's CPU. A PostgreSQL database gets a Store of
    its own each time as before, since a kept engine's pooled connection would stop the test dropping it."""
    from bot.store.db import make_session_factory
    from bot.store.services import Store

    if not settings.database_url.startswith("sqlite"):
        return Store(make_session_factory(settings.database_url))
    store = _SQLITE_STORES.get(settings.database_url)
    if store is None:
        store = _SQLITE_STORES[settings.database_url] = Store(make_session_factory(settings.database_url))
    return store


# One Store per SQLite database this test process reads (see _service); each database lives in a data
# folder of its own for the whole run, so an idle pooled connection never outlives its file.
_SQLITE_STORES: dict[str, Any] = {}
