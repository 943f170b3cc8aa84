"""Scaled mode, the engine half (issue #34): two engines share one conversation on PostgreSQL and Redis.

Two engine processes on their own ports use the same checkpointed tracker store on PostgreSQL and Rasa's
Redis lock store (BOT_TRACKER_URL, BOT_LOCK_STORE_URL: configuration, the code of embedded mode; the Redis
asks for a password, BOT_REDIS_PASSWORD_FILE, which the engines' Rasa must give), with one action server and
one app whose referral store is on PostgreSQL too. Every message of one screening goes to the other engine
than the last, through each engine's gateway channel exactly as the app sends it; whichever engine takes a
message must rebuild the conversation the other left. Every answer must then be stored once, verbatim, at
the question it answered.

The app still talks to one engine (pointing it at several, sessions and limits in Redis, `make run-scaled`
and the kill tests are the rest of issue #34), so the messages go to the engines directly.
"""

from __future__ import annotations

import json
import os
import secrets
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
import sqlalchemy as sa

from bot.chat.gateway import WEBHOOK_PATH
from bot.chat.hop_signature import HEADER, sign
from bot.crypto.tracker_keys import EVENTS_TABLE, tracker_key_ring
from bot.runtime import processes
from bot.runtime.model import ensure_model
from bot.settings import REPO_ROOT, Settings
from tests.e2e.bot_command import bot_in_process
from tests.e2e.conftest import _service
from tests.e2e.screening import BY_ID, is_screening_over, plan_for, without_intros
from tests.e2e.test_thin_path import last_text
from tests.fixtures.postgres import PostgresDatabases
from tests.fixtures.postgres_cluster import PostgresCluster
from tests.fixtures.redis_server import command_calls, redis_server


@dataclass
class TwoEngines:
    settings: Settings
    env: dict[str, str]
    engine_urls: tuple[str, str]
    tracker_url: str  # the engines' URL (psycopg2); tracker_events reads it with psycopg 3
    practitioner_id: int
    store: Any  # bot.store.services.Store on the app's PostgreSQL database
    redis_port: int
    redis_password: str

    def post(self, engine: int, message: dict[str, Any]) -> list[dict[str, Any]]:
        body = json.dumps(message).encode()
        request = urllib.request.Request(
            f"{self.engine_urls[engine]}{WEBHOOK_PATH}",
            data=body,
            headers={
                "Content-Type": "application/json",
                HEADER: sign(self.settings.engine_token.encode(), body),
            },
        )
        with urllib.request.urlopen(request, timeout=120) as response:
            return json.loads(response.read())

    def export(self, sender: str) -> dict[str, Any]:
        """`bot assessments export`, as a lead's tooling reads the store."""
        result = bot_in_process(self.env, "assessments", "export", f"--conversation={sender}")
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)

    def user_events(self, sender: str) -> list[str]:
        """The user messages the shared tracker store holds for one conversation, in order."""
        engine = sa.create_engine(sa.make_url(self.tracker_url).set(drivername="postgresql+psycopg"))
        try:
            with engine.connect() as connection:
                rows = connection.execute(
                    sa.text(
                        "SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' ORDER BY id"
                    ),
                    {"s": sender},
                ).all()
        finally:
            engine.dispose()
        # Sealed at rest (issue #31): each row opens with the tracker ring derived from the app's data keys.
        assert self.settings.data_keys is not None and all(data.startswith("enc1:") for (data,) in rows)
        keys = tracker_key_ring(self.settings.data_keys)
        return [json.loads(keys.open(data, EVENTS_TABLE, sender))["text"] for (data,) in rows]


@pytest.fixture
def two_engines(
    tmp_path_factory: pytest.TempPathFactory,
    postgres_cluster: PostgresCluster,
    postgres_databases: PostgresDatabases,
) -> Iterator[TwoEngines]:
    data_dir = tmp_path_factory.mktemp("scaled")
    shared = Settings.from_env({"BOT_DATA_DIR": str(REPO_ROOT / "var")})  # where `make` keeps models
    tracker_db = f"tracker_{secrets.token_hex(3)}"
    postgres_cluster.create_database(tracker_db)
    # The engine's SQLAlchemy 1.4 speaks PostgreSQL through psycopg2: its URL names no driver.
    tracker_url = postgres_cluster.url(tracker_db).replace("postgresql+psycopg://", "postgresql://", 1)
    redis_password = secrets.token_urlsafe(18)
    password_file = data_dir.parent / f"{data_dir.name}-redis-password"
    password_file.write_text(redis_password + "\n")
    password_file.chmod(0o600)
    with redis_server(redis_password) as redis_port:
        env = {
            "BOT_REDIS_PASSWORD_FILE": str(password_file),
            "BOT_DATA_DIR": str(data_dir),
            "BOT_DATABASE_URL": postgres_databases.create(),
            "BOT_TRACKER_URL": tracker_url,
            "BOT_LOCK_STORE_URL": f"redis://127.0.0.1:{redis_port}/1",
            "BOT_ENGINE_PORT": str(processes.free_port()),
            "BOT_ACTIONS_PORT": str(processes.free_port()),
            "BOT_APP_PORT": str(processes.free_port()),
            "BOT_MODELS_DIR": str(shared.models_dir),
        }
        settings = Settings.from_env(env)
        store = _service(settings)
        practitioner = store.users.create_user(
            f"scaled-{secrets.token_hex(3)}", secrets.token_urlsafe(16), "practitioner", "Scaled team"
        )
        model = ensure_model(settings)
        source = os.environ | env
        second_port = processes.free_port()
        services = processes.product_services(settings, model, source)
        services.append(processes.engine_service(settings, model, source, port=second_port, name="engine-2"))
        try:
            with processes.running(services, timeout=420):
                yield TwoEngines(
                    settings,
                    processes.product_env(settings, source),
                    (settings.engine_url, f"http://127.0.0.1:{second_port}"),
                    tracker_url,
                    practitioner.id,
                    store,
                    redis_port,
                    redis_password,
                )
        finally:
            store.session_factory.kw["bind"].dispose()  # no connection left open to the test's database


def test_a_screening_alternating_between_two_engines_stores_every_answer_once_verbatim(
    two_engines: TwoEngines,
) -> None:
    sender = two_engines.store.conversations.open_conversation(two_engines.practitioner_id, "test")
    sent: list[str] = []
    answered: list[str] = []
    engine = 0
    replies = two_engines.post(engine, {"sender": sender, "message": "/start_assessment"})
    sent.append("/start_assessment")
    for _ in range(40):
        message = without_intros(last_text(replies))
        if is_screening_over(message):
            break
        planned = plan_for(message)
        engine = 1 - engine  # never the engine that took the last message
        if planned.button is not None:
            buttons = [b for r in replies for b in r.get("buttons") or [] if b["title"] == planned.button]
            assert buttons, f"no button {planned.button!r} for {planned.question_id}:\n{message}"
            replies = two_engines.post(engine, {"sender": sender, "message": buttons[0]["payload"]})
            sent.append(buttons[0]["payload"])
        else:
            typed = planned.typed or ""
            replies = two_engines.post(
                engine, {"sender": sender, "message": typed, "metadata": {"typed_text": typed}}
            )
            sent.append(typed.strip())
        answered.append(planned.question_id)
    else:
        pytest.fail(f"the screening did not end; last message:\n{last_text(replies)}")

    assert len(answered) >= len(BY_ID) - 1, f"too few questions asked: {answered}"
    assert len(set(answered)) == len(answered), f"a question was asked twice: {answered}"
    # The engines locked each message's conversation in Redis (Rasa's lock store sets the lock as a key).
    assert command_calls(two_engines.redis_port, "set", two_engines.redis_password) >= len(sent)
    # Signed in with the password, which no log of the engines, the action server or the app shows.
    logs = two_engines.settings.data_dir / "logs"
    assert not [log.name for log in logs.glob("*.log") if two_engines.redis_password in log.read_text()]
    # Both engines took turns, and the shared store holds each message once, in the order sent.
    assert two_engines.user_events(sender) == sent

    exported = two_engines.export(sender)
    answers = {a["question_id"]: a for a in exported["answers"]}
    for question_id in answered:
        assert question_id in answers, f"{question_id} was answered but not stored"
        revisions = answers[question_id]["revisions"]
        assert len(revisions) == 1, f"{question_id} stored {len(revisions)} times: {revisions}"
        assert revisions[0]["text"] == BY_ID[question_id].stored_text, question_id
    assert set(answers) <= set(answered), (
        f"answers stored for questions never asked: {set(answers) - set(answered)}"
    )
