"""The chat page as JSON, for a client that asks for it (`bot shell`): the same view the page shows.

Content negotiation on the page's own address rather than a second API, so the terminal goes through exactly
the routes, access rules, form tokens and refusals a browser does, and the engine is reached only through the
app. A browser's Accept names text/html and gets the page as before.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.chat.chat_view import ChatView

JSON_TYPE = "application/json"


def wants_json(request: web.Request) -> bool:
    """Only a client naming JSON and not HTML: browsers send text/html (and */*), so they never get this."""
    accepts = request.headers.get("Accept", "").lower()
    return JSON_TYPE in accepts and "text/html" not in accepts


def chat_response(
    view: ChatView, many: tuple[int, ...], exclusive: int | None, problem: str | None, status: int
) -> web.Response:
    """Messages exactly as stored; each choice with the index the send form posts (`button`, or `chosen`
    for the ticked options of a multiple choice question, `many`), and whether it is an answer or a
    control."""
    document: dict[str, Any] = {
        "reference": view.reference,
        "rehearsal": view.rehearsal,
        "read_only": view.read_only,
        "urgent": bool(view.assessment.urgent),
        "seen": view.seen,
        "turn_start": view.turn_start,
        "messages": [{"direction": m.direction, "text": m.text} for m in view.messages],
        "choices": [
            {
                "index": index,
                "title": choice["title"],
                "kind": "control" if choice["payload"].startswith("/") else "answer",
            }
            for index, choice in enumerate(view.choices)
        ],
        "many": list(many),
        "exclusive": exclusive,
        "problem": problem,
    }
    return web.json_response(document, status=status)
