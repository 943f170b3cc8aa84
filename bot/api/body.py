"""Reading a JSON request body, and parsing it once into the strict model the route takes.

The JSON itself is read here (not by pydantic) so that every kind of unreadable body gets a 400 saying what
is wrong with it (not UTF-8, NaN, nested too deep); everything about its fields is the model's to say (422).
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from aiohttp import web

from bot.domain.errors import ValidationError
from bot.domain.strict import UNKNOWN_FIELD, StrictModel

Model = TypeVar("Model", bound=StrictModel)


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


async def read_body(request: web.Request, model: type[Model], **given: Any) -> Model:
    return parse(model, await read_object(request), **given)


def parse(model: type[Model], data: dict[str, Any], **given: Any) -> Model:
    """`data` as `model`, with `given` fields (from the path, or derived) that the body may not carry.

    Every problem is reported at once, with 422: the model's, and any field the body sent that the route
    supplies itself (a `question_id` in the body of the answer PUT would otherwise be silently overridden).
    """
    clashes = {name: UNKNOWN_FIELD for name in sorted(data.keys() & given.keys())}
    try:
        parsed = model.from_json({**data, **given})
    except ValidationError as error:
        raise ApiError(422, {**clashes, **error.fields}) from None
    if clashes:
        raise ApiError(422, clashes)
    return parsed
