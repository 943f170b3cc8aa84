"""Payloads and metadata keys are written as bot.domain.protocol names, never as bare strings (issue #29).

Read from the source like tests/test_lifecycle_literals.py: every string constant in the product's Python
outside the protocol module is checked. `domain.yml` keeps its own spelling of the intents; every payload
must be one of them, or a button would send an intent the engine has never heard of.
"""

from __future__ import annotations

import ast
from pathlib import Path

import yaml

from bot.domain.protocol import TYPED_TEXT, Payload

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("bot", "actions", "engine/extensions")
OUTSIDE = ("bot/domain/protocol.py", "bot/store/migrations/")
WORDS = frozenset({*(p.value for p in Payload), TYPED_TEXT})
# The same spelling meaning something else, each with why (the store API's "/submit" route went: issue #29).
ALLOWED: dict[tuple[str, str], str] = {}


def bare_protocol_words(source: str) -> list[tuple[int, str]]:
    """(line, word) of each string constant in `source` that is a payload or metadata key exactly."""
    tree = ast.parse(source)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in WORDS
    ]


def test_the_scan_finds_a_bare_payload() -> None:
    assert bare_protocol_words('x = "/skip"\ny = Payload.SKIP\n') == [(1, "/skip")]


def test_payloads_and_metadata_keys_appear_as_literals_only_in_the_protocol_module() -> None:
    found = []
    for top in SOURCES:
        for path in sorted((ROOT / top).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if name.startswith(OUTSIDE):
                continue
            for line, word in bare_protocol_words(path.read_text(encoding="utf-8")):
                if (name, word) not in ALLOWED:
                    found.append(f"{name}:{line}: {word!r}")
    assert not found, "use bot.domain.protocol instead of:\n" + "\n".join(found)


def test_every_payload_is_an_intent_the_domain_declares() -> None:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    intents = {i if isinstance(i, str) else next(iter(i)) for i in domain["intents"]}
    assert {p.intent for p in Payload} <= intents
