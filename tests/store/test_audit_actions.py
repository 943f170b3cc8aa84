"""The audit actions are one enum with one label table, and every place that records an event uses a member.

Issue #29, point 6: the actions were free strings at each call site, and `assessment.started_again` had no
label, so the case history showed the raw key. Three guards: the label table names every member; no call
that records an event is given a plain string (read from the source, so a new call site is checked without
being listed here); and `record_event` itself refuses a string that names no action, writing nothing.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.domain.audit_actions import LABELS, AuditAction
from bot.domain.records import SERVICE_ACTOR
from bot.store import db
from bot.store.audit import record_event
from bot.store.models import AuditEvent
from tests.fixtures.source_trees import parsed, python_files, string_constants

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("bot", "actions")
ENUM_MODULE = ROOT / "bot" / "domain" / "audit_actions.py"
# The callables that take an audit action, and where: a positional index, or the keyword `audit`.
RECORDERS = {"record_event": 2, "audit": 0, "_audit": 2, "_refuse": 3, "require_may_raise_concerns": 2}
ACTION_SHAPE = re.compile(r"^[a-z_]+\.[a-z_]+$")


def test_every_action_has_a_label() -> None:
    assert set(LABELS) == set(AuditAction)
    blank = [action for action, text in LABELS.items() if not text.strip() or text == action.value]
    assert not blank


def test_starting_again_has_its_label() -> None:
    assert LABELS[AuditAction.ASSESSMENT_STARTED_AGAIN].startswith("Started again")
    # The case page looks labels up by the stored string.
    assert LABELS.get("assessment.started_again") == LABELS[AuditAction.ASSESSMENT_STARTED_AGAIN]  # type: ignore[call-overload]


def _python_files() -> Iterator[Path]:
    for folder in SOURCES:
        for path in python_files(folder):
            if "migrations" not in path.parts and path != ENUM_MODULE:
                yield path


def _called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


def _action_arguments(call: ast.Call) -> Iterator[ast.expr]:
    for keyword in call.keywords:
        if keyword.arg == "audit":
            yield keyword.value
    index = RECORDERS.get(_called_name(call) or "")
    if index is not None and len(call.args) > index:
        yield call.args[index]


def _plain_strings(node: ast.expr) -> Iterator[str]:
    """The string constants an action argument may evaluate to (through `a if c else b`)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        yield node.value
    elif isinstance(node, ast.IfExp):
        yield from _plain_strings(node.body)
        yield from _plain_strings(node.orelse)


def test_no_event_is_recorded_with_a_plain_string() -> None:
    found = []
    for path in _python_files():
        for node in ast.walk(parsed(path)):
            if isinstance(node, ast.Call):
                for argument in _action_arguments(node):
                    found += [
                        f"{path.relative_to(ROOT)}:{node.lineno}: {text!r}"
                        for text in _plain_strings(argument)
                    ]
    assert not found, f"record audit actions as AuditAction members (bot/domain/audit_actions.py): {found}"


def test_no_action_is_spelled_out_elsewhere() -> None:
    """An action's string written anywhere else (a comparison, a returned value) would drift from the enum."""
    values = {action.value for action in AuditAction}
    found = []
    for path in _python_files():
        found += [
            f"{path.relative_to(ROOT)}:{constant.line}: {constant.value!r}"
            for constant in string_constants(path)
            if constant.value in values
        ]
    assert not found


def test_the_actions_look_like_actions() -> None:
    assert all(ACTION_SHAPE.match(action.value) for action in AuditAction)


def test_an_unknown_action_is_refused_and_nothing_is_written(database_url: str) -> None:
    sessions = db.make_session_factory(database_url)
    try:
        with sessions() as session:
            with pytest.raises(ValueError, match=r"assessment\.restarted"):
                record_event(session, SERVICE_ACTOR, "assessment.restarted", datetime.now(UTC))  # type: ignore[arg-type]
            session.commit()
            assert session.scalar(select(func.count()).select_from(AuditEvent)) == 0
            record_event(session, SERVICE_ACTOR, AuditAction.ASSESSMENT_STARTED_AGAIN, datetime.now(UTC))
            session.commit()
            # The stored string is the member's value, exactly as before the enum (no migration).
            assert list(session.scalars(select(AuditEvent.action))) == ["assessment.started_again"]
    finally:
        sessions.kw["bind"].dispose()
