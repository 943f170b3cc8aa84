"""openapi.yaml, the registered routes and the strict models the bodies are parsed into describe one API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from aiohttp import web

import bot.api
from bot.domain.conversation_inputs import StartIn
from bot.domain.records import TurnIn
from bot.domain.strict import StrictModel

SPEC_PATH = Path(bot.api.__file__).parent / "openapi.yaml"
METHODS = {"get", "put", "post", "patch", "delete"}


def spec() -> dict[str, Any]:
    return yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


def routes_in_spec() -> set[tuple[str, str]]:
    return {
        (method.upper(), path)
        for path, item in spec()["paths"].items()
        for method in item
        if method in METHODS
    }


def routes_registered(app: web.Application) -> set[tuple[str, str]]:
    return {
        (route.method, route.resource.canonical)
        for route in app.router.routes()
        if route.resource is not None and route.resource.canonical.startswith("/api/v1")
    }


def test_every_route_is_described_and_every_description_is_a_route(app: web.Application) -> None:
    registered = routes_registered(app)
    assert len(registered) == 4  # health, start, read, turn: what the action server calls, no more
    assert routes_in_spec() == registered


def test_path_parameters_are_declared() -> None:
    for path, item in spec()["paths"].items():
        declared = set()
        for parameter in item.get("parameters", []):
            if "$ref" in parameter:
                parameter = spec()["components"]["parameters"][parameter["$ref"].rsplit("/", 1)[1]]
            declared.add(parameter["name"])
        in_path = {part[1:-1] for part in path.split("/") if part.startswith("{")}
        assert declared == in_path, path


def test_every_reference_resolves() -> None:
    document = spec()
    seen: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "$ref" in node:
                seen.append(node["$ref"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(document)
    assert seen
    for ref in seen:
        target: Any = document
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]
        assert isinstance(target, dict), ref


def test_every_operation_lists_its_responses_and_auth(app: web.Application) -> None:
    for path, item in spec()["paths"].items():
        for method, operation in item.items():
            if method not in METHODS:
                continue
            assert operation["responses"], (method, path)
            if path != "/api/v1/health":
                assert "401" in operation["responses"], (method, path)
                assert "security" not in operation  # the document-wide bearer scheme applies


# Each request body and the strict model the route parses it into, less the fields the route supplies itself
# (from the path, or `move`, which is whether `move_to` was sent).
BODY_MODELS: dict[str, tuple[type[StrictModel], set[str]]] = {
    "startOrResume": (StartIn, set()),
    "applyTurn": (TurnIn, {"move"}),
}
# Constraints that, when the document states one, must be what the model enforces.
CONSTRAINTS = ("enum", "maxLength", "minLength", "minimum", "format")


def _types(node: dict[str, Any]) -> set[str]:
    declared = node.get("type", [])
    return {declared} if isinstance(declared, str) else set(declared)


def _described(node: dict[str, Any]) -> dict[str, Any]:
    """A schema from openapi.yaml, reduced to what is compared: types, constraints, fields."""
    shape: dict[str, Any] = {"types": _types(node)}
    shape.update({key: node[key] for key in CONSTRAINTS if key in node})
    if "enum" in shape:
        shape["enum"] = [value for value in shape["enum"] if value is not None]
    if "properties" in node:
        shape["required"] = set(node.get("required", []))
        shape["properties"] = {name: _described(child) for name, child in node["properties"].items()}
    return shape


def _modelled(node: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    """The same reduction of a pydantic JSON schema, whose nullable fields are anyOf [..., null]."""
    if "$ref" in node:
        return _modelled(defs[node["$ref"].rsplit("/", 1)[1]], defs)
    if "anyOf" in node:
        members = [_modelled(member, defs) for member in node["anyOf"]]
        shape: dict[str, Any] = {}
        for member in members:
            shape.update({key: value for key, value in member.items() if key != "types"})
        shape["types"] = set().union(*(member["types"] for member in members))
        return shape
    shape = _described({key: value for key, value in node.items() if key != "properties"})
    if "properties" in node:
        shape["required"] = set(node.get("required", []))
        shape["properties"] = {name: _modelled(child, defs) for name, child in node["properties"].items()}
    return shape


def _compare(described: dict[str, Any], modelled: dict[str, Any], where: str) -> list[str]:
    problems = []
    if described["types"] != modelled["types"]:
        problems.append(f"{where}: type {sorted(described['types'])} != model {sorted(modelled['types'])}")
    for key in CONSTRAINTS:
        if key in described and described[key] != modelled.get(key):
            problems.append(f"{where}: {key} {described[key]!r} != model {modelled.get(key)!r}")
    if "properties" in described or "properties" in modelled:
        fields, model_fields = described.get("properties", {}), modelled.get("properties", {})
        if set(fields) != set(model_fields):
            problems.append(f"{where}: fields {sorted(fields)} != model {sorted(model_fields)}")
        if described.get("required", set()) != modelled.get("required", set()):
            required, model_required = described.get("required", set()), modelled.get("required", set())
            problems.append(f"{where}: required {sorted(required)} != model {sorted(model_required)}")
        for name in set(fields) & set(model_fields):
            problems.extend(_compare(fields[name], model_fields[name], f"{where}.{name}"))
    return problems


def _request_bodies() -> dict[str, dict[str, Any]]:
    return {
        operation["operationId"]: operation["requestBody"]["content"]["application/json"]["schema"]
        for item in spec()["paths"].values()
        for method, operation in item.items()
        if method in METHODS and "requestBody" in operation
    }


def test_every_request_body_is_a_model() -> None:
    assert set(_request_bodies()) == set(BODY_MODELS)


@pytest.mark.parametrize("operation", sorted(BODY_MODELS))
def test_each_request_body_is_described_as_its_model_parses_it(operation: str) -> None:
    model, supplied = BODY_MODELS[operation]
    schema = model.model_json_schema()
    for name in supplied:
        del schema["properties"][name]
        schema["required"] = [field for field in schema.get("required", []) if field != name]
    modelled = _modelled(schema, schema.get("$defs", {}))

    assert _compare(_described(_request_bodies()[operation]), modelled, operation) == []
