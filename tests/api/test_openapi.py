"""openapi.yaml and the registered routes describe the same API, in both directions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from aiohttp import web

import bot.api

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
    assert len(registered) == 10
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
