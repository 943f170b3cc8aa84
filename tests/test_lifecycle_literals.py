"""An assessment's status and mode are written as bot.domain.lifecycle members, never as bare strings.

Read from the source: every string constant in our product's Python outside the domain (which defines the
values) and the migrations (which must keep the words they were written with) is checked, so
`status == "submited"` or a new `mode != "live"` fails here instead of matching nothing in production.
Docstrings are prose and skipped; a comment is not a constant at all.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("bot", "actions")
OUTSIDE = ("bot/domain/", "bot/store/migrations/")
WORDS = frozenset({"in_progress", "submitted", "live"})
# The same word meaning something else, each with why.
ALLOWED = {
    ("bot/web/sessions.py", "live"): "a sign-in session's state, not a case's mode",
    ("bot/notify/messages.py", "submitted"): "a word of the notice's English, not a stored status",
}


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def bare_lifecycle_words(source: str) -> list[tuple[int, str]]:
    """(line, word) of each string constant in `source` that is one of WORDS exactly, docstrings aside."""
    tree = ast.parse(source)
    skip = _docstrings(tree)
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and node.value in WORDS and id(node) not in skip
    ]


def test_the_scan_finds_a_bare_word_and_skips_docstrings_and_comments() -> None:
    source = '"""Once submitted."""\ndef f(a):\n    """live"""\n    # "in_progress"\n    return a == "live"\n'
    assert bare_lifecycle_words(source) == [(5, "live")]


def test_lifecycle_words_appear_as_literals_only_in_the_domain() -> None:
    found = []
    for top in SOURCES:
        for path in sorted((ROOT / top).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if name.startswith(OUTSIDE):
                continue
            for line, word in bare_lifecycle_words(path.read_text(encoding="utf-8")):
                if (name, word) not in ALLOWED:
                    found.append(f"{name}:{line}: {word!r}")
    assert not found, (
        "use AssessmentStatus or Mode from bot.domain.lifecycle (or ReferralStatus) instead of:\n"
        + "\n".join(found)
    )
