"""VAF tags on evidence items, through the review service: who may tag, what is stored, what is audited.

A real migrated SQLite store and the real ReviewService; the pages are tested in test_evidence_tag_pages.py.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from review_helpers import Case, make_case, make_user, tagged_answer
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.errors import ConflictError, NotFoundError, StoreError, ValidationError
from bot.domain.records import UserInfo
from bot.domain.vocabulary import MAX_TAG_NOTE_CHARS, VAF_DIMENSIONS
from bot.questions import QuestionBank
from bot.questions.model import VAF_DIMENSIONS as BANK_DIMENSIONS
from bot.review.case_json import to_json
from bot.review.errors import LeadsOnlyError
from bot.review.forms import DecisionIn, TagIn
from bot.review.pathway_records import PathwayIn
from bot.review.services import ReviewService
from bot.store.models import AuditEvent
from bot.store.review_models import EvidenceTag
from bot.store.services import Store

ADDRESS = "192.0.2.7"
# Leading and trailing spaces, a line break, characters HTML must escape: stored exactly as typed.
NOTE = '  Said "they\'ll pay" twice;\n<b>see</b> the 14 Feb entry. '
DECISION = DecisionIn(
    pathways=(PathwayIn("early_help", rationale="Early help fits.", shared="Nothing yet.", owner="Lead"),),
    lawful_bases=("art6_public_task",),
    consent="given",
)


@pytest.fixture
def review(sessions: sessionmaker[Session], bank: QuestionBank) -> ReviewService:
    return ReviewService(sessions, bank)


def form_for(store: Store, case: Case, *dimensions: str, note: str = "") -> TagIn:
    question_id, revision = tagged_answer(store, case)
    return TagIn(question_id, str(revision), dimensions, note)


def tags(sessions: sessionmaker[Session]) -> list[EvidenceTag]:
    with sessions() as session:
        return list(session.scalars(select(EvidenceTag).order_by(EvidenceTag.id)))


def events(sessions: sessionmaker[Session], *actions: str) -> list[AuditEvent]:
    with sessions() as session:
        return list(
            session.scalars(select(AuditEvent).where(AuditEvent.action.in_(actions)).order_by(AuditEvent.id))
        )


def audit_count(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def test_the_vocabulary_matches_the_question_banks_dimensions() -> None:
    assert tuple(VAF_DIMENSIONS) == BANK_DIMENSIONS


def test_a_lead_tags_an_answer_with_dimensions_and_a_verbatim_note(
    review: ReviewService,
    store: Store,
    people: dict[str, UserInfo],
    cases: dict[str, Case],
    sessions: sessionmaker[Session],
) -> None:
    case, lead = cases["north-live"], people["north-lead"]
    form = form_for(store, case, "engagement", "intent", note=NOTE)

    result = review.tag_evidence(lead.id, ADDRESS, case.id, form)

    assert result.added == ("engagement", "intent") and result.unchanged == ()
    rows = tags(sessions)
    assert [(r.dimension, r.question_id, r.answer_revision) for r in rows] == [
        ("engagement", form.question_id, 1),
        ("intent", form.question_id, 1),
    ]
    assert all(r.note == NOTE for r in rows)  # byte for byte, never trimmed
    assert all(r.tagged_by == lead.id and r.removed_at is None for r in rows)
    view = review.open_case(lead.id, ADDRESS, case.id)
    [answer] = [a for s in view.sections for a in s.answers if a.question_id == form.question_id]
    assert [(t.dimension, t.note, t.tagged_by) for t in answer.tags] == [
        ("engagement", NOTE, "north-lead"),
        ("intent", NOTE, "north-lead"),
    ]
    groups = {g.dimension: [item.answer.question_id for item in g.evidence] for g in view.tag_groups}
    assert groups == {"engagement": [form.question_id], "intent": [form.question_id], "capability": []}
    assert view.shows_tags and view.can_tag


def test_each_tag_is_audited_with_ids_and_labels_never_the_note(
    review: ReviewService,
    store: Store,
    people: dict[str, UserInfo],
    cases: dict[str, Case],
    sessions: sessionmaker[Session],
) -> None:
    case, lead = cases["north-live"], people["north-lead"]
    review.tag_evidence(lead.id, ADDRESS, case.id, form_for(store, case, "capability", note=NOTE))
    [tag] = tags(sessions)
    [event] = events(sessions, "evidence.tagged")
    assert (event.actor_kind, event.actor_id, event.user_id) == ("user", str(lead.id), lead.id)
    assert event.assessment_id == case.id and event.conversation_id == case.conversation_id
    assert event.detail["tag_id"] == tag.id and event.detail["dimension"] == "capability"
    assert event.detail["question_id"] == tag.question_id and event.detail["answer_revision"] == 1
    assert event.detail["has_note"] is True and event.detail["address"] == ADDRESS
    assert "they'll pay" not in json.dumps(event.detail) and "14 Feb" not in json.dumps(event.detail)

    assert review.remove_tag(lead.id, ADDRESS, case.id, tag.id) is True
    [removed] = events(sessions, "evidence.untagged")
    assert removed.detail["tag_id"] == tag.id and removed.detail["dimension"] == "capability"
    assert "they'll pay" not in json.dumps(removed.detail)


def test_tagging_twice_is_a_no_op(
    review: ReviewService,
    store: Store,
    people: dict[str, UserInfo],
    cases: dict[str, Case],
    sessions: sessionmaker[Session],
) -> None:
    case, lead = cases["north-live"], people["north-lead"]
    review.tag_evidence(lead.id, ADDRESS, case.id, form_for(store, case, "intent", note="first"))
    before = audit_count(sessions)

    again = review.tag_evidence(lead.id, ADDRESS, case.id, form_for(store, case, "intent", note="second"))
    assert again.added == () and again.unchanged == ("intent",)
    assert audit_count(sessions) == before  # nothing changed, so nothing to record
    # Partly new: only the new dimension is added; the same dimension twice in one form counts once.
    mixed = review.tag_evidence(
        lead.id, ADDRESS, case.id, form_for(store, case, "intent", "engagement", "engagement")
    )
    assert mixed.added == ("engagement",) and mixed.unchanged == ("intent",)
    assert [(t.dimension, t.note) for t in tags(sessions)] == [("intent", "first"), ("engagement", None)]
    # Another lead of the same team tagging the same dimension is the same no-op: the tag is the team's.
    colleague = make_user(store, "north-lead-2", "lead", "North team")
    assert review.tag_evidence(colleague.id, ADDRESS, case.id, form_for(store, case, "intent")).added == ()


def test_a_removed_tag_is_kept_and_the_dimension_can_be_tagged_again(
    review: ReviewService,
    store: Store,
    people: dict[str, UserInfo],
    cases: dict[str, Case],
    sessions: sessionmaker[Session],
) -> None:
    case, lead = cases["north-live"], people["north-lead"]
    review.tag_evidence(lead.id, ADDRESS, case.id, form_for(store, case, "intent"))
    [tag] = tags(sessions)
    assert review.remove_tag(lead.id, ADDRESS, case.id, tag.id) is True
    before = audit_count(sessions)
    assert review.remove_tag(lead.id, ADDRESS, case.id, tag.id) is False  # already removed: no change
    assert audit_count(sessions) == before
    [kept] = tags(sessions)
    assert kept.removed_by == lead.id and kept.removed_at is not None and kept.dimension == "intent"
    view = review.open_case(lead.id, ADDRESS, case.id)
    assert all(not a.tags for s in view.sections for a in s.answers)

    review.tag_evidence(lead.id, ADDRESS, case.id, form_for(store, case, "intent"))
    assert [(t.dimension, t.removed_at is None) for t in tags(sessions)] == [
        ("intent", False),
        ("intent", True),
    ]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"dimensions": ()}, "dimensions", "Select at least one dimension"),
        ({"dimensions": ("intent", "risk")}, "dimensions", "Select dimensions from the list"),
        ({"note": "x" * (MAX_TAG_NOTE_CHARS + 1)}, "note", f"{MAX_TAG_NOTE_CHARS} characters or fewer"),
        ({"note": "bad\x00note"}, "note", "NUL character"),
        ({"question_id": "no_such_question"}, "answers", "There is no answer to that question"),
        ({"question_id": "<script>"}, "answers", "There is no answer to that question"),
        ({"revision": ""}, "answers", "which version of the answer"),
        ({"revision": "1e3"}, "answers", "which version of the answer"),
    ],
)
def test_bad_input_gets_a_message_and_changes_nothing(
    review: ReviewService,
    store: Store,
    people: dict[str, UserInfo],
    cases: dict[str, Case],
    sessions: sessionmaker[Session],
    change: dict[str, object],
    field: str,
    message: str,
) -> None:
    case, lead = cases["north-live"], people["north-lead"]
    form = form_for(store, case, "intent", note="ok")
    review.open_case(lead.id, ADDRESS, case.id)  # the referral exists, so only the tag could change
    before = audit_count(sessions)

    with pytest.raises(ValidationError) as raised:
        review.tag_evidence(lead.id, ADDRESS, case.id, replace(form, **change))  # type: ignore[arg-type]

    key = field if field == "answers" else f"tag-{form.question_id}-{field}"
    assert message in raised.value.fields[key]
    assert tags(sessions) == [] and audit_count(sessions) == before


def test_a_note_at_the_limit_is_stored_and_spaces_alone_are_no_note(
    review: ReviewService,
    store: Store,
    people: dict[str, UserInfo],
    cases: dict[str, Case],
    sessions: sessionmaker[Session],
) -> None:
    case, lead = cases["north-live"], people["north-lead"]
    review.tag_evidence(
        lead.id, ADDRESS, case.id, form_for(store, case, "intent", note="é" * MAX_TAG_NOTE_CHARS)
    )
    review.tag_evidence(lead.id, ADDRESS, case.id, form_for(store, case, "capability", note="   "))
    assert [t.note for t in tags(sessions)] == ["é" * MAX_TAG_NOTE_CHARS, None]


def test_a_tag_for_an_out_of_date_version_of_the_answer_is_refused(
    review: ReviewService,
    store: Store,
    people: dict[str, UserInfo],
    cases: dict[str, Case],
    sessions: sessionmaker[Session],
) -> None:
    case, lead = cases["north-live"], people["north-lead"]
    form = form_for(store, case, "intent")
    with pytest.raises(ConflictError, match="changed since you opened the page"):
        review.tag_evidence(lead.id, ADDRESS, case.id, replace(form, revision="2"))
    assert tags(sessions) == []


def test_another_teams_lead_is_refused_by_id_and_the_attempt_audited(
    review: ReviewService,
    store: Store,
    people: dict[str, UserInfo],
    cases: dict[str, Case],
    sessions: sessionmaker[Session],
) -> None:
    north_case, south_lead = cases["north-live"], people["south-lead"]
    with pytest.raises(NotFoundError):
        review.tag_evidence(south_lead.id, ADDRESS, north_case.id, form_for(store, north_case, "intent"))
    review.tag_evidence(
        people["north-lead"].id, ADDRESS, north_case.id, form_for(store, north_case, "intent")
    )
    [tag] = tags(sessions)
    with pytest.raises(NotFoundError):
        review.remove_tag(south_lead.id, ADDRESS, north_case.id, tag.id)
    # Nor through a case of their own: a tag is reached only through the case it belongs to.
    south_case = cases["south-live"]
    with pytest.raises(NotFoundError):
        review.remove_tag(south_lead.id, ADDRESS, south_case.id, tag.id)
    assert tags(sessions)[0].removed_at is None
    refused = events(sessions, "case.tag_refused")
    assert [(e.user_id, e.assessment_id) for e in refused] == [
        (south_lead.id, north_case.id),
        (south_lead.id, north_case.id),
        (south_lead.id, south_case.id),
    ]
    assert refused[2].detail["tag_id"] == tag.id


@pytest.mark.parametrize(
    ("who", "case_name", "error"),
    [
        ("north-trainer", "north-rehearsal", LeadsOnlyError),  # a case the trainer may open: "leads only"
        ("north-trainer", "north-live", NotFoundError),  # a live case is outside a trainer's scope
        ("north-practitioner", "north-live", LeadsOnlyError),  # their own case: still not theirs to tag
        ("north-practitioner", "north-colleague-live", NotFoundError),
        ("north-admin", "north-live", NotFoundError),  # admins see no case content at all
        ("north-lead", "north-in-progress", NotFoundError),  # not submitted: not a case yet
        ("north-lead", "north-rehearsal", NotFoundError),  # leads never see rehearsal cases
    ],
)
def test_only_a_lead_may_tag_a_submitted_live_case_of_their_team(
    review: ReviewService,
    store: Store,
    people: dict[str, UserInfo],
    cases: dict[str, Case],
    sessions: sessionmaker[Session],
    who: str,
    case_name: str,
    error: type[StoreError],
) -> None:
    case, user = cases[case_name], people[who]
    with pytest.raises(error) as raised:
        review.tag_evidence(user.id, ADDRESS, case.id, form_for(store, case, "intent"))
    assert type(raised.value) is error
    with pytest.raises(error):
        review.remove_tag(user.id, ADDRESS, case.id, 1)
    assert tags(sessions) == []
    refused = events(sessions, "case.tag_refused")
    assert [(e.user_id, e.assessment_id) for e in refused] == [(user.id, case.id)] * 2


def test_a_trainer_and_a_practitioner_never_see_tags(
    review: ReviewService, store: Store, people: dict[str, UserInfo], cases: dict[str, Case]
) -> None:
    case = cases["north-live"]
    review.tag_evidence(people["north-lead"].id, ADDRESS, case.id, form_for(store, case, "intent", note=NOTE))
    view = review.open_case(people["north-practitioner"].id, ADDRESS, case.id)
    assert not view.shows_tags and not view.can_tag and view.tag_groups == ()
    assert all(not a.tags for s in view.sections for a in s.answers)
    export = to_json(review.export_case(people["north-practitioner"].id, ADDRESS, case.id, "json"))
    assert "evidence_tags" not in export and "they'll pay" not in json.dumps(export)
    rehearsal = review.open_case(people["north-trainer"].id, ADDRESS, cases["north-rehearsal"].id)
    assert not rehearsal.shows_tags and not rehearsal.can_tag


def test_a_closed_case_keeps_its_tags_until_reopened(
    review: ReviewService,
    store: Store,
    people: dict[str, UserInfo],
    cases: dict[str, Case],
    sessions: sessionmaker[Session],
) -> None:
    case, lead = cases["north-live"], people["north-lead"]
    review.tag_evidence(lead.id, ADDRESS, case.id, form_for(store, case, "intent"))
    [tag] = tags(sessions)
    review.record_decision(lead.id, ADDRESS, case.id, DECISION)
    review.close_case(lead.id, ADDRESS, case.id)
    with pytest.raises(ConflictError, match="closed"):
        review.tag_evidence(lead.id, ADDRESS, case.id, form_for(store, case, "capability"))
    with pytest.raises(ConflictError, match="closed"):
        review.remove_tag(lead.id, ADDRESS, case.id, tag.id)
    assert [(t.dimension, t.removed_at) for t in tags(sessions)] == [("intent", None)]
    view = review.open_case(lead.id, ADDRESS, case.id)
    assert view.shows_tags and not view.can_tag

    review.reopen_case(lead.id, ADDRESS, case.id, "New information.")
    assert review.remove_tag(lead.id, ADDRESS, case.id, tag.id) is True


def test_tagging_before_the_case_was_opened_puts_it_in_review(
    review: ReviewService, store: Store, people: dict[str, UserInfo], cases: dict[str, Case]
) -> None:
    case, lead = cases["north-colleague-live"], people["north-lead"]
    review.tag_evidence(lead.id, ADDRESS, case.id, form_for(store, case, "engagement"))
    assert review.open_case(lead.id, ADDRESS, case.id).status == "in_review"


def test_the_change_history_names_the_dimension_and_answer_but_not_the_note(
    review: ReviewService,
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
    cases: dict[str, Case],
    sessions: sessionmaker[Session],
) -> None:
    case, lead = cases["north-live"], people["north-lead"]
    form = form_for(store, case, "engagement", note=NOTE)
    review.tag_evidence(lead.id, ADDRESS, case.id, form)
    [tag] = tags(sessions)
    review.remove_tag(lead.id, ADDRESS, case.id, tag.id)
    history = review.open_case(lead.id, ADDRESS, case.id).history
    wording = bank.question(form.question_id).text
    changes = [(e.action, e.about) for e in history if e.action.startswith("evidence.")]
    about = f'Engagement, on the answer to "{wording}" (version 1)'
    assert changes == [("evidence.untagged", about), ("evidence.tagged", about)]  # newest first
    assert all("they'll pay" not in (e.about or "") for e in history)


def test_a_second_case_with_the_same_question_is_tagged_apart(
    review: ReviewService,
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
    sessions: sessionmaker[Session],
) -> None:
    lead = people["north-lead"]
    first = make_case(store, bank, people["north-practitioner"])
    second = make_case(store, bank, people["north-practitioner"])
    review.tag_evidence(lead.id, ADDRESS, first.id, form_for(store, first, "intent"))
    assert review.tag_evidence(lead.id, ADDRESS, second.id, form_for(store, second, "intent")).added == (
        "intent",
    )
    assert sorted(t.assessment_id for t in tags(sessions)) == sorted([first.id, second.id])
