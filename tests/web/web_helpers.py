"""Helpers for the web tests: a stand-in engine, a clock tests move by hand, and reading and posting pages."""

from __future__ import annotations

import asyncio
import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from prometheus_client.parser import text_string_to_metric_families

from bot.chat.gateway import WEBHOOK_PATH
from bot.request_ids import METADATA_KEY as REQUEST_ID_KEY
from bot.settings import Settings
from bot.store.practitioner import PractitionerService
from bot.store.services import Store

PASSWORD = "correct horse battery staple"
OTHER_PASSWORD = "another long passphrase"
# Like the real bot: answer buttons send their own words; controls send a "/" payload.
BUTTONS = [
    {"title": "Yes", "payload": "Yes"},
    {"title": "No", "payload": "No"},
    {"title": "Not sure", "payload": "Not sure"},
    {"title": "Back", "payload": "/go_back"},
]
START_REPLIES = [
    "Section 1 of 4: What you noticed. Question 1 of 12.",
    "Has the young person said something?",
]


def make_settings(tmp_path: Path, database_url: str, engine_port: int, **env: str) -> Settings:
    return Settings.from_env(
        {
            "BOT_DATA_DIR": str(tmp_path / "data"),
            "BOT_DATABASE_URL": database_url,
            "BOT_ENGINE_PORT": str(engine_port),
            "BOT_SESSION_IDLE_MINUTES": "30",
            "BOT_TOTP_REQUIRED": "false",  # tests/conftest.py says why; the second factor's tests set true
            **env,
        }
    )


def typed_message(sender: str | None, text: str) -> dict[str, Any]:
    """What the gateway posts for typed text: the text, and the same text again in the metadata."""
    return {"sender": sender, "message": text, "metadata": {"typed_text": text}}


class FakeClock:
    """Monotonic seconds that move only when a test says so."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class FakeEngine:
    """Answers like Rasa's REST channel: the start command gets a question with buttons, anything else an
    echo followed by buttons."""

    port: int = 0
    received: list[dict[str, Any]] = field(default_factory=list)
    # The request id each message carried in its metadata (issue #35: for the logs, not the dialogue); kept
    # apart so that `received` is the message as the dialogue reads it.
    request_ids: list[str | None] = field(default_factory=list)
    # The X-Bot-Signature header and the exact body bytes of every message, in order: the engine's channel
    # refuses any message whose body is not signed with its token.
    signed: list[tuple[str | None, bytes]] = field(default_factory=list)
    status: int = 200
    raw_body: str | None = None  # when set, answer 200 with this instead of JSON replies
    server: TestServer | None = None
    buttons: list[dict[str, str]] = field(default_factory=lambda: list(BUTTONS))  # with every reply
    # Called with (sender, message) before answering: what the real engine's action server would store.
    on_message: Callable[[str, str], None] | None = None
    # When set, every message waits for it before an answer: an engine stuck behind a database that is down.
    held_until: asyncio.Event | None = None

    async def webhook(self, request: web.Request) -> web.StreamResponse:
        raw = await request.read()
        body = json.loads(raw)
        metadata = body.get("metadata")
        carried = metadata.pop(REQUEST_ID_KEY, None) if isinstance(metadata, dict) else None
        self.request_ids.append(carried)
        if metadata == {}:
            del body["metadata"]
        self.received.append(body)
        self.signed.append((request.headers.get("X-Bot-Signature"), raw))
        if self.held_until is not None:
            await self.held_until.wait()
        if self.status != 200:
            return web.Response(status=self.status, text="engine failure")
        if self.raw_body is not None:
            return web.Response(text=self.raw_body)
        sender, message = body["sender"], body["message"]
        if self.on_message is not None:
            self.on_message(sender, message)
        texts = START_REPLIES if message == "/start_assessment" else [f"Echo: {message}", "Anything else?"]
        replies: list[dict[str, Any]] = [{"recipient_id": sender, "text": text} for text in texts]
        replies[-1]["buttons"] = self.buttons
        return web.json_response(replies)

    async def hello(self, _request: web.Request) -> web.StreamResponse:
        return web.Response(text="Hello from the stand-in engine")

    def messages(self) -> list[str]:
        return [body["message"] for body in self.received]

    async def start(self) -> None:
        app = web.Application()
        app.router.add_post(WEBHOOK_PATH, self.webhook)
        app.router.add_get("/", self.hello)  # what /readyz asks, like Rasa's "Hello from Rasa"
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()
        assert self.server.port is not None
        self.port = self.server.port

    async def stop(self) -> None:
        """Stop listening, so that the port refuses connections: the engine is unreachable."""
        if self.server is not None:
            await self.server.close()
            self.server = None


# -- helpers for reading and posting pages ---------------------------------------------------------------


async def page(client: TestClient, path: str) -> str:
    response = await client.get(path, allow_redirects=False)
    assert response.status == 200, (path, response.status, response.headers.get("Location"))
    return await response.text()


CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_from(body: str) -> str:
    match = CSRF_FIELD.search(body)
    assert match, "the page has no form token"
    return match.group(1)


def field_value(body: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', body)
    assert match, f"the page has no field {name}"
    return html.unescape(match.group(1))


def textarea_text(body: str) -> str:
    """The text box's content as a browser would read it (HTML drops one newline right after the tag)."""
    match = re.search(r"<textarea[^>]*>(.*?)</textarea>", body, re.DOTALL)
    assert match, "the page has no text box"
    content = html.unescape(match.group(1))
    return content[1:] if content.startswith("\n") else content


async def sign_in(client: TestClient, username: str, password: str) -> Any:
    token = csrf_from(await page(client, "/sign-in"))
    return await client.post(
        "/sign-in",
        data={"username": username, "password": password, "csrf_token": token},
        allow_redirects=False,
    )


# A form on one assessment's page posts to /chat/<reference>/<action>; the home page's forms to /chat/...
FORM_PAGE = re.compile(r"^(/chat/[^/]+)/(?:send|start|danger|add)$")
CHAT_LOCATION = re.compile(r"^/chat/(A-[0-9A-Z]{6})#latest$")


def form_page(path: str) -> str:
    """The page a form posting to `path` is on: the assessment's own page, or the home page."""
    match = FORM_PAGE.match(path)
    return match.group(1) if match else "/chat"


async def post_chat(client: TestClient, path: str, *, on: str | None = None, **fields: str) -> Any:
    """Post a chat form the way the page would: its own form token and message count (or its count of
    assessments), read from the page the form is on (`on`, else the page `path` belongs to), plus `fields`."""
    body = await page(client, on or form_page(path))
    data = {"csrf_token": csrf_from(body)}
    for name in ("seen", "known"):
        if f'name="{name}"' in body:
            data[name] = field_value(body, name)
    data.update(fields)
    return await client.post(path, data=data, allow_redirects=False)


def reference_from(response: Any) -> str:
    """The assessment a chat post redirected to."""
    assert response.status == 303, response.status
    match = CHAT_LOCATION.match(response.headers["Location"])
    assert match, response.headers["Location"]
    return match.group(1)


async def start_screening(client: TestClient) -> str:
    """Start a new screening from the home page; the new assessment's page (/chat/<reference>)."""
    response = await post_chat(client, "/chat/start")
    assert response.status == 303, await response.text()
    return f"/chat/{reference_from(response)}"


async def start_practice_run(client: TestClient, scenario: str = "a_plan_for_friday") -> str:
    """Start a practice run from a scenario's case card (issue #13); the new assessment's page."""
    card = await page(client, f"/practice/{scenario}")
    form = card[card.index(f'action="/practice/{scenario}"') :]
    response = await post_chat(client, f"/practice/{scenario}", known=field_value(form, "known"))
    assert response.status == 303, await response.text()
    return f"/chat/{reference_from(response)}"


def practitioners(store: Store) -> PractitionerService:
    return PractitionerService(store.session_factory)


def conversation_of(store: Store, user_id: int, path: str) -> str:
    """The engine's sender id for the practitioner's assessment at `path` (/chat/<reference>)."""
    held = practitioners(store).own_assessment(user_id, path.removeprefix("/chat/"))
    assert held is not None, path
    return held.conversation_id


def messages_on(body: str) -> list[str]:
    """The conversation a chat page shows, message by message, as text."""
    found = re.findall(r'<p class="govuk-body app-message__text">(.*?)</p>', body, re.DOTALL)
    return [html.unescape(text) for text in found]


def holdings(store: Store, *users: int) -> list[tuple[Any, ...]]:
    """Everything these practitioners hold, to show that a refused request changed none of it: each
    assessment with its status, urgency, link, position and chat log."""
    held = []
    for user_id in users:
        for a in practitioners(store).assessments_of(user_id):
            log = [(m.direction, m.text) for m in store.conversations.chat_messages(a.conversation_id)]
            held.append((user_id, a.reference, a.status, a.urgent, a.linked_from, a.current_question_id, log))
    return held


def metric_samples(body: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a `/metrics` page, keyed by name and sorted labels: parsing it with Prometheus' own
    text parser is the format check (it raises on anything that is not the exposition format)."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(body)
        for sample in family.samples
    }
