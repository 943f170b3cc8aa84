"""One case, read once, as every rendering shows it: the case page, the PDF, the JSON export and the CLI.

Why one builder: the page and the exports used to assemble the sections, the chronology and the VAF groups
each in their own way, so a change to one (a withdrawn answer, a tag on an older version) could show on
screen and not on paper. Now `build` reads the case in the caller's transaction, in a fixed number of
statements however much it holds, and the renderers only lay it out: `case_json.to_json` for the export and
`bot assessments export`, `pdf.print_html` for the PDF, `review/case.html` for the page.

What a reader may see is decided here, from their `Audience`: a practitioner's copy carries no VAF tags, no
notices and no lead's reasoning. The renderers never decide it again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.dialogue.wording import answer_words
from bot.domain.case_status import case_status
from bot.domain.lifecycle import AssessmentStatus
from bot.domain.records import AssessmentRecord
from bot.domain.roles import Action, permits
from bot.questions import QuestionBank
from bot.questions.completeness import completeness
from bot.review import case_page
from bot.review.concerns import concerns
from bot.review.decision_basis import made_on_screening
from bot.review.family_needs import family_needs
from bot.review.links import links_of
from bot.review.next_reading import what_next_of
from bot.review.next_records import PathwayChoice
from bot.review.records import (
    Audience,
    CaseDocument,
    DangerDetailView,
    TagView,
    UrgentView,
    Viewer,
)
from bot.review.transcript import Transcript, link_answers, read_transcript
from bot.review.views import (
    decision_view,
    notice_view,
    response_view,
    stand_down_view,
    status_change_view,
    tag_view,
)
from bot.store import repository, review_reads
from bot.store.case_rows import CaseRow
from bot.store.review_rows import ReferralRow
from bot.tracker.database import TrackerPlace


def audience_of(viewer: Viewer) -> Audience:
    return Audience(
        reviewer=permits(viewer.role, Action.REVIEW_CASES),
        tags=permits(viewer.role, Action.TAG_EVIDENCE),
        follow_up=permits(viewer.role, Action.FOLLOW_URGENT_CASES),
    )


def build(
    session: Session,
    bank: QuestionBank,
    assessment: CaseRow,
    referral: ReferralRow | None,
    audience: Audience,
    *,
    now: datetime,
    tracker_db: TrackerPlace | None,
) -> CaseDocument:
    """The case as `audience` may read it; a referral's decisions and moves only once there is one."""
    record = repository.assessment_record(session, assessment)
    submitted = record.status == AssessmentStatus.SUBMITTED
    decisions = review_reads.decisions_of(session, referral.id) if referral else []
    changes = review_reads.status_changes_of(session, referral.id) if referral else []
    tag_rows = review_reads.tags_of(session, assessment.id) if audience.tags else []
    notices = review_reads.notices_of(session, assessment.id) if audience.follow_up else []
    responses = review_reads.responses_of(session, assessment.id) if audience.follow_up else []
    stand_downs = repository.stand_downs(session, assessment.id) if audience.follow_up else []
    names = review_reads.usernames(
        session,
        [
            *(d.decided_by for d in decisions),
            *(c.changed_by for c in changes),
            *(t.tagged_by for t in tag_rows),
            *(t.removed_by for t in tag_rows),
            *(n.recipient_id for n in notices),
            *(r.responded_by for r in responses),
        ],
    )
    actions = review_reads.actions_of(session, [d.id for d in decisions])
    on_screening = made_on_screening(assessment.submitted_stage, decisions, changes)
    pathways = review_reads.pathways_of(session, [d.id for d in decisions])
    what_next = None
    if audience.reviewer and submitted:
        standing = decisions[0] if decisions else None
        choices = tuple(PathwayChoice(p.id, p.pathway) for p in pathways[standing.id]) if standing else ()
        what_next = what_next_of(session, assessment.id, standing, choices, names, today=now.date())
    all_tags = tuple(tag_view(row, names) for row in tag_rows)
    sections = case_page.sections(bank, record, _active_tags(all_tags) if submitted else {})
    practitioner = assessment.practitioner
    histories = repository.answer_histories(session, assessment.id)
    adds_to, added_to_by = links_of(session, [assessment])[assessment.id]
    return CaseDocument(
        what_next=what_next,
        adds_to=adds_to,
        added_to_by=added_to_by,
        record=record,
        status=case_status(
            assessment.status, assessment.full_requested_at is not None, referral.status if referral else None
        ),
        audience=audience,
        made_at=now,
        sections=sections,
        chronology=case_page.chronology(bank, record),
        undated=case_page.undated(bank, record),
        concerns=concerns(bank, record, views := {a.question_id: a for s in sections for a in s.answers}),
        family_needs=family_needs(bank, record, views),
        completeness=completeness(bank, record.answer_values(), in_progress=not submitted),
        suggestions=case_page.next_steps(bank, record),
        answer_history=histories,
        decisions=tuple(
            decision_view(d, pathways[d.id], actions[d.id], names, made_on_screening=d.id in on_screening)
            for d in decisions
        ),
        status_changes=tuple(status_change_view(c, names) for c in changes),
        urgent_messages=tuple(
            UrgentView(m.text, m.flagged_at) for m in record.urgent_messages if m.question_id is None
        ),
        danger_details=tuple(
            DangerDetailView(m.question_id, m.wording or "", m.text, m.flagged_at)
            for m in record.urgent_messages
            if m.question_id is not None
        ),
        transcript=_transcript(tracker_db, record),
        all_tags=all_tags,
        tag_groups=case_page.tag_groups(sections) if audience.tags and submitted else (),
        notices=tuple(notice_view(n, names) for n in notices),
        responses=tuple(response_view(r, names) for r in responses),
        stand_downs=tuple(stand_down_view(row, name) for row, name in stand_downs),
        practitioner_email=practitioner.email if audience.reviewer and practitioner is not None else None,
        lead_unreached_at=assessment.lead_unreached_at if audience.reviewer else None,
        revision_words={
            (answer.question_id, answer.revision): answer_words(bank, answer)
            for history in histories
            for answer in history.revisions
        },
    )


def _active_tags(tags: tuple[TagView, ...]) -> dict[str, tuple[TagView, ...]]:
    active: dict[str, tuple[TagView, ...]] = {}
    for tag in tags:
        if tag.removed_at is None:
            active[tag.question_id] = (*active.get(tag.question_id, ()), tag)
    return active


def _transcript(tracker_db: TrackerPlace | None, record: AssessmentRecord) -> Transcript:
    """The engine's transcript, each answer linked to the turn that gave it."""
    return link_answers(read_transcript(tracker_db, record.conversation_id), record.answers.values())
