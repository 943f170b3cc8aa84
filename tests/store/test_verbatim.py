"""The practitioner's words survive a round trip byte for byte: nothing stripped, normalised or rewritten."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.domain.errors import ValidationError
from bot.domain.limits import MAX_ANSWER_CHARS
from bot.domain.records import AnswerIn, ChatMessage
from bot.store import db
from bot.store.services import Store
from tests.builders import give_answer, report_danger
from tests.fixtures.hypothesis_lanes import examples

if TYPE_CHECKING:
    from tests.store.conftest import Databases

# Everything a keyboard, a paste or a phone can produce, except the two things no database stores exactly.
storable_text = st.text(
    alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=300
)
awkward = [
    "",
    " ",
    "  leading and trailing  ",
    "line one\r\nline two\nline three\rold mac",
    "tab\there",
    "zero\u200bwidth\u200cjoiners\u200d\ufeffbom",
    "emoji 👩🏽‍💻 🏳️‍🌈 and flags 🇬🇧",
    "e\u0301 versus \u00e9 (not normalised)",
    "right-to-left \u202e text",
    "\x01\x1f control characters",
    "\U0010ffff highest code point",
]


@pytest.fixture(scope="module")
def store(module_databases: Databases) -> Iterator[tuple[Store, str]]:
    """One assessment for the whole module (on each backend): each example adds a question to it."""
    sessions = db.make_session_factory(module_databases.create())
    service = Store(sessions)
    conversation = service.conversations.open_conversation(None, "web")
    service.assessments.start_or_resume(conversation, "2026.1")
    yield service, conversation
    sessions.kw["bind"].dispose()


_question_numbers = itertools.count(1)


@settings(
    max_examples=examples(150), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=storable_text, source=st.none() | storable_text)
@example(text="\r\n".join(awkward), source=" told by the school nurse ")
def test_answers_round_trip_exactly(store: tuple[Store, str], text: str, source: str | None) -> None:
    service, conversation = store
    question_id = f"q{next(_question_numbers)}"
    given_answer = AnswerIn(
        question_id=question_id,
        revision=1,
        wording=f"Wording {text}",
        text=text,
        value={"words": [text]},
        status="answered",
        source=source,
    )

    give_answer(service, conversation, given_answer)

    stored = service.assessments.get_assessment(conversation_id=conversation).answers[question_id]  # type: ignore[union-attr]
    assert stored.text == text
    assert stored.text.encode("utf-8") == text.encode("utf-8")
    assert stored.wording == f"Wording {text}"
    assert stored.value == {"words": [text]}
    assert stored.source == source
    # and it still counts as a replay (a changed one would be refused as a conflict): nothing new is written
    assert give_answer(service, conversation, given_answer).answers[question_id] == stored


@settings(max_examples=examples(60), deadline=None)
@given(text=storable_text.filter(bool))
def test_chat_and_urgent_messages_round_trip_exactly(store: tuple[Store, str], text: str) -> None:
    service, conversation = store
    service.conversations.append_chat_messages(conversation, [ChatMessage("in", text)])
    assert service.conversations.chat_messages(conversation)[-1].text == text
    assert report_danger(service, conversation, text).urgent_messages[-1].text == text


@pytest.mark.parametrize("text", awkward)
def test_awkward_text_is_kept_as_typed(store: tuple[Store, str], text: str) -> None:
    service, conversation = store
    question_id = f"awkward{next(_question_numbers)}"
    stored = give_answer(
        service,
        conversation,
        AnswerIn(question_id=question_id, revision=1, wording="W", text=text, value=text, status="answered"),
    ).answers[question_id]
    assert stored.text == text
    reread = service.assessments.export(conversation_id=conversation)
    revisions = {item["question_id"]: item["revisions"] for item in reread["answers"]}
    assert revisions[question_id][0]["text"] == text


@given(
    prefix=storable_text,
    bad=st.sampled_from(["\ud800", "\udbff", "\udc00", "\udfff", "\x00"]),
    suffix=storable_text,
)
@settings(max_examples=examples(50), deadline=None)
def test_text_that_cannot_be_stored_exactly_is_refused(
    store: tuple[Store, str], prefix: str, bad: str, suffix: str
) -> None:
    service, conversation = store
    with pytest.raises(ValidationError) as caught:
        give_answer(
            service,
            conversation,
            AnswerIn(
                question_id="refused",
                revision=1,
                wording="W",
                text=prefix + bad + suffix,
                value=None,
                status="answered",
            ),
        )
    assert f"at position {len(prefix) + 1}" in caught.value.fields["text"]
    assert "refused" not in service.assessments.get_assessment(conversation_id=conversation).answers  # type: ignore[union-attr]


def test_longest_answer_survives(service: Store) -> None:
    conversation = service.conversations.open_conversation(None, "web")
    service.assessments.start_or_resume(conversation, "2026.1")
    text = ("🙂 \r\n" * MAX_ANSWER_CHARS)[:MAX_ANSWER_CHARS]
    give_answer(
        service,
        conversation,
        AnswerIn(question_id="long", revision=1, wording="W", text=text, value=text, status="answered"),
    )
    assert service.assessments.get_assessment(conversation_id=conversation).answers["long"].text == text  # type: ignore[union-attr]
