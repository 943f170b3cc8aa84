"""Every value of every vocabulary is accepted by a migrated database, and a value outside it is refused.

Why (issue #29, point 5): the models build their CHECK constraints from the vocabularies, but a database's
constraints come from the migrations, and Alembic's comparison does not read CHECK text. Adding a pathway,
role, consent decision, VAF dimension or notice purpose without a migration that widens the constraint
passed every other test and failed on first use in production. Here each value is written through the ORM
into a database upgraded by the real migrations (`alembic upgrade head`, via the shared fixtures), on SQLite
and on PostgreSQL.

The expected values come from the vocabularies themselves (bot/domain), never from the constraint text, so
a new value with no migration fails here. `test_every_check_is_covered` fails when a new `IN (...)` CHECK
appears without a case below, and when a model's CHECK and its vocabulary disagree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import CheckConstraint
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.audit_chain import GENESIS
from bot.domain.records import (
    ANSWER_STATUSES,
    ASSESSMENT_STATUSES,
    CLI_ACTOR,
    DIRECTIONS,
    SERVICE_ACTOR,
    WITHDRAWN,
    Actor,
)
from bot.domain.roles import MODES, ROLES
from bot.domain.vocabulary import (
    CONSENT_DECISIONS,
    LAWFUL_BASES,
    NOTICE_CHANNELS,
    NOTICE_PURPOSES,
    NOTICE_STATES,
    OUTCOME_KEYS,
    PATHWAYS,
    REFERRAL_STATUSES,
    REVIEW_SOURCES,
    SHARING_METHODS,
    VAF_DIMENSIONS,
)
from bot.store import db
from bot.store.document_models import DOCUMENT_KINDS, ReferralDocument
from bot.store.models import (
    Answer,
    Assessment,
    AuditEvent,
    Base,
    ChatMessageRow,
    Conversation,
    Team,
    User,
)
from bot.store.outcome_models import CaseReview, PathwayOutcome, SharingEntry
from bot.store.review_models import (
    _SINGLE_PATHWAYS,
    Decision,
    DecisionPathway,
    EvidenceTag,
    Referral,
    ReferralStatusChange,
)
from bot.store.urgent_models import Notification

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
# Short enough for every column it is tried in (PostgreSQL would otherwise refuse it for its length).
NOT_IN_ANY_VOCABULARY = "zz"


@dataclass
class Parents:
    """The rows a vocabulary row hangs off (foreign keys are enforced on both backends)."""

    team_id: int
    user_id: int
    assessment_id: int
    referral_id: int
    decision_id: int
    decision_pathway_id: int


def _assessment(session: Session, team_id: int, user_id: int, **changes: Any) -> Assessment:
    """A new conversation and its assessment (each needs its own: both are unique per conversation)."""
    number = session.query(Conversation).count() + 1
    conversation = Conversation(sender_id=f"sender-{number}", user_id=user_id, channel="web", created_at=NOW)
    session.add(conversation)
    session.flush()
    fields: dict[str, Any] = {
        "reference": f"REF-{number:04d}",
        "conversation_id": conversation.id,
        "practitioner_id": user_id,
        "team_id": team_id,
        "mode": "live",
        "status": "submitted",
        "bank_version": "2026.1",
        "created_at": NOW,
        "updated_at": NOW,
        "submitted_at": NOW,
    }
    fields.update(changes)
    assessment = Assessment(**fields)
    session.add(assessment)
    session.flush()
    return assessment


def _answer(assessment_id: int, question_id: str, status: str = "answered") -> Answer:
    return Answer(
        assessment_id=assessment_id,
        question_id=question_id,
        revision=1,
        wording="What did the young person say or do?",
        text="He said it twice.",
        value="He said it twice.",
        status=status,
        recorded_at=NOW,
    )


def _make_parents(session: Session) -> Parents:
    team = Team(name="North Team", created_at=NOW)
    session.add(team)
    session.flush()
    lead = User(username="lee.lead", password_hash="x", role="lead", team_id=team.id, created_at=NOW)
    session.add(lead)
    session.flush()
    assessment = _assessment(session, team.id, lead.id)
    session.add(_answer(assessment.id, "q1"))
    referral = Referral(assessment_id=assessment.id, status="in_review", created_at=NOW, updated_at=NOW)
    session.add(referral)
    session.flush()
    decision = Decision(
        referral_id=referral.id, decided_by=lead.id, decided_at=NOW, lawful_bases=[], consent="given"
    )
    session.add(decision)
    session.flush()
    chosen = DecisionPathway(decision_id=decision.id, position=1, pathway="early_help", rationale="Why.")
    session.add(chosen)
    session.flush()
    return Parents(team.id, lead.id, assessment.id, referral.id, decision.id, chosen.id)


Build = Callable[[Session, Parents, str], Any]


def _referral(session: Session, parents: Parents, value: str) -> Referral:
    assessment = _assessment(session, parents.team_id, parents.user_id)
    return Referral(assessment_id=assessment.id, status=value, created_at=NOW, updated_at=NOW)


def _notification(parents: Parents, **changes: str) -> Notification:
    fields: dict[str, Any] = {
        "assessment_id": parents.assessment_id,
        "recipient_id": parents.user_id,
        "purpose": "urgent_flag",
        "channel": "email",
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": NOW,
        "created_at": NOW,
    }
    fields.update(changes)
    return Notification(**fields)


def _decision(session: Session, parents: Parents) -> int:
    decision = Decision(
        referral_id=parents.referral_id,
        decided_by=parents.user_id,
        decided_at=NOW,
        lawful_bases=[],
        consent="given",
    )
    session.add(decision)
    session.flush()
    return decision.id


def _share(parents: Parents, **changes: str) -> SharingEntry:
    fields: dict[str, Any] = {
        "assessment_id": parents.assessment_id,
        "shared_what": "The referral form.",
        "recipient": "Police Prevent team",
        "shared_on": NOW.date(),
        "method": "email",
        "lawful_basis": "art6_public_task",
        "recorded_by": parents.user_id,
        "recorded_at": NOW,
    }
    fields.update(changes)
    return SharingEntry(**fields)


def _document(session: Session, parents: Parents, kind: str) -> ReferralDocument:
    """A document made from the parents' pathway, with the sharing-log entry that records its sending."""
    share = _share(parents)
    session.add(share)
    session.flush()
    return ReferralDocument(
        assessment_id=parents.assessment_id,
        kind=kind,
        decision_pathway_id=parents.decision_pathway_id,
        sharing_entry_id=share.id,
        made_by=parents.user_id,
        made_at=NOW,
    )


def _outcome(parents: Parents, **changes: str) -> PathwayOutcome:
    fields: dict[str, Any] = {
        "assessment_id": parents.assessment_id,
        "decision_pathway_id": parents.decision_pathway_id,
        "pathway": "early_help",
        "outcome": OUTCOME_KEYS[0],
        "outcome_on": NOW.date(),
        "recorded_by": parents.user_id,
        "recorded_at": NOW,
    }
    fields.update(changes)
    return PathwayOutcome(**fields)


# (table, column) -> the vocabulary's values, and a row carrying one of them. The values are read from the
# domain modules (and the loader of bot/domain/pathways.yaml, through PATHWAYS), never from a CHECK's text.
CASES: dict[tuple[str, str], tuple[tuple[str, ...], Build]] = {
    ("users", "role"): (
        ROLES,
        lambda s, p, v: User(
            username=f"someone-{v}", password_hash="x", role=v, team_id=p.team_id, created_at=NOW
        ),
    ),
    ("chat_messages", "direction"): (
        DIRECTIONS,
        lambda s, p, v: ChatMessageRow(
            conversation_id=s.get(Assessment, p.assessment_id).conversation_id,
            direction=v,
            text="",
            buttons=[],
            created_at=NOW,
        ),
    ),
    ("assessments", "mode"): (MODES, lambda s, p, v: _assessment(s, p.team_id, p.user_id, mode=v)),
    ("assessments", "status"): (
        ASSESSMENT_STATUSES,
        lambda s, p, v: _assessment(s, p.team_id, p.user_id, status=v),
    ),
    ("answers", "status"): (
        (*ANSWER_STATUSES, WITHDRAWN),
        lambda s, p, v: _answer(p.assessment_id, "q-status", status=v),
    ),
    ("audit_events", "actor_kind"): (
        tuple(actor.kind for actor in (Actor.user(1), SERVICE_ACTOR, CLI_ACTOR)),
        # Chain hashes are placeholders: this checks the column's vocabulary, not the chain.
        lambda s, p, v: AuditEvent(
            at=NOW, actor_kind=v, action="case.viewed", detail={}, prev_hash=GENESIS, hash=GENESIS
        ),
    ),
    ("referrals", "status"): (tuple(REFERRAL_STATUSES), _referral),
    ("referral_status_changes", "to_status"): (
        tuple(REFERRAL_STATUSES),
        lambda s, p, v: ReferralStatusChange(referral_id=p.referral_id, to_status=v, changed_at=NOW),
    ),
    # Written before revision 0015 only, and still checked: the old single-pathway list.
    ("decisions", "pathway"): (
        _SINGLE_PATHWAYS,
        lambda s, p, v: Decision(
            referral_id=p.referral_id,
            decided_by=p.user_id,
            decided_at=NOW,
            pathway=v,
            lawful_bases=[],
            consent="given",
        ),
    ),
    ("decisions", "consent"): (
        tuple(CONSENT_DECISIONS),
        lambda s, p, v: Decision(
            referral_id=p.referral_id, decided_by=p.user_id, decided_at=NOW, lawful_bases=[], consent=v
        ),
    ),
    ("decision_pathways", "pathway"): (
        tuple(PATHWAYS),
        # A decision of its own: the parents' decision has a pathway already, and each is once a decision.
        lambda s, p, v: DecisionPathway(decision_id=_decision(s, p), position=1, pathway=v, rationale="Why."),
    ),
    ("evidence_tags", "dimension"): (
        tuple(VAF_DIMENSIONS),
        lambda s, p, v: EvidenceTag(
            assessment_id=p.assessment_id,
            question_id="q1",
            answer_revision=1,
            dimension=v,
            tagged_by=p.user_id,
            tagged_at=NOW,
        ),
    ),
    ("notifications", "purpose"): (tuple(NOTICE_PURPOSES), lambda s, p, v: _notification(p, purpose=v)),
    ("notifications", "channel"): (tuple(NOTICE_CHANNELS), lambda s, p, v: _notification(p, channel=v)),
    ("notifications", "status"): (tuple(NOTICE_STATES), lambda s, p, v: _notification(p, status=v)),
    ("sharing_entries", "method"): (tuple(SHARING_METHODS), lambda s, p, v: _share(p, method=v)),
    ("sharing_entries", "lawful_basis"): (tuple(LAWFUL_BASES), lambda s, p, v: _share(p, lawful_basis=v)),
    ("pathway_outcomes", "pathway"): (tuple(PATHWAYS), lambda s, p, v: _outcome(p, pathway=v)),
    ("pathway_outcomes", "outcome"): (tuple(OUTCOME_KEYS), lambda s, p, v: _outcome(p, outcome=v)),
    ("referral_documents", "kind"): (DOCUMENT_KINDS, _document),
    ("case_reviews", "source"): (
        tuple(REVIEW_SOURCES),
        lambda s, p, v: CaseReview(assessment_id=p.assessment_id, due_on=NOW.date(), source=v, set_at=NOW),
    ),
}

_IN_CHECK = re.compile(r"^\s*(\w+) IN \((.*)\)\s*$")


def _model_in_checks() -> dict[tuple[str, str], tuple[str, ...]]:
    """Every `column IN ('a', 'b')` CHECK of the models, with its values."""
    found: dict[tuple[str, str], tuple[str, ...]] = {}
    for table in Base.metadata.sorted_tables:
        for constraint in table.constraints:
            if not isinstance(constraint, CheckConstraint):
                continue
            match = _IN_CHECK.match(str(constraint.sqltext))
            if match:
                values = tuple(re.findall(r"'([^']*)'", match.group(2)))
                found[(table.name, match.group(1))] = values
    return found


def test_every_check_is_covered() -> None:
    """A new vocabulary CHECK needs a case here, and each model's CHECK lists exactly its vocabulary."""
    checks = _model_in_checks()
    assert set(checks) == set(CASES)
    for key, values in checks.items():
        assert sorted(values) == sorted(CASES[key][0]), key


@pytest.fixture
def parents_and_sessions(database_url: str) -> Iterator[tuple[sessionmaker[Session], Parents]]:
    sessions = db.make_session_factory(database_url)
    with sessions() as session:
        parents = _make_parents(session)
        session.commit()
    yield sessions, parents
    sessions.kw["bind"].dispose()


def _write(sessions: sessionmaker[Session], parents: Parents, build: Build, value: str) -> None:
    """Insert one row carrying `value` in its own transaction, rolled back after (rows stay independent)."""
    with sessions() as session:
        try:
            session.add(build(session, parents, value))
            session.flush()
        finally:
            session.rollback()


@pytest.mark.parametrize("table_column", list(CASES), ids=lambda key: ".".join(key))
def test_every_vocabulary_value_is_accepted_and_no_other(
    table_column: tuple[str, str], parents_and_sessions: tuple[sessionmaker[Session], Parents]
) -> None:
    sessions, parents = parents_and_sessions
    values, build = CASES[table_column]
    refused = []
    for value in values:
        try:
            _write(sessions, parents, build, value)
        except IntegrityError as error:
            refused.append(f"{value!r}: {error.orig}")
    assert not refused, (
        f"{'.'.join(table_column)}: the migrated database refuses vocabulary values (a migration that "
        f"widens the CHECK constraint is missing): {refused}"
    )
    assert NOT_IN_ANY_VOCABULARY not in values
    with pytest.raises(IntegrityError):
        _write(sessions, parents, build, NOT_IN_ANY_VOCABULARY)
