"""The review side of one seeded case (referral, status history, decisions, actions, VAF tags) and the audit
events each case gets, for the review pages benchmark.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import TYPE_CHECKING, Any

from bench.common import sentences
from bot.domain.vocabulary import CONSENT_DECISIONS, CONSENT_NEEDS_REASON, PATHWAYS, VAF_DIMENSIONS

if TYPE_CHECKING:
    from bench.review_pages_seeding import Seeder


def review_rows(
    seeder: Seeder,
    rows: dict[str, list[dict[str, Any]]],
    audit: Audit,
    assessment_id: int,
    practitioner: int,
    reviewer: int,
    submitted: dt.datetime,
    status: str,
    answers: list[dict[str, Any]],
    mode: str,
) -> None:
    rng = seeder.rng
    opened = min(seeder.now, submitted + dt.timedelta(hours=rng.uniform(1, 72)))
    referral_id = seeder.next_id("referrals")
    path = ["submitted", "in_review", "decided", "closed"][
        : ["in_review", "decided", "closed"].index(status) + 2
    ]
    changes = [(None, "submitted", practitioner, submitted)]
    at = opened
    for before, after in itertools.pairwise(path):
        changes.append((before, after, reviewer, at))
        at = min(seeder.now, at + dt.timedelta(hours=rng.uniform(1, 48)))
    rows["referrals"].append(
        {
            "id": referral_id,
            "assessment_id": assessment_id,
            "status": status,
            "created_at": opened,
            "updated_at": changes[-1][3],
        }
    )
    as_lead = {"actor": reviewer, "user_id": reviewer, "address": "127.0.0.1"}
    audit.add("referral.created", opened, referral_id=referral_id, **as_lead)
    for before, after, by, when in changes:
        rows["referral_status_changes"].append(
            {
                "id": seeder.next_id("referral_status_changes"),
                "referral_id": referral_id,
                "from_status": before,
                "to_status": after,
                "reason": None,
                "changed_by": by,
                "changed_at": when,
            }
        )
        if before is not None:
            audit.add("referral.status_changed", when, from_status=before, to_status=after, **as_lead)
    for _ in range(rng.randint(1, 4)):
        audit.add("case.viewed", opened + dt.timedelta(minutes=rng.uniform(0, 600)), **as_lead)
    if status in ("decided", "closed"):
        decided_at = changes[2][3]
        decision_id = seeder.next_id("decisions")
        consent = rng.choice(list(CONSENT_DECISIONS))
        rows["decisions"].append(
            {
                "id": decision_id,
                "referral_id": referral_id,
                "decided_by": reviewer,
                "decided_at": decided_at,
                "pathway": None,
                "rationale": None,
                "lawful_bases": ["art6_public_task", "art9_sch1_para18"],
                "consent": consent,
                "consent_reason": "Telling the family now could put the young person at risk."
                if consent in CONSENT_NEEDS_REASON
                else None,
                "review_date": (decided_at + dt.timedelta(days=42)).date(),
                "feedback": "Thank you: we are offering early help and will keep you informed.",
                "feedback_given_on": (decided_at + dt.timedelta(days=2)).date(),
            }
        )
        pathway = rng.choice(list(PATHWAYS))
        rows["decision_pathways"].append(
            {
                "id": seeder.next_id("decision_pathways"),
                "decision_id": decision_id,
                "position": 1,
                "pathway": pathway,
                "rationale": " ".join(rng.sample(sentences(), 4)),
                "shared": "The concern and the family's details, to the team named.",
                "owner": "DSL",
                "partner": "example_mentoring" if pathway == "community_partner" else None,
            }
        )
        for position in range(1, rng.randint(1, 3) + 1):
            rows["decision_actions"].append(
                {
                    "id": seeder.next_id("decision_actions"),
                    "decision_id": decision_id,
                    "position": position,
                    "description": "Arrange a meeting with the family and the school.",
                    "owner": "DSL",
                    "due_date": (decided_at + dt.timedelta(days=7 * position)).date(),
                }
            )
        audit.add("decision.recorded", decided_at, decision_id=decision_id, **as_lead)
        if seeder.tags and mode == "live":
            free_text = [a for a in answers if isinstance(a["value"], str) and a["status"] == "answered"]
            for answer, dimension in zip(
                rng.sample(free_text, min(3, len(free_text))),
                rng.sample(list(VAF_DIMENSIONS), 3),
                strict=False,
            ):
                rows["evidence_tags"].append(
                    {
                        "id": seeder.next_id("evidence_tags"),
                        "assessment_id": assessment_id,
                        "question_id": answer["question_id"],
                        "answer_revision": answer["revision"],
                        "dimension": dimension,
                        "note": None,
                        "tagged_by": reviewer,
                        "tagged_at": decided_at - dt.timedelta(minutes=5),
                        "removed_by": None,
                        "removed_at": None,
                    }
                )


class Audit:
    """The audit events one assessment gets, shaped as bot.store.audit.record_event writes them."""

    def __init__(self, seeder: Seeder, rows: list[dict[str, Any]], sender: str, assessment_id: int) -> None:
        self.seeder, self.rows, self.sender, self.assessment_id = seeder, rows, sender, assessment_id

    def add(
        self,
        action: str,
        at: dt.datetime,
        *,
        assessment: bool = True,
        actor: int | None = None,
        user_id: int | None = None,
        **detail: Any,
    ) -> None:
        self.rows.append(
            {
                "id": self.seeder.next_id("audit_events"),
                "at": at,
                "actor_kind": "user" if actor else "service",
                "actor_id": str(actor) if actor else None,
                "action": action,
                "conversation_id": self.sender,
                "assessment_id": self.assessment_id if assessment else None,
                "user_id": user_id,
                "detail": detail,
            }
        )
