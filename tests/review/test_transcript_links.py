"""Each answer links to the turn that gave it, even when two answers in a row are the same words (issue #26
item 9): "Not sure", "Not sure" link to their own turns, never both to the later one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiohttp.test_utils import TestClient
from review_helpers import page
from sqlalchemy.orm import Session, sessionmaker
from tracker_helpers import add_events, bot, make_tracker, user

from bot.domain.records import AnswerIn, AnswerRecord, UserInfo
from bot.questions import AnswerType, QuestionBank
from bot.review.transcript import link_answers, read_transcript
from bot.settings import Settings
from bot.store.services import Store
from tests.builders import give_answer

AsUser = Callable[[str | None], Awaitable[TestClient]]
T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
UNSURE_BUTTONS = [{"title": "Yes", "payload": "Yes"}, {"title": "Not sure", "payload": "/choose_unsure"}]


def unsure(question_id: str, at: datetime) -> AnswerRecord:
    return AnswerRecord(question_id, 1, "wording", "Not sure", None, "unsure", None, None, at)


def two_unsure_turns(path: Path, sender: str, start: datetime) -> None:
    """Question one, "Not sure" by button; question two, "Not sure" typed; half a second apart each."""
    step = timedelta(milliseconds=500)
    add_events(
        path,
        sender,
        [
            ("bot", start, bot("Question one?", UNSURE_BUTTONS)),
            ("user", start + step, user("/choose_unsure")),
            ("bot", start + 3 * step, bot("Question two?", UNSURE_BUTTONS)),
            ("user", start + 4 * step, user("Not sure")),
        ],
    )


def test_two_identical_answers_in_a_row_link_to_their_own_turns(tmp_path: Path) -> None:
    tracker = make_tracker(tmp_path / "tracker.db")
    two_unsure_turns(tracker, "s", T0)
    transcript = read_transcript(tracker, "s")
    # Each stored a moment after its own message, well within the clock slack of the other one.
    first, second = (
        unsure("one", T0 + timedelta(milliseconds=600)),
        unsure("two", T0 + timedelta(seconds=2.1)),
    )
    linked = link_answers(transcript, [second, first])  # in whatever order the record lists them
    assert linked.links == {"one": 2, "two": 4}
    assert [t.answers for t in linked.turns] == [(), ("one",), (), ("two",)]


def test_an_answer_stored_a_little_before_its_message_was_logged_still_gets_its_own_turn(
    tmp_path: Path,
) -> None:
    tracker = make_tracker(tmp_path / "tracker.db")
    two_unsure_turns(tracker, "s", T0)
    # Clocks a little apart: each answer's time reads just before its own message.
    first, second = (
        unsure("one", T0 + timedelta(milliseconds=400)),
        unsure("two", T0 + timedelta(seconds=1.9)),
    )
    assert link_answers(read_transcript(tracker, "s"), [first, second]).links == {"one": 2, "two": 4}


class SteppingClock:
    """The store's clock, set by the test: the answers' times are the test's, not the machine's."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _two_unsure_questions(bank: QuestionBank) -> Iterator[str]:
    return (
        q.id
        for q in bank.authored_questions
        if q.answer_type == AnswerType.YES_NO_UNSURE and not q.show_if and q.effect is None
    )


async def test_the_case_page_links_each_of_two_identical_answers_to_its_own_turn(
    as_user: AsUser,
    sessions: sessionmaker[Session],
    settings: Settings,
    bank: QuestionBank,
    people: dict[str, UserInfo],
) -> None:
    clock = SteppingClock(T0)
    store = Store(sessions, clock=clock)
    conversation = store.conversations.open_conversation(people["north-practitioner"].id, "web")
    store.assessments.start_or_resume(conversation, bank.version, "live")
    questions = _two_unsure_questions(bank)
    for at, qid in (
        (T0 + timedelta(milliseconds=600), next(questions)),
        (T0 + timedelta(seconds=2.1), next(questions)),
    ):
        clock.now = at
        give_answer(
            store,
            conversation,
            AnswerIn(
                question_id=qid,
                revision=1,
                wording=bank.question(qid).text,
                text="Not sure",
                value=None,
                status="unsure",
            ),
        )
    clock.now = T0 + timedelta(seconds=5)
    record = store.assessments.submit(conversation)
    tracker = settings.engine_tracker_db
    if not tracker.exists():
        make_tracker(tracker)
    two_unsure_turns(tracker, conversation, T0)

    body = await page(await as_user("north-lead"), f"/cases/{record.id}")
    assert f'href="/cases/{record.id}/transcript#turn-2"' in body
    assert f'href="/cases/{record.id}/transcript#turn-4"' in body
    assert body.count("See in transcript") == 2
