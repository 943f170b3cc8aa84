"""Conversations and the web chat's display log."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from bot.domain.errors import NotFoundError, ValidationError
from bot.domain.records import ChatMessage, UserInfo
from bot.store.services import Store


def test_open_conversation_gives_a_fresh_random_id_each_time(
    service: Store, practitioner: UserInfo, audit_actions: Callable[[], list[str]]
) -> None:
    first = service.conversations.open_conversation(practitioner.id, "web")
    second = service.conversations.open_conversation(practitioner.id, "web")
    assert first != second
    assert len(first) >= 32
    assert audit_actions()[-2:] == ["conversation.opened", "conversation.opened"]
    assert service.conversations.latest_conversation(practitioner.id) == second


def test_conversation_without_a_user(service: Store) -> None:
    conversation = service.conversations.open_conversation(None, "msteams")
    record = service.assessments.start_or_resume(conversation, "2026.1")
    assert record.practitioner is None
    assert record.team is None


def test_latest_conversation_is_none_for_a_new_user(service: Store, practitioner: UserInfo) -> None:
    assert service.conversations.latest_conversation(practitioner.id) is None


def test_open_conversation_for_an_unknown_user(service: Store, count_rows: Callable[[str], int]) -> None:
    with pytest.raises(NotFoundError):
        service.conversations.open_conversation(404, "web")
    with pytest.raises(ValidationError):
        service.conversations.open_conversation(None, "web chat")
    assert count_rows("conversations") == 0


def test_chat_messages_come_back_verbatim_and_in_order(service: Store, conversation: str) -> None:
    at = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    messages = [
        ChatMessage("out", "What happened?", [{"title": "Skip", "payload": "/skip"}]),
        ChatMessage("in", "  He said 😬\r\nthen left\u200b  ", [], at),
        ChatMessage("out", "Thank you."),
    ]
    service.conversations.append_chat_messages(conversation, messages)
    stored = service.conversations.chat_messages(conversation)
    assert [(m.direction, m.text, m.buttons) for m in stored] == [
        (m.direction, m.text, m.buttons) for m in messages
    ]
    assert stored[1].created_at == at
    assert stored[0].created_at is not None


def test_bad_chat_messages_write_nothing(
    service: Store, conversation: str, count_rows: Callable[[str], int]
) -> None:
    before = count_rows("audit_events")
    bad = [
        ChatMessage("in", "fine"),
        ChatMessage("sideways", "x"),  # type: ignore[arg-type]
        ChatMessage("in", "x" * 10_001),
        ChatMessage("out", "x", [{"title": "no payload"}]),
        ChatMessage("in", "naive time", [], datetime(2026, 1, 1)),
    ]
    with pytest.raises(ValidationError) as caught:
        service.conversations.append_chat_messages(conversation, bad)
    assert set(caught.value.fields) == {
        "messages[1].direction",
        "messages[2].text",
        "messages[3].buttons[0]",
        "messages[4].created_at",
    }
    assert count_rows("chat_messages") == 0
    assert count_rows("audit_events") == before


def test_chat_log_of_an_unknown_conversation(service: Store) -> None:
    with pytest.raises(NotFoundError):
        service.conversations.chat_messages("no-such-conversation")
    with pytest.raises(NotFoundError):
        service.conversations.append_chat_messages("no-such-conversation", [ChatMessage("in", "hello")])


def test_conversation_ids_never_look_like_command_line_options() -> None:
    from bot.store.conversations import new_sender_id

    assert not any(new_sender_id().startswith("-") for _ in range(2000))
