"""Payloads and metadata keys are written as bot.domain.protocol names, never as bare strings (issue #29).

Read from the source like tests/test_lifecycle_literals.py: every string constant in the product's Python
outside the protocol module is checked. `domain.yml` keeps its own spelling of the intents; every payload
must be one of them, or a button would send an intent the engine has never heard of.
"""

from __future__ import annotations

import ast

import yaml

from bot.domain.protocol import DANGER_OPINION, TYPED_TEXT, Payload
from tests.fixtures.source_trees import (
    ROOT,
    StringConstant,
    python_files,
    string_constants,
    string_constants_of,
)

SOURCES = ("bot", "actions", "engine/extensions")
OUTSIDE = ("bot/domain/protocol.py", "bot/store/migrations/")
WORDS = frozenset({*(p.value for p in Payload), TYPED_TEXT, DANGER_OPINION})
SECOND_OPINION = "engine/extensions/danger_second_opinion.py"
# Where the spelling must be written out, each with why (the store API's "/submit" route went: issue #29).
ALLOWED: dict[tuple[str, str], str] = {
    (SECOND_OPINION, DANGER_OPINION): "the engine's environment cannot import bot; checked equal below",
}


def _protocol_words(constants: tuple[StringConstant, ...]) -> list[tuple[int, str]]:
    # Docstrings included, as before: a payload has no business in prose either.
    return [(c.line, c.value) for c in constants if c.value in WORDS]


def bare_protocol_words(source: str) -> list[tuple[int, str]]:
    """(line, word) of each string constant in `source` that is a payload or metadata key exactly."""
    return _protocol_words(string_constants_of(ast.parse(source)))


def test_the_scan_finds_a_bare_payload() -> None:
    assert bare_protocol_words('x = "/skip"\ny = Payload.SKIP\n') == [(1, "/skip")]


def test_payloads_and_metadata_keys_appear_as_literals_only_in_the_protocol_module() -> None:
    found = []
    for top in SOURCES:
        for path in python_files(top):
            name = path.relative_to(ROOT).as_posix()
            if name.startswith(OUTSIDE):
                continue
            # The same scan as bare_protocol_words, over the tree parsed once per process.
            for line, word in _protocol_words(string_constants(path)):
                if (name, word) not in ALLOWED:
                    found.append(f"{name}:{line}: {word!r}")
    assert not found, "use bot.domain.protocol instead of:\n" + "\n".join(found)


def test_every_payload_is_an_intent_the_domain_declares() -> None:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    intents = {i if isinstance(i, str) else next(iter(i)) for i in domain["intents"]}
    assert {p.intent for p in Payload} <= intents


def test_the_engine_adds_its_second_opinion_under_the_name_the_actions_read() -> None:
    assert DANGER_OPINION in {c.value for c in string_constants(ROOT / SECOND_OPINION)}
