"""An assessment's status and mode are written as bot.domain.lifecycle members, never as bare strings.

Read from the source: every string constant in our product's Python outside the domain (which defines the
values) and the migrations (which must keep the words they were written with) is checked, so
`status == "submited"` or a new `mode != "live"` fails here instead of matching nothing in production.
Docstrings are prose and skipped; a comment is not a constant at all.
"""

from __future__ import annotations

import ast

from tests.fixtures.source_trees import (
    ROOT,
    StringConstant,
    python_files,
    string_constants,
    string_constants_of,
)

SOURCES = ("bot", "actions")
OUTSIDE = ("bot/domain/", "bot/store/migrations/")
WORDS = frozenset({"in_progress", "submitted", "live"})
# The same word meaning something else, each with why.
ALLOWED = {
    ("bot/web/sessions.py", "live"): "a sign-in session's state, not a case's mode",
    ("bot/notify/messages.py", "submitted"): "a word of the notice's English, not a stored status",
}


def _bare_words(constants: tuple[StringConstant, ...]) -> list[tuple[int, str]]:
    return [(c.line, c.value) for c in constants if c.value in WORDS and not c.docstring]


def bare_lifecycle_words(source: str) -> list[tuple[int, str]]:
    """(line, word) of each string constant in `source` that is one of WORDS exactly, docstrings aside."""
    return _bare_words(string_constants_of(ast.parse(source)))


def test_the_scan_finds_a_bare_word_and_skips_docstrings_and_comments() -> None:
    source = '"""Once submitted."""\ndef f(a):\n    """live"""\n    # "in_progress"\n    return a == "live"\n'
    assert bare_lifecycle_words(source) == [(5, "live")]


def test_lifecycle_words_appear_as_literals_only_in_the_domain() -> None:
    found = []
    for top in SOURCES:
        for path in python_files(top):
            name = path.relative_to(ROOT).as_posix()
            if name.startswith(OUTSIDE):
                continue
            # The same scan as bare_lifecycle_words, over the tree parsed once per process.
            for line, word in _bare_words(string_constants(path)):
                if (name, word) not in ALLOWED:
                    found.append(f"{name}:{line}: {word!r}")
    assert not found, (
        "use AssessmentStatus or Mode from bot.domain.lifecycle (or ReferralStatus) instead of:\n"
        + "\n".join(found)
    )
