"""The transcript from the engine's own tracker store: read verbatim, read-only, linked to the stored answers,
and shown on its own audited page with the same scope as the case."""

from __future__ import annotations

import hashlib
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aiohttp.test_utils import TestClient
from markupsafe import escape
from review_helpers import VERBATIM, Case, page
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from tracker_helpers import action, add_events, bot, make_tracker, user

from bot.domain.records import AnswerRecord
from bot.review.transcript import NO_TRACKER, NO_TURNS, UNREADABLE, link_answers, read_transcript
from bot.settings import Settings
from bot.store.models import AuditEvent
from bot.store.services import Store

AsUser = Callable[[str | None], Awaitable[TestClient]]
T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
YES_NO = [
    {"title": "Yes", "payload": "Yes"},
    {"title": "No", "payload": "No"},
    {"title": "Skip", "payload": "/skip"},
]


def answer(question_id: str, text: str, at: datetime) -> AnswerRecord:
    return AnswerRecord(question_id, 1, "wording", text, text, "answered", None, None, at)


def conversation(path: Path, sender: str, start: datetime) -> None:
    """A short real-shaped conversation: start, a free-text question, a yes/no question by button."""
    step = timedelta(seconds=1)
    add_events(
        path,
        sender,
        [
            ("action", start, action("action_session_start")),
            ("user", start + step, user("/start_assessment", intent="start_assessment")),
            ("action", start + 2 * step, action("action_conduct")),
            ("bot", start + 3 * step, bot("What did the young person say?")),
            ("user", start + 4 * step, user(VERBATIM.strip(), typed=VERBATIM)),
            ("slot", start + 5 * step, {"name": "question", "value": "q2"}),
            ("bot", start + 6 * step, bot("Has this happened before?", YES_NO)),
            ("user", start + 7 * step, user("Yes")),
            ("bot", start + 8 * step, bot("Thank you.")),
        ],
    )


def test_the_transcript_is_read_in_order_with_the_typed_text_verbatim(tmp_path: Path) -> None:
    tracker = make_tracker(tmp_path / "tracker.db")
    conversation(tracker, "sender-a", T0)
    add_events(tracker, "sender-b", [("user", T0, user("someone else's message"))])
    before = hashlib.sha256(tracker.read_bytes()).hexdigest()

    transcript = read_transcript(tracker, "sender-a")

    assert transcript.note is None
    assert [(t.number, t.speaker, t.text) for t in transcript.turns] == [
        (1, "user", "/start_assessment"),
        (2, "bot", "What did the young person say?"),
        (3, "user", VERBATIM),
        (4, "bot", "Has this happened before?"),
        (5, "user", "Yes"),
        (6, "bot", "Thank you."),
    ]
    assert transcript.turns[3].buttons == tuple(YES_NO)
    assert transcript.turns[2].at == T0 + timedelta(seconds=4)
    assert hashlib.sha256(tracker.read_bytes()).hexdigest() == before, "reading never writes"


def test_typed_text_that_is_not_the_same_message_is_ignored(tmp_path: Path) -> None:
    tracker = make_tracker(tmp_path / "tracker.db")
    add_events(tracker, "s", [("user", T0, user("No", typed="something else entirely"))])
    assert [t.text for t in read_transcript(tracker, "s").turns] == ["No"]


def test_a_missing_or_unreadable_tracker_gives_an_empty_transcript_with_a_note(tmp_path: Path) -> None:
    assert read_transcript(tmp_path / "absent.db", "s").note == NO_TRACKER
    assert read_transcript(None, "s").note == NO_TRACKER
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"this is not a database" * 100)
    assert read_transcript(garbage, "s").turns == ()
    assert read_transcript(garbage, "s").note == UNREADABLE
    tracker = make_tracker(tmp_path / "tracker.db")
    assert read_transcript(tracker, "nobody").note == NO_TURNS


def test_answers_link_to_the_nearest_matching_turn_before_they_were_stored(tmp_path: Path) -> None:
    tracker = make_tracker(tmp_path / "tracker.db")
    conversation(tracker, "s", T0)
    # The practitioner went back and typed the same answer again later: the later answer is the later turn.
    add_events(
        tracker,
        "s",
        [
            ("bot", T0 + timedelta(minutes=5), bot("What did the young person say?")),
            ("user", T0 + timedelta(minutes=5, seconds=1), user(VERBATIM.strip(), typed=VERBATIM)),
        ],
    )
    transcript = read_transcript(tracker, "s")
    early = link_answers(
        transcript,
        [
            answer("said", VERBATIM, T0 + timedelta(seconds=5)),
            answer("before", "Yes", T0 + timedelta(seconds=8)),
            answer("never-said", "Not in the transcript", T0 + timedelta(minutes=9)),
        ],
    )
    assert early.links == {"said": 3, "before": 5}
    assert early.turns[2].answers == ("said",)
    late = link_answers(transcript, [answer("said", VERBATIM, T0 + timedelta(minutes=5, seconds=2))])
    assert late.links == {"said": 8}
    assert link_answers(transcript, [answer("said", VERBATIM, T0 - timedelta(minutes=1))]).links == {}


def test_a_button_answer_links_through_the_label_of_the_button_pressed(tmp_path: Path) -> None:
    tracker = make_tracker(tmp_path / "tracker.db")
    buttons = [{"title": "Not sure", "payload": "/choose_unsure"}]
    add_events(
        tracker,
        "s",
        [
            ("bot", T0, bot("Is the family known?", buttons)),
            ("user", T0 + timedelta(seconds=1), user("/choose_unsure")),
        ],
    )
    linked = link_answers(
        read_transcript(tracker, "s"), [answer("known", "Not sure", T0 + timedelta(seconds=2))]
    )
    assert linked.links == {"known": 2}


def _tracker_for(settings: Settings, store: Store, case: Case) -> None:
    record = store.assessments.get_assessment(case.conversation_id)
    assert record is not None
    first = min(a.recorded_at for a in record.answers.values())
    tracker = settings.engine_tracker_db
    if not tracker.exists():
        make_tracker(tracker)
    conversation(tracker, case.conversation_id, first - timedelta(seconds=20))


async def test_the_case_page_links_each_answer_to_its_turn_and_the_transcript_view_is_audited(
    as_user: AsUser,
    cases: dict[str, Case],
    settings: Settings,
    store: Store,
    sessions: sessionmaker[Session],
) -> None:
    case = cases["north-live"]
    _tracker_for(settings, store, case)
    client = await as_user("north-lead")

    body = await page(client, f"/cases/{case.id}")
    assert f'href="/cases/{case.id}/transcript#turn-3"' in body
    assert f'href="/cases/{case.id}/transcript#turn-5"' in body
    answers = body[body.index('id="answers"') :]
    assert answers.count("See in transcript") == 2
    # Issue #18: the dated answer is linked to its turn from the chronology too.
    chronology = body[body.index('id="chronology"') : body.index('id="answers"')]
    assert f'href="/cases/{case.id}/transcript#turn-3"' in chronology
    assert chronology.count("See in transcript") == 1

    transcript = await page(client, f"/cases/{case.id}/transcript")
    assert 'id="turn-3"' in transcript and 'id="turn-6"' in transcript
    assert str(escape(VERBATIM)) in transcript
    assert "Choices offered: Yes, No, Skip" in transcript
    with sessions() as session:
        events = list(session.scalars(select(AuditEvent).where(AuditEvent.action == "transcript.viewed")))
    assert [(e.assessment_id, e.actor_id) for e in events] == [
        (case.id, str(client_user_id(store, "north-lead")))
    ]


async def test_without_a_tracker_file_the_transcript_page_says_so(
    as_user: AsUser, cases: dict[str, Case]
) -> None:
    client = await as_user("north-lead")
    body = await page(client, f"/cases/{cases['north-live'].id}/transcript")
    assert 'id="transcript-note"' in body and str(escape(NO_TRACKER)) in body
    assert "See in transcript" not in await page(client, f"/cases/{cases['north-live'].id}")


async def test_another_teams_transcript_is_refused_and_the_attempt_audited(
    as_user: AsUser, cases: dict[str, Case], sessions: sessionmaker[Session]
) -> None:
    client = await as_user("south-lead")
    await page(client, f"/cases/{cases['north-live'].id}/transcript", status=404)
    with sessions() as session:
        refused = list(
            session.scalars(select(AuditEvent).where(AuditEvent.action == "transcript.view_refused"))
        )
    assert [e.assessment_id for e in refused] == [cases["north-live"].id]


def client_user_id(store: Store, username: str) -> int:
    found = store.users.find_user(username)
    assert found is not None
    return found.id
