"""What a notice says: a reference, what happened (urgent, submitted, decided) and a link. No case content.

Email travels through servers we do not control and Teams messages show on lock screens, so a notice holds
nothing the practitioner typed, no answer, no name: only enough to make the reader sign in and look.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Notice:
    subject: str
    text: str


def urgent_for_lead(reference: str, submitted: bool, case_url: str) -> Notice:
    """To every lead of the team, the moment a danger report is made."""
    status = "submitted" if submitted else "not yet submitted"
    return Notice(
        subject=f"Urgent: safeguarding concern {reference} needs a lead now",
        text=(
            f"Urgent: a practitioner in your team has reported that someone may be in danger now.\n"
            f"\n"
            f"Reference: {reference} ({status})\n"
            f"Open it now: {case_url}\n"
            f"\n"
            f"Sign in to see what was reported, contact the practitioner and record what you did. This "
            f"message holds no details of the case on purpose.\n"
        ),
    )


def lead_unreached_for_practitioner(reference: str, chat_url: str) -> Notice:
    """To the practitioner, when no lead has been reached in time about their danger report, or at once when
    their team has no lead who can be reached at all."""
    return Notice(
        subject=f"Urgent: phone your safeguarding lead now about {reference}",
        text=(
            f"Urgent: we could not reach a safeguarding lead in your team about the danger you reported "
            f"(reference {reference}).\n"
            f"\n"
            f"Phone your safeguarding lead now, or your organisation's safeguarding route if you cannot "
            f"reach them. If someone is in immediate danger, call 999.\n"
            f"\n"
            f"Your assessment: {chat_url}\n"
        ),
    )


# Issue #26: the review's ordinary steps. Same rule: the reference, what happened, a link; nothing typed by
# anyone (no answers, no rationale, no feedback), so the reader signs in to see it.


def submitted_for_lead(reference: str, case_url: str) -> Notice:
    """To every lead of the team, when a practitioner submits a live assessment for review."""
    return Notice(
        subject=f"Safeguarding concern {reference} submitted for review",
        text=(
            f"A practitioner in your team has submitted an assessment for review.\n"
            f"\n"
            f"Reference: {reference} (submitted for review)\n"
            f"Open it: {case_url}\n"
            f"\n"
            f"Sign in to read it and record a decision. This message holds no details of the case on "
            f"purpose.\n"
        ),
    )


def decision_for_practitioner(reference: str, chat_url: str, *, feedback: bool) -> Notice:
    """To the practitioner who submitted the assessment, when a lead records a decision on it: "feedback
    from your lead" when the decision carries feedback for them."""
    if feedback:
        subject = f"Feedback from your lead on {reference}"
        said = "Your safeguarding lead has recorded a decision and left feedback for you"
    else:
        subject = f"Your lead has recorded a decision on {reference}"
        said = "Your safeguarding lead has recorded a decision"
    return Notice(
        subject=subject,
        text=(
            f"{said} on the assessment you submitted.\n"
            f"\n"
            f"Reference: {reference}\n"
            f"Your assessment: {chat_url}\n"
            f"\n"
            f"Sign in to read it. This message holds no details of the case on purpose.\n"
        ),
    )


def review_due_for_lead(reference: str, case_url: str) -> Notice:
    """To every lead of the team, once, when a review of a case falls due (issue #12)."""
    return Notice(
        subject=f"A review of {reference} is due",
        text=(
            f"A review date set on a case of your team has been reached.\n"
            f"\n"
            f"Reference: {reference} (review due)\n"
            f"Open it: {case_url}\n"
            f"\n"
            f"Sign in to see what happened next and record the review. This message holds no details of the "
            f"case on purpose.\n"
        ),
    )


def full_assessment_for_practitioner(reference: str, chat_url: str) -> Notice:
    """To the practitioner who sent a Request for Support, when a lead asks for the full assessment (issue
    #12). The lead's message is on their home page after signing in, never in the notice."""
    return Notice(
        subject=f"Your lead asked for the full assessment on {reference}",
        text=(
            f"Your safeguarding lead has read the Request for Support you sent and asked you to complete the "
            f"full assessment. Your answers so far are kept: you carry on from the end of the screening.\n"
            f"\n"
            f"Reference: {reference}\n"
            f"Carry on: {chat_url}\n"
            f"\n"
            f"Sign in to read your lead's message. This message holds no details of the case on purpose.\n"
        ),
    )


def assigned_to_lead(reference: str, case_url: str) -> Notice:
    """To a lead, when another lead assigns a referral to them (issue #12). Nothing of the case, nor the
    council's case-record ID (it identifies the child)."""
    return Notice(
        subject=f"Safeguarding concern {reference} has been assigned to you",
        text=(
            f"Another safeguarding lead in your team has assigned a case to you.\n"
            f"\n"
            f"Reference: {reference} (assigned to you)\n"
            f"Open it: {case_url}\n"
            f"\n"
            f"Sign in to read it and record a decision. This message holds no details of the case on "
            f"purpose.\n"
        ),
    )
