"""Reading and checking JSON request bodies, so that every kind of bad input gets a 4xx with a reason.

Unknown fields are refused rather than ignored: a misspelt `fact_data` silently dropped would lose a fact.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

from aiohttp import web

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MISSING = object()


class ApiError(Exception):
    """A request problem found by the API layer itself (before the service is called)."""

    def __init__(self, status: int, fields: dict[str, str]) -> None:
        super().__init__(fields)
        self.status = status
        self.fields = fields


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed in JSON")


async def read_object(request: web.Request) -> dict[str, Any]:
    try:
        raw = await request.read()
    except web.HTTPRequestEntityTooLarge as error:
        raise ApiError(413, {"body": f"the request body is too large ({error.text})"}) from None
    if not raw.strip():
        raise ApiError(400, {"body": "a JSON object is required"})
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
    except UnicodeDecodeError:
        raise ApiError(400, {"body": "the request body is not UTF-8 text"}) from None
    except json.JSONDecodeError as error:
        message = f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
        raise ApiError(400, {"body": message}) from None
    except (ValueError, RecursionError) as error:
        raise ApiError(400, {"body": f"not valid JSON: {error}"}) from None
    if not isinstance(data, dict):
        raise ApiError(400, {"body": "must be a JSON object ({...})"})
    return data


class Body:
    """Pulls typed fields out of a JSON object, collecting every problem before reporting."""

    def __init__(self, data: dict[str, Any], allowed: set[str]) -> None:
        self.data = data
        self.problems: dict[str, str] = {
            name: "is not a field this request accepts" for name in sorted(set(data) - allowed)
        }
        self._nested: list[tuple[str, Body]] = []

    def present(self, name: str) -> Any:
        value = self.data.get(name, _MISSING)
        if value is _MISSING:
            self.problems[name] = "is required"
            return None
        return value

    def text(self, name: str, *, required: bool = True, nullable: bool = False) -> str | None:
        value = self.present(name) if required else self.data.get(name)
        if value is None:
            if required and not nullable and name not in self.problems:
                self.problems[name] = "must be text, not null"
            return None
        if not isinstance(value, str):
            self.problems[name] = f"must be text, not {_json_type(value)}"
            return None
        return value

    def date(self, name: str) -> date | None:
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
            self.problems[name] = "must be a date written YYYY-MM-DD, or null"
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.problems[name] = f"{value} is not a real date"
            return None

    def flag(self, name: str) -> bool:
        """An optional true/false field; absent means false."""
        value = self.data.get(name, False)
        if not isinstance(value, bool):
            self.problems[name] = f"must be true or false, not {_json_type(value)}"
            return False
        return value

    def nested(self, name: str, allowed: set[str]) -> Body | None:
        """An optional object field, read with its own Body; its problems are reported as name.field."""
        value = self.data.get(name)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.problems[name] = f"must be an object, not {_json_type(value)}"
            return None
        inner = Body(value, allowed)
        self._nested.append((f"{name}.", inner))
        return inner

    def finish(self) -> None:
        for prefix, inner in self._nested:
            self.problems.update({prefix + field: message for field, message in inner.problems.items()})
        if self.problems:
            raise ApiError(422, self.problems)


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
