"""The words a lead chooses from: pathways, lawful bases, consent decisions and referral statuses.

Who may do what is not here: that is `bot.domain.roles`.

One place, so that the form, the validation, the database check constraints and the page all agree. The
pathways and lawful bases come from sections 3 and 7 of the domain reference; the labels are the lead's
choices, never a conclusion the software draws.
"""

from __future__ import annotations

from collections.abc import Iterable

from bot.domain.lifecycle import NoticeChannel, NoticePurpose, NoticeState
from bot.domain.pathways import PATHWAY_LIST
from bot.domain.referral import STATUS_LABELS

# Key -> label, from bot/domain/pathways.yaml (the descriptions and partner rule are in bot.domain.pathways).
PATHWAYS: dict[str, str] = {pathway.key: pathway.label for pathway in PATHWAY_LIST}

LAWFUL_BASES: dict[str, str] = {
    "art6_public_task": "UK GDPR Article 6(1)(e): public task",
    "art9_sch1_para18": (
        "Special category data: UK GDPR Article 9 with DPA 2018 Schedule 1 paragraph 18 "
        "(safeguarding of children and individuals at risk)"
    ),
    "art10_sch1": (
        "Alleged-offence data: UK GDPR Article 10 with a DPA 2018 Schedule 1 condition "
        "and an appropriate policy document"
    ),
    "consent": "Consent",
}

# How something was shared (issue #12, the information-sharing log; domain reference section 10).
SHARING_METHODS: dict[str, str] = {
    "email": "Email",
    "secure_email": "Secure email",
    "phone": "Phone",
    "meeting": "Meeting",
    "referral_form": "Referral form",
    "other": "Other",
}
# Every outcome key any pathway may record (the pathway_outcomes CHECK); which pathway allows which is checked
# by the service against bot/domain/pathways.yaml.
OUTCOME_KEYS: tuple[str, ...] = tuple(
    dict.fromkeys(outcome.key for pathway in PATHWAY_LIST for outcome in pathway.outcomes)
)
# Where a case review date came from: a lead set it, or an outcome set it (Channel support ended: 6 and 12
# months), or it is the standing decision's own review date, copied when its reminder is sent.
REVIEW_SOURCES: dict[str, str] = {
    "lead": "Set by a lead",
    "outcome": "Set when an outcome was recorded",
    "decision": "The decision's review date",
}
# How the page, the PDF and the case list name a review's state (bot.review.review_dates.review_state).
REVIEW_STATES: dict[str, str] = {
    "overdue": "Review overdue",
    "due": "Review due",
    "upcoming": "Review booked",
    "held": "Review held",
}
# A review shows as due this many days before its date (and as overdue after it).
REVIEW_DUE_SOON_DAYS = 14

CONSENT_DECISIONS: dict[str, str] = {
    "given": "Consent sought and given",
    "refused": "Consent sought and refused",
    "not_sought": "Consent not sought",
}
# Guardrail 7: when consent is not sought or is refused, the reason is recorded.
CONSENT_NEEDS_REASON = frozenset({"refused", "not_sought"})

# The Vulnerability Assessment Framework's three dimensions (domain reference section 4). A lead may tag an
# evidence item with any of them; they group evidence for the lead's reading and are never totalled or scored.
VAF_DIMENSIONS: dict[str, str] = {
    "engagement": "Engagement",
    "intent": "Intent",
    "capability": "Capability",
}
# Long enough for a sentence or two in the lead's own words; the full reasoning belongs in the rationale.
MAX_TAG_NOTE_CHARS = 500

REFERRAL_STATUSES: dict[str, str] = {status.value: text for status, text in STATUS_LABELS.items()}

# A live assessment that raised an urgent flag and is still being written: not a referral yet (no referral
# row, no decision), but its leads see it at once (issue #9). One more value of a case's status on the pages
# and in the list's status filter, never stored in `referrals` (its CHECK keeps REFERRAL_STATUSES only).
URGENT_UNSUBMITTED = "urgent_unsubmitted"
CASE_STATUSES: dict[str, str] = {URGENT_UNSUBMITTED: "Urgent - not yet submitted", **REFERRAL_STATUSES}

# How the case page names a notice's channel, purpose and delivery state (bot/store/urgent_models.py).
NOTICE_CHANNELS: dict[str, str] = {NoticeChannel.EMAIL: "Email", NoticeChannel.TEAMS: "Microsoft Teams"}
# Every purpose a notice may have: the outbox's CHECK constraint is built from these keys (and migration 0012
# widened it for the review notices of issue #26). A notice never holds case content, whatever its purpose.
NOTICE_PURPOSES: dict[str, str] = {
    NoticePurpose.URGENT_FLAG: "Urgent flag raised",
    NoticePurpose.LEAD_UNREACHED: "No lead could be reached",
    # Issue #26: to the team's leads when a live assessment is submitted for review.
    NoticePurpose.SUBMITTED_FOR_REVIEW: "Submitted for review",
    # Issue #26: to the practitioner when a lead records a decision on their case (with feedback, or not).
    NoticePurpose.DECISION_RECORDED: "Your lead recorded a decision",
    NoticePurpose.FEEDBACK_GIVEN: "Feedback from your lead",
    # Issue #12: to the team's leads, once, when a case review falls due (the reference and a link only).
    NoticePurpose.REVIEW_DUE: "A case review is due",
    # Issue #12: to the practitioner when a lead asks for the full assessment after a Request for Support.
    NoticePurpose.FULL_ASSESSMENT_REQUESTED: "Your lead asked for the full assessment",
    # Issue #12: to a lead when another lead assigns a referral to them (the reference and a link only).
    NoticePurpose.CASE_ASSIGNED: "A case was assigned to you",
}
NOTICE_STATES: dict[str, str] = {
    NoticeState.PENDING: "Pending",
    NoticeState.SENT: "Sent",
    NoticeState.FAILED: "Failed",
    # Issue #26: not sent, because the practitioner said no one was in danger while it waited for their check.
    NoticeState.WITHDRAWN: "Withdrawn",
}


def sql_list(values: Iterable[str]) -> str:
    """Quoted values for a CHECK constraint, e.g. "'a', 'b'" (our own constants only, never user input)."""
    return ", ".join(f"'{value}'" for value in values)


# The document kinds a row may name (bot/review/documents/*.yaml); a new kind needs a migration too.
DOCUMENT_KINDS: tuple[str, ...] = ("prevent_referral", "social_care_referral", "partner_request")
# What a document was made from (revision 0028): the full assessment, a Request for Support (the screening
# only), or a Request for Support while the full assessment is awaited.
DOCUMENT_BASES: tuple[str, ...] = ("full", "screening", "awaiting_full")
