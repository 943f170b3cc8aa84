"""The JSON export of a case document: what the lead's "Download JSON" and `bot assessments export` write.

The first four keys are the store's own export (`bot.store.export.export_json`), so a reader of either finds
the answers and every revision in the same place. Dates are ISO 8601; free text is exactly as stored. Each
answer revision adds `shown`, what the case page shows of it: a single or multiple choice answer's option
labels ("Online, Friends"), whatever was typed ("1, 3"; still in `text`).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.domain.pathways import outcome_label
from bot.domain.vocabulary import LAWFUL_BASES, PATHWAYS, SHARING_METHODS
from bot.questions.completeness import PART_WORDS, Completeness, ConcernGap, Found, NeedGap
from bot.review.chronology import ChildView, ChronologyItem
from bot.review.family_needs import FamilyNeed
from bot.review.formats import day_range
from bot.review.next_records import WhatNext
from bot.review.partners import partner_name
from bot.review.records import AnswerView, CaseDocument, ConcernEvidence, DecisionView, TagView
from bot.store.export import export_json


def to_json(document: CaseDocument) -> dict[str, Any]:
    data = export_json(document.record, document.answer_history, document.made_at)
    for history in data["answers"]:
        for revision in history["revisions"]:
            key = (history["question_id"], revision["revision"])
            revision["shown"] = document.revision_words.get(key, revision["text"])
    data["referral_status"] = document.status
    data["concerns"] = [_concern(item) for item in document.concerns]
    data["family_needs"] = [_family_need(item) for item in document.family_needs]
    data["still_missing"] = still_missing_json(document.completeness)
    data["decisions"] = [_decision(view, reviewer=document.audience.reviewer) for view in document.decisions]
    if document.audience.tags:
        data["evidence_tags"] = [_tag(tag) for tag in document.all_tags]
    if document.audience.follow_up:
        data["urgent_responses"] = [
            {"responded_by": r.by, "note": r.note, "recorded_at": r.at.isoformat()}
            for r in document.responses
        ]
        # Issue #26: "not an emergency", in the lead's words; the flags above stay in `urgent_messages`.
        data["urgent_stand_downs"] = [
            {"stood_down_by": s.by, "reason": s.reason, "stood_down_at": s.at.isoformat()}
            for s in document.stand_downs
        ]
    if document.what_next is not None:
        data["what_happened_next"] = what_next_json(document.what_next)
    if document.child is not None:
        data["child"] = child_json(document.child)
    data["transcript"] = document.transcript.to_json()
    return data


def child_json(child: ChildView) -> dict[str, Any]:
    """Issue #12 (a lead's export only): the council case-record ID, the assignment, and the child's
    chronology across every linked referral of the lead's scope, oldest first, words exactly as stored."""
    chronology = child.chronology
    return {
        "case_record_id": child.case_record_id,
        "assigned_to": child.assigned_to,
        "assigned_at": child.assigned_at.isoformat() if child.assigned_at else None,
        "chronology": None
        if chronology is None
        else {
            "case_record_id": chronology.case_record_id,
            "referrals": [{"id": case.id, "reference": case.reference} for case in chronology.cases],
            "items": [_chronology_item(item) for item in chronology.items],
            "undated": [_chronology_item(item) for item in chronology.undated],
        },
    }


def _chronology_item(item: ChronologyItem) -> dict[str, Any]:
    """One item; a rough date keeps its range (`on` its first day, `until` its last, `when` both in words)
    beside the words as typed, and an undated one has `on` None rather than a day nobody said."""
    return {
        "on": _iso_day(item.on),
        "until": _iso_day(item.until),
        "when": day_range(item.on, item.until) if item.on else None,
        "at": item.at.isoformat() if item.at else None,
        "kind": item.kind,
        "what": item.what,
        "words": item.words,
        "question_id": item.question_id,
        "transcript_turn": item.turn,
        "referral": item.case.reference,
    }


def what_next_json(what: WhatNext) -> dict[str, Any]:
    """Issue #12: the sharing log, outcomes and reviews, oldest first; free text verbatim, keys labelled."""
    return {
        "sharing": [
            {
                "id": s.id,
                "shared_what": s.shared_what,
                "recipient": s.recipient,
                "partner": s.partner,
                "partner_name": partner_name(s.partner),
                "shared_on": s.shared_on.isoformat(),
                "method": s.method,
                "method_label": SHARING_METHODS[s.method],
                "lawful_basis": s.lawful_basis,
                "lawful_basis_label": LAWFUL_BASES[s.lawful_basis],
                "pathway": s.pathway,
                "corrects": s.corrects_id,
                "recorded_by": s.recorded_by,
                "recorded_at": s.recorded_at.isoformat(),
            }
            for s in what.sharing
        ],
        "outcomes": [
            {
                "id": o.id,
                "pathway": o.pathway,
                "outcome": o.outcome,
                "outcome_label": outcome_label(o.pathway, o.outcome),
                "outcome_on": o.outcome_on.isoformat(),
                "note": o.note,
                "corrects": o.corrects_id,
                "recorded_by": o.recorded_by,
                "recorded_at": o.recorded_at.isoformat(),
            }
            for o in what.outcomes
        ],
        "reviews": [
            {
                "due_on": r.due_on.isoformat(),
                "source": r.source,
                "state": r.state,
                "reminded_at": r.reminded_at.isoformat() if r.reminded_at else None,
            }
            for r in what.reviews
        ],
    }


def _concern(item: ConcernEvidence) -> dict[str, Any]:
    """A concern with its evidence (issue #18): the words as typed, the date as typed with its range."""
    when = item.when
    return {
        "question_id": item.concern.question_id,
        "question": item.concern.wording,
        "answer": item.concern.shown,
        "status": item.concern.status,
        "what": _words(item.what),
        "when": None
        if when is None
        else {
            "as_typed": when.text if when.status == "answered" else None,
            "status": when.status,
            "earliest": _iso_day(item.earliest),
            "latest": _iso_day(item.latest),
        },
        "how_known": _words(item.how),
        "who_told": _words(item.who),
    }


def _family_need(item: FamilyNeed) -> dict[str, Any]:
    """A need of the family ticked, its own record (issue #18): words as typed, the date with its range."""
    since = item.since
    return {
        "need": item.need_value,
        "need_label": item.need,
        "who": _words(item.who),
        "what": _words(item.what),
        "how_known": _words(item.how),
        "who_told": _words(item.told_by),
        "since": None
        if since is None
        else {
            "as_typed": since.text if since.status == "answered" else None,
            "status": since.status,
            "earliest": _iso_day(item.earliest),
            "latest": _iso_day(item.latest),
        },
        "service": _words(item.service),
    }


def still_missing_json(found: Completeness) -> dict[str, Any]:
    """What the record lacks (issue #18), as facts: each concern or need with the parts it lacks, the
    questions skipped or answered "not sure", and, for a case not yet submitted, the follow-ups not asked yet
    (not missing: they may still be answered). Never a count, a percentage or a rating."""
    return {
        "still_in_progress": found.in_progress,  # not yet submitted: not-reached follow-ups are apart
        "concerns": [_gap(gap, gap.missing) for gap in found.concerns],
        "family_needs": [_gap(gap, gap.missing) for gap in found.needs],
        "skipped": [{"question_id": q.id, "question": q.text} for q in found.skipped],
        "not_sure": [{"question_id": q.id, "question": q.text} for q in found.not_sure],
        "not_reached": [_gap(gap, gap.not_reached) for gap in found.not_reached],
    }


def _gap(gap: ConcernGap | NeedGap, parts: Found) -> dict[str, Any]:
    subject = (
        {"kind": "concern", "question_id": gap.concern.id, "question": gap.concern.text}
        if isinstance(gap, ConcernGap)
        else {"kind": "family_need", "need": gap.need_value, "need_label": gap.need}
    )
    return subject | {
        "lacks": [{"part": part.value, "words": PART_WORDS[part], "question_id": q.id} for part, q in parts]
    }


def _words(view: AnswerView | None) -> str | None:
    """What the page shows of an answer; None when it was not given."""
    return None if view is None or view.status == "skipped" else view.shown


def _tag(tag: TagView) -> dict[str, Any]:
    """A tag for a lead's export, removed ones included so the export carries the tagging history."""
    return {
        "id": tag.id,
        "question_id": tag.question_id,
        "answer_revision": tag.answer_revision,
        "dimension": tag.dimension,
        "note": tag.note,
        "tagged_by": tag.tagged_by,
        "tagged_at": tag.tagged_at.isoformat(),
        "removed_by": tag.removed_by,
        "removed_at": None if tag.removed_at is None else tag.removed_at.isoformat(),
    }


def _decision(view: DecisionView, *, reviewer: bool) -> dict[str, Any]:
    """A decision; a practitioner's copy carries only what their case page shows them."""
    data: dict[str, Any] = {
        "decided_by": view.decided_by,
        "decided_at": view.decided_at.isoformat(),
        # Issue #12: the submission it was made on (a decision on the screening stays beside a later one).
        "made_on": "screening" if view.made_on_screening else "full",
        "feedback": view.feedback,
        "feedback_given_on": _iso_day(view.feedback_given_on),
    }
    if reviewer:
        data |= {
            # Every pathway the lead chose, each with its own words; a partner by its directory name too.
            "pathways": [
                {
                    "pathway": p.key,
                    "label": PATHWAYS.get(p.key, p.key),
                    "rationale": p.rationale,
                    "shared": p.shared,
                    "owner": p.owner,
                    "partner": p.partner,
                    "partner_name": partner_name(p.partner),
                }
                for p in view.pathways
            ],
            "lawful_bases": list(view.lawful_bases),
            "consent": view.consent,
            "consent_reason": view.consent_reason,
            "review_date": _iso_day(view.review_date),
            "actions": [
                {"description": a.description, "owner": a.owner, "due_date": a.due_date.isoformat()}
                for a in view.actions
            ],
        }
    return data


def _iso_day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()
