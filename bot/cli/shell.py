"""`bot shell`: talk to the bot in the terminal, against the running stack, as `rasa shell` does.

So that a question-bank change can be tried without a browser. It signs in to the app like a browser (form
token, session cookie) and uses the chat pages' own addresses, asking for JSON (bot.web.chat_json): every
access rule, refusal and record is the web chat's, and the engine, which accepts only our gateway, is never
spoken to directly. What is typed is stored verbatim in a real assessment, as from the web chat.

Without `--user` it signs in as the embedded development practitioner (`bot run` made it, with its password in
the data folder's secrets); with `--user` the password is asked at a terminal, or else is the first line of
standard input (so a script can pipe the password and then the conversation).
"""

from __future__ import annotations

import argparse
import getpass
import http.cookiejar
import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from bot.cli.common import EXIT_OK, CliFailure
from bot.settings import Settings

DEV_PRACTITIONER = "dev-practitioner"  # bot.runtime.supervisor.DEV_ACCOUNTS
QUIT = "/quit"
DANGER = "/danger"
TIMEOUT_SECONDS = 120  # a turn waits for the engine and the action server; the app times out before this
REFERENCE = re.compile(r"/chat/(A-[0-9A-Z]{6})")
NUMBERS = re.compile(r"^\s*\d+(\s*[, ]\s*\d+)*\s*$")

HELP = (
    "Reply with the number of an option (several numbers, such as 1,3, where the bot asks for all that "
    f"apply) or type your answer. {DANGER} reports that someone is in danger now; {QUIT} or Ctrl-D "
    "leaves (your answers so far are saved)."
)


class _FormToken(HTMLParser):
    """The page's form token (every form carries the session's one; bot.web.csrf)."""

    def __init__(self) -> None:
        super().__init__()
        self.token: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "input" and values.get("name") == "csrf_token" and self.token is None:
            self.token = values.get("value")


@dataclass
class ChatClient:
    """One signed-in session with the app, speaking to the chat pages as a browser's forms do."""

    base_url: str
    token: str = ""
    opener: urllib.request.OpenerDirector = field(init=False)

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        # urllib would as readily open file:, ftp: or data: addresses; the app is only ever http(s).
        if urllib.parse.urlsplit(self.base_url).scheme not in {"http", "https"}:
            raise CliFailure(f"--url must be the app's http:// or https:// address, not {self.base_url!r}")
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def sign_in(self, username: str, password: str) -> None:
        self.token = self._token("/sign-in")
        status, _body, address = self._send("/sign-in", [("username", username), ("password", password)])
        if status != 200 or urllib.parse.urlsplit(address).path == "/sign-in":
            raise CliFailure(
                f"could not sign in as {username!r} at {self.base_url}: check the name and password"
            )
        self.token = self._token("/chat")  # a new session has a new token

    def start_new(self, practice: bool) -> str:
        _status, _body, address = self._send("/chat/practice" if practice else "/chat/start", [])
        found = REFERENCE.search(address)
        if found is None:
            raise CliFailure(
                "the app did not open a new assessment (is this account a practitioner or trainer?)"
            )
        return found.group(1)

    def view(self, reference: str) -> dict[str, Any]:
        return self._chat(*self._request(f"/chat/{reference}", None))

    def start(self, reference: str) -> dict[str, Any]:
        return self._chat(*self._send(f"/chat/{reference}/start", []))

    def send(self, reference: str, seen: int, fields: list[tuple[str, str]]) -> dict[str, Any]:
        """`fields` as the send form posts them: `text`, or `button`, or `continue` with one `chosen` each."""
        if not any(name == "text" for name, _value in fields):
            fields = [("text", ""), *fields]
        return self._chat(*self._send(f"/chat/{reference}/send", [("seen", str(seen)), *fields]))

    def danger(self, reference: str) -> dict[str, Any]:
        return self._chat(*self._send(f"/chat/{reference}/danger", []))

    def _token(self, path: str) -> str:
        _status, body, _address = self._request(path, None, accept="text/html")
        parser = _FormToken()
        parser.feed(body)
        if not parser.token:
            raise CliFailure(f"{self.base_url}{path} has no form: is this the assessment app?")
        return parser.token

    def _send(self, path: str, fields: list[tuple[str, str]]) -> tuple[int, str, str]:
        return self._request(path, urllib.parse.urlencode([("csrf_token", self.token), *fields]).encode())

    def _request(
        self, path: str, data: bytes | None, accept: str = "application/json"
    ) -> tuple[int, str, str]:
        """(status, body, final address); a post's redirect is followed as a browser would, keeping Accept."""
        # S310: the scheme is checked to be http(s) when the client is made (__post_init__).
        request = urllib.request.Request(self.base_url + path, data=data, headers={"Accept": accept})  # noqa: S310
        try:
            with self.opener.open(request, timeout=TIMEOUT_SECONDS) as response:
                return response.status, response.read().decode(), response.url
        except urllib.error.HTTPError as error:  # a refusal still carries the page (or its JSON)
            return error.code, error.read().decode(errors="replace"), error.url or ""
        except (urllib.error.URLError, OSError) as error:
            reason = getattr(error, "reason", error)
            raise CliFailure(
                f"could not reach the app at {self.base_url} ({reason}); is `bot run` running?"
            ) from None

    @staticmethod
    def _chat(status: int, body: str, address: str) -> dict[str, Any]:
        if urllib.parse.urlsplit(address).path == "/sign-in":
            raise CliFailure("signed out (the session ended); start `bot shell` again")
        try:
            document = json.loads(body)
        except ValueError:
            raise CliFailure(f"the app answered {status} with a page, not the chat: {address}") from None
        if not isinstance(document, dict) or "messages" not in document:
            problem = document.get("errors") if isinstance(document, dict) else None
            raise CliFailure(f"the app refused the request ({status}): {problem or body[:200]}")
        return document


def shell(args: argparse.Namespace, settings: Settings) -> int:
    username, password = _who(args, settings)
    client = ChatClient(args.url or settings.app_url)
    client.sign_in(username, password)
    reference = args.reference or client.start_new(args.practice)
    chat = client.view(reference)
    print(f"Signed in as {username}; assessment {reference} at {client.base_url}/chat/{reference}")
    print(HELP)
    if not chat["messages"] and not chat["read_only"]:
        chat = client.start(reference)
    shown = _show(chat, 0)
    while not chat["read_only"]:
        line = _read("you> ")
        if line is None or line.strip() == QUIT:
            break
        if not line.strip():
            continue
        chat = _answer(client, reference, chat, line)
        if chat.get("problem"):
            print(f"(not sent: {chat['problem']})")
        shown = _show(chat, shown)
    print(f"Left assessment {reference}; every answer given is saved.")
    return EXIT_OK


def _who(args: argparse.Namespace, settings: Settings) -> tuple[str, str]:
    if args.user:
        if sys.stdin.isatty():
            return args.user, getpass.getpass(f"Password for {args.user}: ")
        return args.user, sys.stdin.readline().rstrip("\n")
    sign_ins = settings.data_dir / "secrets" / "dev-sign-ins.txt"
    try:
        lines = sign_ins.read_text().splitlines()
    except OSError:
        raise CliFailure(
            f"no development sign-ins in {sign_ins}: start `bot run` in embedded mode, or give --user"
        ) from None
    for line in lines:
        name, _role, password = [*line.split("\t"), "", ""][:3]
        if name == DEV_PRACTITIONER:
            return name, password
    raise CliFailure(f"{sign_ins} has no {DEV_PRACTITIONER}; give --user")


def _answer(client: ChatClient, reference: str, chat: dict[str, Any], line: str) -> dict[str, Any]:
    """A number picks an option (several tick a multiple choice question's boxes); anything else is typed."""
    seen = chat["seen"]
    if line.strip() == DANGER:
        return client.danger(reference)
    choices = chat["choices"]
    if NUMBERS.match(line) and choices:
        picked = [int(n) for n in re.split(r"[, ]+", line.strip())]
        if any(not 1 <= n <= len(choices) for n in picked):
            return {**chat, "problem": f"choose a number from 1 to {len(choices)}"}
        indices = [str(choices[n - 1]["index"]) for n in picked]
        if len(indices) == 1 and int(indices[0]) not in chat["many"]:
            return client.send(reference, seen, [("button", indices[0])])
        return client.send(reference, seen, [("continue", "1"), *(("chosen", i) for i in indices)])
    return client.send(reference, seen, [("text", line.rstrip("\n"))])


def _show(chat: dict[str, Any], shown: int) -> int:
    """Print the bot's messages not printed yet, then the options of its latest turn, numbered from 1."""
    for message in chat["messages"][shown:]:
        if message["direction"] == "out":
            print(f"bot> {message['text']}")
    for number, choice in enumerate(chat["choices"], start=1):
        print(f"  {number}. {choice['title']}")
    if chat["many"]:
        print("  (choose all that apply: give the numbers, such as 1,3)")
    return len(chat["messages"])


def _read(prompt: str) -> str | None:
    try:
        return input(prompt)
    except EOFError:
        print()
        return None
