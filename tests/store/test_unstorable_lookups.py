"""Ids and names that no database can hold find nothing: they are never passed on to the driver.

Conversation ids, references and usernames arrive from outside (the JSON API's URLs and bodies, the sign-in
form, the CLI). A NUL is refused by PostgreSQL's driver ("PostgreSQL text fields cannot contain NUL
(0x00) bytes", a DataError) although SQLite simply finds no row; a lone surrogate (which JSON's "\\ud800"
escape produces) cannot even be encoded for either driver. Either way the caller must get the store's own
answer (nothing found, or a ValidationError naming the field), never a database or encoding error that
becomes a server error.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from bot.domain.errors import NotFoundError, ValidationError
from bot.domain.records import AnswerIn, ChatMessage, UserInfo
from bot.store.services import Store
from tests.builders import give_answer, move, report_danger

UNSTORABLE = {"nul": "a\x00b", "surrogate": "a\ud800b"}
PASSWORD = "correct horse battery staple"  # the practitioner fixture's

# Reads that answer "nothing" with None.
READS: dict[str, Callable[[Store, str], Any]] = {
    "authenticate": lambda s, bad: s.users.authenticate(bad, PASSWORD),
    "find_user": lambda s, bad: s.users.find_user(bad),
    "get_assessment by conversation": lambda s, bad: s.assessments.get_assessment(conversation_id=bad),
    "get_assessment by reference": lambda s, bad: s.assessments.get_assessment(assessment_id="A-" + bad),
}
# Everything else addressed by conversation id: "no such conversation" (NotFoundError) or a ValidationError.
BY_CONVERSATION: dict[str, Callable[[Store, str], Any]] = {
    "start_or_resume": lambda s, bad: s.assessments.start_or_resume(bad, "2026.1"),
    "turn with an answer": lambda s, bad: give_answer(
        s, bad, AnswerIn(question_id="q1", revision=1, wording="W", text="t", value=None, status="answered")
    ),
    "turn with a move": lambda s, bad: move(s, bad, "q1"),
    "turn with a danger report": lambda s, bad: report_danger(s, bad, "now"),
    "submit": lambda s, bad: s.assessments.submit(bad),
    "export": lambda s, bad: s.assessments.export(conversation_id=bad),
    "chat_messages": lambda s, bad: s.conversations.chat_messages(bad),
    "append_chat_messages": lambda s, bad: s.conversations.append_chat_messages(
        bad, [ChatMessage("in", "hi")]
    ),
}


@pytest.mark.parametrize("bad", UNSTORABLE.values(), ids=UNSTORABLE.keys())
@pytest.mark.parametrize("call", READS.values(), ids=READS.keys())
def test_reads_find_nothing(
    service: Store, practitioner: UserInfo, call: Callable[[Store, str], Any], bad: str
) -> None:
    assert call(service, bad) is None


@pytest.mark.parametrize("bad", UNSTORABLE.values(), ids=UNSTORABLE.keys())
@pytest.mark.parametrize("call", BY_CONVERSATION.values(), ids=BY_CONVERSATION.keys())
def test_calls_by_conversation_are_refused_by_the_store(
    service: Store,
    started: str,
    count_rows: Callable[[str], int],
    call: Callable[[Store, str], Any],
    bad: str,
) -> None:
    before = count_rows("audit_events")
    with pytest.raises((NotFoundError, ValidationError)):
        call(service, bad)
    assert count_rows("audit_events") == before
    # the store is still usable
    assert service.assessments.get_assessment(conversation_id=started) is not None
