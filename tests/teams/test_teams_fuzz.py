"""Property: whatever Activity JSON arrives with a good token, the answer is never a 5xx, and nothing is
logged in the store that the engine did not receive."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from teams_helpers import AAD_OBJECT_ID, BOT_ID, TENANT, Connector, Post, message
from web_helpers import FakeEngine

from bot.domain.records import UserInfo
from bot.store.services import Store
from tests.fixtures.hypothesis_lanes import examples

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
huge_text = st.integers(min_value=10_001, max_value=100_000).map(lambda n: "é" * n)
field_values = (
    json_values | huge_text | st.sampled_from(["msteams", "personal", TENANT, AAD_OBJECT_ID, BOT_ID])
)
FIELDS = [
    "type",
    "id",
    "serviceUrl",
    "channelId",
    "from",
    "conversation",
    "recipient",
    "channelData",
    "text",
    "value",
    "membersAdded",
]


@st.composite
def activities(draw: st.DrawFn, service_url: str) -> Any:
    if draw(st.booleans()):
        return draw(json_values)
    activity = message(service_url, draw(st.text(max_size=50)) if draw(st.booleans()) else None)
    for name in draw(st.lists(st.sampled_from(FIELDS), max_size=4, unique=True)):
        if draw(st.booleans()):
            activity.pop(name, None)
        else:
            activity[name] = draw(field_values)
    if draw(st.booleans()):
        activity["value"] = draw(st.fixed_dictionaries({"choice": json_values, "seen": json_values}))
    return activity


@settings(
    max_examples=examples(120), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
async def test_any_activity_is_never_a_5xx_and_never_half_saved(
    data: st.DataObject,
    post: Post,
    connector: Connector,
    engine: FakeEngine,
    store: Store,
    user: UserInfo,
) -> None:
    # a screening under way, so answers have somewhere to go
    if store.conversations.latest_conversation(user.id) is None:
        assert (await post(message(connector.url, value={"action": "start"}))).status == 200
    activity = data.draw(activities(connector.url))
    response = await post(activity)
    assert response.status < 500, await response.text()

    conversation = store.conversations.latest_conversation(user.id)
    logged = store.conversations.chat_messages(conversation) if conversation else []
    said = [m.text for m in logged if m.direction == "in"]
    assert len(said) == len([b for b in engine.received if b["message"] != "/start_assessment"])
