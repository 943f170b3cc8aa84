"""Issue #30: a Teams message from a deactivated account's identity is refused politely and nothing of it is
stored or sent on; the account's linked identity is read from the store on every message."""

from __future__ import annotations

from sqlalchemy import func, select
from teams_helpers import Connector, Post, message
from web_helpers import FakeEngine

from bot.domain.records import UserInfo
from bot.store.models import AuditEvent
from bot.store.services import Store
from bot.teams.turns import DEACTIVATED_MESSAGE, UNLINKED_MESSAGE


def audit_events(store: Store) -> int:
    with store.session_factory() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


async def test_a_deactivated_practitioner_is_refused_in_teams_and_nothing_is_stored(
    post: Post, connector: Connector, engine: FakeEngine, store: Store, user: UserInfo
) -> None:
    await post(message(connector.url, value={"action": "start"}))
    conversation = store.conversations.latest_conversation(user.id)
    log = store.conversations.chat_messages(conversation)
    reached_engine = len(engine.received)

    store.users.deactivate_user("alice")
    events = audit_events(store)
    for activity in (
        message(connector.url, "he told me he would hurt someone"),
        message(connector.url, value={"action": "start"}),
        message(connector.url, value={"action": "danger"}),
    ):
        response = await post(activity)
        assert response.status == 200
        assert connector.texts()[-1] == DEACTIVATED_MESSAGE
    assert DEACTIVATED_MESSAGE != UNLINKED_MESSAGE
    # Danger first: whoever is refused is still told what to do when someone is in danger now.
    assert "call 999 now" in DEACTIVATED_MESSAGE and "call 999 now" in UNLINKED_MESSAGE
    assert len(engine.received) == reached_engine
    assert store.conversations.chat_messages(conversation) == log
    assert store.conversations.latest_conversation(user.id) == conversation
    assert audit_events(store) == events  # not even the Teams chat was remembered
