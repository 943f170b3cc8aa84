"""Conversations (the engine's sender ids) and the chat display log: what the practitioner saw and said.

The log is for showing the conversation again; the record is the assessment's answers (bot.store.assessments).
"""

from __future__ import annotations

import secrets

from bot.domain.audit_actions import AuditAction
from bot.domain.chat_inputs import ChatLogIn
from bot.domain.conversation_inputs import OpenConversationIn
from bot.domain.records import ChatMessage
from bot.store import repository
from bot.store.models import ChatMessageRow, Conversation
from bot.store.unit_of_work import Service, UnitOfWork


def new_sender_id() -> str:
    """A random conversation id (the engine's sender id) that never starts with "-", so people can pass it to
    `bot assessments export --conversation ID` without the command reading it as an option."""
    while (sender_id := secrets.token_urlsafe(24)).startswith("-"):
        pass
    return sender_id


class ConversationService(Service):
    def open_conversation(self, user_id: int | None, channel: str) -> str:
        OpenConversationIn(channel=channel)

        def open_(uow: UnitOfWork) -> str:
            if user_id is not None:
                uow.user(user_id)
            sender_id = new_sender_id()
            uow.session.add(
                Conversation(sender_id=sender_id, user_id=user_id, channel=channel, created_at=uow.now())
            )
            uow.audit(
                AuditAction.CONVERSATION_OPENED, conversation_id=sender_id, user_id=user_id, channel=channel
            )
            return sender_id

        return self._write(open_)

    def latest_conversation(self, user_id: int) -> str | None:
        with self._reading() as uow:
            conversation = repository.latest_conversation_of(uow.session, user_id)
            return conversation.sender_id if conversation else None

    def append_chat_messages(self, conversation_id: str, messages: list[ChatMessage]) -> None:
        log = ChatLogIn.of(messages)
        if not log.messages:
            return

        def append(uow: UnitOfWork) -> None:
            conversation = uow.conversation(conversation_id)
            now = uow.now()
            for line in log.messages:
                uow.session.add(
                    ChatMessageRow(
                        conversation_id=conversation.id,
                        direction=line.direction,
                        text=line.text,
                        buttons=[button.model_dump() for button in line.buttons],
                        created_at=line.created_at or now,
                    )
                )
            uow.audit(AuditAction.CHAT_APPENDED, conversation_id=conversation_id, count=len(log.messages))

        self._write(append)

    def chat_messages(self, conversation_id: str) -> list[ChatMessage]:
        with self._reading() as uow:
            conversation = uow.conversation(conversation_id)
            rows = repository.chat_rows(uow.session, conversation.id)
            return [repository.chat_message(row) for row in rows]
