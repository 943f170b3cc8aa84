"""Every action the audit trail records, and what each means on a case's change and access history.

Why one enum: the actions used to be free strings at each call site, and one (`assessment.started_again`)
had no label, so the case history showed the raw key (issue #29). `bot.store.audit.record_event` accepts
members only (a string that names none is refused), and `LABELS` must name every member
(tests/store/test_audit_actions.py), so a new action gets its label where it is declared.

The stored string is the member's value: renaming a member is harmless, changing a value would orphan the
rows already written (the audit trail is insert-only), so values never change and none is ever removed.
"""

from __future__ import annotations

import enum


class AuditAction(enum.StrEnum):
    # The practitioner's assessment.
    CONVERSATION_OPENED = "conversation.opened"
    CHAT_APPENDED = "chat.appended"
    ASSESSMENT_STARTED = "assessment.started"
    ASSESSMENT_START_REFUSED = "assessment.start_refused"
    ANSWER_RECORDED = "answer.recorded"
    ASSESSMENT_POSITION_SET = "assessment.position_set"
    # No longer recorded (issue #26: a run's mode is fixed by how it starts); older rows still carry it.
    ASSESSMENT_MODE_CHANGED = "assessment.mode_changed"
    ASSESSMENT_FLAGGED_URGENT = "assessment.flagged_urgent"
    ASSESSMENT_URGENT_REFUSED = "assessment.urgent_refused"
    ASSESSMENT_URGENT_DETAIL_RECORDED = "assessment.urgent_detail_recorded"
    ASSESSMENT_URGENT_CONFIRMED = "assessment.urgent_confirmed"
    ASSESSMENT_URGENT_STOOD_DOWN = "assessment.urgent_stood_down"
    ASSESSMENT_STARTED_AGAIN = "assessment.started_again"
    ASSESSMENT_SUBMITTED = "assessment.submitted"
    ASSESSMENT_EXPORTED = "assessment.exported"
    SUBJECT_ACCESS_EXPORTED = "case.subject_access_exported"
    MESSAGE_HELD = "message.held"
    MESSAGE_RESTORED = "message.restored"
    MESSAGE_EXPIRED = "message.expired"
    MESSAGE_UNREADABLE = "message.unreadable"
    # Notices and urgent flags.
    NOTIFICATION_ENQUEUED = "notification.enqueued"
    NOTIFICATION_SENT = "notification.sent"
    NOTIFICATION_RETRY = "notification.retry"
    NOTIFICATION_FAILED = "notification.failed"
    URGENT_LEAD_UNREACHED = "urgent.lead_unreached"
    URGENT_NO_REACHABLE_LEAD = "urgent.no_reachable_lead"
    URGENT_RESPONSE_RECORDED = "urgent.response_recorded"
    URGENT_STOOD_DOWN = "urgent.stood_down"
    # The lead's review.
    CASE_LIST_VIEWED = "case_list.viewed"
    CASE_VIEWED = "case.viewed"
    CASE_VIEW_REFUSED = "case.view_refused"
    CASE_EXPORTED = "case.exported"
    CASE_EXPORT_REFUSED = "case.export_refused"
    TRANSCRIPT_VIEWED = "transcript.viewed"
    TRANSCRIPT_VIEW_REFUSED = "transcript.view_refused"
    REFERRAL_CREATED = "referral.created"
    REFERRAL_STATUS_CHANGED = "referral.status_changed"
    CASE_CHANGE_REFUSED = "case.change_refused"
    DECISION_RECORDED = "decision.recorded"
    CASE_DECISION_REFUSED = "case.decision_refused"
    EVIDENCE_TAGGED = "evidence.tagged"
    EVIDENCE_UNTAGGED = "evidence.untagged"
    CASE_TAG_REFUSED = "case.tag_refused"
    CASE_URGENT_RESPONSE_REFUSED = "case.urgent_response_refused"
    CASE_STAND_DOWN_REFUSED = "case.stand_down_refused"
    CASE_NOT_SUBMITTED_REFUSED = "case.not_submitted_refused"
    # Issue #12: a lead sends a Request for Support back for the full assessment.
    FULL_ASSESSMENT_REQUESTED = "case.full_assessment_requested"
    CASE_ASK_FULL_REFUSED = "case.ask_full_refused"
    # What happened next (issue #12): shares, outcomes per pathway and review dates.
    SHARING_RECORDED = "sharing.recorded"
    OUTCOME_RECORDED = "outcome.recorded"
    REVIEW_SET = "review.set"
    REVIEW_HELD = "review.held"
    CASE_NEXT_REFUSED = "case.next_refused"
    # The documents a lead sends (issue #12): made (details stored, share logged), and each generation read.
    DOCUMENT_MADE = "document.made"
    DOCUMENT_GENERATED = "document.generated"
    CASE_DOCUMENT_REFUSED = "case.document_refused"
    # The case's identifying details, stored once and offered again: shown on the form, and changed (a new
    # version; the event names the fields changed, never their values).
    DETAILS_SHOWN = "details.shown"
    DETAILS_CHANGED = "details.changed"
    # One chronology per child, and assignment to a named lead (issue #12).
    CASE_RECORD_LINKED = "case.record_linked"
    CASE_RECORD_UNLINKED = "case.record_unlinked"
    CASE_ASSIGNED = "case.assigned"
    CASE_UNASSIGNED = "case.unassigned"
    CHRONOLOGY_VIEWED = "case.chronology_viewed"
    CASE_LINK_REFUSED = "case.link_refused"
    # Figures (bot/reports).
    REPORT_VIEWED = "report.viewed"
    REPORT_EXPORTED = "report.exported"
    REPORT_REFUSED = "report.refused"
    # Accounts, teams and Microsoft Teams identities.
    TEAM_CREATED = "team.created"
    USER_CREATED = "user.created"
    USER_EMAIL_SET = "user.email_set"
    USER_SIGNED_IN = "user.signed_in"
    USER_SIGN_IN_FAILED = "user.sign_in_failed"
    USER_DEACTIVATED = "user.deactivated"
    USER_SIGNED_OUT = "user.signed_out"
    TURN_REFUSED_DEACTIVATED = "assessment.turn_refused_deactivated"
    TEAMS_LINKED = "teams.linked"
    TEAMS_CHAT_REMEMBERED = "teams.chat_remembered"
    # Issue #13: practice runs past their retention period are deleted (bot scenarios purge).
    PRACTICE_RUN_PURGED = "practice.purged"
    # Issue #13: the debrief of a submitted practice run, read by the trainee or a trainer of their team.
    DEBRIEF_VIEWED = "practice.debrief_viewed"
    DEBRIEF_VIEW_REFUSED = "practice.debrief_view_refused"
    # Issue #13: a trainer's pages over their team's practice runs, and the CSV of the runs list.
    TRAINING_VIEWED = "practice.training_viewed"
    TRAINING_EXPORTED = "practice.training_exported"
    # Issue #31: legal holds, and cases erased when their retention period is over (ids and counts only).
    LEGAL_HOLD_SET = "retention.hold_set"
    LEGAL_HOLD_LIFTED = "retention.hold_lifted"
    LEGAL_HOLD_REFUSED = "retention.hold_refused"
    CASE_ERASED = "retention.case_erased"
    RETENTION_RUN = "retention.run"
    # Issue #31: `bot keys rotate` sealed values again under the newest data key (counts only).
    DATA_KEYS_ROTATED = "keys.rotated"
    # Issue #13: a trainer's feedback note to the trainee on a submitted practice run, and a refused one.
    FEEDBACK_WRITTEN = "practice.feedback_written"
    FEEDBACK_REFUSED = "practice.feedback_refused"
    # Issue #32: account management by an admin (pages or CLI), each with its reason in `account_changes`
    # (the detail names the change's id, never the reason's words), and a user changing their own password.
    USER_REACTIVATED = "user.reactivated"
    USER_ROLE_CHANGED = "user.role_changed"
    USER_TEAM_CHANGED = "user.team_changed"
    PASSWORD_RESET_ISSUED = "user.password_reset_issued"  # noqa: S105  # an audit action's name
    PASSWORD_RESET_USED = "user.password_reset_used"  # noqa: S105  # an audit action's name
    PASSWORD_CHANGED = "user.password_changed"  # noqa: S105  # an audit action's name
    PASSWORD_CHANGE_REFUSED = "user.password_change_refused"  # noqa: S105  # an audit action's name
    TEAMS_UNLINKED = "teams.unlinked"
    # Issue #13: a practice run about a real child moved to live (the reason typed is kept on its own row).
    PRACTICE_MOVED_TO_LIVE = "practice.moved_to_live"
    PRACTICE_MOVE_REFUSED = "practice.move_refused"
    # Issue #32: the second factor for local passwords (bot.store.second_factor); a reset's reason is kept on
    # its `account_changes` row.
    SECOND_FACTOR_SET_UP = "user.second_factor_set_up"
    SECOND_FACTOR_TAKEN = "user.second_factor_taken"
    SECOND_FACTOR_REFUSED = "user.second_factor_refused"
    SECOND_FACTOR_RESET = "user.second_factor_reset"
    # Issue #32: an organisation account (issuer and subject) linked to a local account, at its first sign-in
    # or by an admin, and unlinked by an admin (the reason on its `account_changes` row).
    OIDC_LINKED = "oidc.linked"
    OIDC_UNLINKED = "oidc.unlinked"


# What each action means, for the case's change and access history (and any other reader of the trail).
LABELS: dict[AuditAction, str] = {
    AuditAction.CONVERSATION_OPENED: "Opened a conversation",
    AuditAction.CHAT_APPENDED: "Saved chat messages",
    AuditAction.ASSESSMENT_STARTED: "Started the assessment",
    AuditAction.ASSESSMENT_START_REFUSED: "Tried to start an assessment (refused: their role does not raise "
    "concerns)",
    AuditAction.ANSWER_RECORDED: "Recorded an answer",
    AuditAction.ASSESSMENT_POSITION_SET: "Moved to a question",
    AuditAction.ASSESSMENT_MODE_CHANGED: "Changed live or rehearsal mode",
    AuditAction.ASSESSMENT_FLAGGED_URGENT: "Flagged immediate danger",
    AuditAction.ASSESSMENT_URGENT_REFUSED: "Tried to report danger (refused: their role does not raise "
    "concerns)",
    AuditAction.ASSESSMENT_URGENT_DETAIL_RECORDED: "Answered a danger follow-up question",
    AuditAction.ASSESSMENT_URGENT_CONFIRMED: "Asked after typing it, said someone may be in danger now: "
    "leads told",
    AuditAction.ASSESSMENT_URGENT_STOOD_DOWN: "Asked after typing it, said no one was in danger now: flag "
    "stood down",
    AuditAction.ASSESSMENT_STARTED_AGAIN: "Started again: cleared the answers (the earlier answers stay in "
    "the record)",
    AuditAction.ASSESSMENT_SUBMITTED: "Submitted the assessment",
    AuditAction.ASSESSMENT_EXPORTED: "Exported the record",
    AuditAction.SUBJECT_ACCESS_EXPORTED: "Exported everything held about the case (subject access request)",
    AuditAction.MESSAGE_HELD: "Kept a message sent after their sign-in had ended",
    AuditAction.MESSAGE_RESTORED: "Got back a message kept after their sign-in had ended",
    AuditAction.MESSAGE_EXPIRED: "Dropped a kept message: it had expired",
    AuditAction.MESSAGE_UNREADABLE: "Dropped a kept message: it could no longer be read",
    # What a notice was about (its purpose's label) follows on the page (bot.review.views.history_event).
    AuditAction.NOTIFICATION_ENQUEUED: "Queued notices",
    AuditAction.NOTIFICATION_SENT: "Delivered a notice",
    AuditAction.NOTIFICATION_RETRY: "Could not deliver a notice yet (trying again)",
    AuditAction.NOTIFICATION_FAILED: "Could not deliver a notice (gave up)",
    AuditAction.URGENT_LEAD_UNREACHED: "Reached no lead in time: told the practitioner to phone their lead",
    AuditAction.URGENT_NO_REACHABLE_LEAD: "The team has no lead who can be reached: told the practitioner at "
    "once to phone their lead",
    AuditAction.URGENT_RESPONSE_RECORDED: "Recorded what they did about the urgent flag",
    AuditAction.URGENT_STOOD_DOWN: "Stood down the urgent flag, with a reason",
    AuditAction.CASE_LIST_VIEWED: "Opened the case list",
    AuditAction.CASE_VIEWED: "Opened the case",
    AuditAction.CASE_VIEW_REFUSED: "Tried to open the case (refused: outside their cases)",
    AuditAction.CASE_EXPORTED: "Exported the case",
    AuditAction.CASE_EXPORT_REFUSED: "Tried to export the case (refused: outside their cases)",
    AuditAction.TRANSCRIPT_VIEWED: "Read the transcript",
    AuditAction.TRANSCRIPT_VIEW_REFUSED: "Tried to read the transcript (refused: outside their cases)",
    AuditAction.REFERRAL_CREATED: "Put the case in the review queue",
    AuditAction.REFERRAL_STATUS_CHANGED: "Changed the status",
    AuditAction.CASE_CHANGE_REFUSED: "Tried to change the status (refused: outside their cases)",
    AuditAction.DECISION_RECORDED: "Recorded a decision",
    AuditAction.CASE_DECISION_REFUSED: "Tried to record a decision (refused: outside their cases)",
    AuditAction.EVIDENCE_TAGGED: "Tagged an answer with a VAF dimension",
    AuditAction.EVIDENCE_UNTAGGED: "Removed a VAF dimension tag from an answer",
    AuditAction.CASE_TAG_REFUSED: "Tried to change evidence tags (refused)",
    AuditAction.CASE_URGENT_RESPONSE_REFUSED: "Tried to record what they did about the urgent flag (refused)",
    AuditAction.CASE_STAND_DOWN_REFUSED: "Tried to stand down the urgent flag (refused)",
    AuditAction.CASE_NOT_SUBMITTED_REFUSED: "Tried to decide, tag or change the status before submission "
    "(refused)",
    AuditAction.FULL_ASSESSMENT_REQUESTED: "Asked the practitioner for the full assessment",
    AuditAction.CASE_ASK_FULL_REFUSED: "Tried to ask for the full assessment (refused)",
    AuditAction.SHARING_RECORDED: "Recorded information shared",
    AuditAction.OUTCOME_RECORDED: "Recorded what happened next on a pathway",
    AuditAction.REVIEW_SET: "Set a review date",
    AuditAction.REVIEW_HELD: "Recorded a review as held",
    AuditAction.CASE_NEXT_REFUSED: "Tried to record what happened next (refused)",
    AuditAction.DOCUMENT_MADE: "Made a document to send, and logged the share",
    AuditAction.DOCUMENT_GENERATED: "Generated a document to send (with any identifying details)",
    AuditAction.CASE_DOCUMENT_REFUSED: "Tried to make or read a document to send, or its details (refused)",
    AuditAction.DETAILS_SHOWN: "Opened a form with the case's identifying details",
    AuditAction.DETAILS_CHANGED: "Changed the case's identifying details (a new version)",
    AuditAction.CASE_RECORD_LINKED: "Linked the case to the council's case record",
    AuditAction.CASE_RECORD_UNLINKED: "Unlinked the case from the council's case record",
    AuditAction.CASE_ASSIGNED: "Assigned the case to a lead",
    AuditAction.CASE_UNASSIGNED: "Took the case's assignment away",
    AuditAction.CHRONOLOGY_VIEWED: "Viewed the child's chronology",
    AuditAction.CASE_LINK_REFUSED: "Tried to link or assign the case (refused)",
    AuditAction.REPORT_VIEWED: "Viewed the figures",
    AuditAction.REPORT_EXPORTED: "Exported the figures",
    AuditAction.REPORT_REFUSED: "Tried to see the figures (refused)",
    AuditAction.TEAM_CREATED: "Created a team",
    AuditAction.USER_CREATED: "Created an account",
    AuditAction.USER_EMAIL_SET: "Set the email address for notices",
    AuditAction.USER_SIGNED_IN: "Signed in",
    AuditAction.USER_SIGN_IN_FAILED: "Could not sign in",
    AuditAction.USER_DEACTIVATED: "Deactivated an account (its sessions ended on every channel)",
    AuditAction.USER_SIGNED_OUT: "Signed out (the key of their drafts in the browser replaced)",
    AuditAction.TURN_REFUSED_DEACTIVATED: "A message arrived after their account was deactivated (refused: "
    "nothing stored)",
    AuditAction.TEAMS_LINKED: "Linked a Microsoft Teams account",
    AuditAction.USER_REACTIVATED: "Reactivated an account",
    AuditAction.USER_ROLE_CHANGED: "Changed an account's role",
    AuditAction.USER_TEAM_CHANGED: "Moved an account to another team",
    AuditAction.PASSWORD_RESET_ISSUED: "Made a one-time password reset link for an account",
    AuditAction.PASSWORD_RESET_USED: "Set a new password with a one-time reset link",
    AuditAction.PASSWORD_CHANGED: "Changed their own password",
    AuditAction.PASSWORD_CHANGE_REFUSED: "Tried to change their password (refused: wrong current password)",
    AuditAction.TEAMS_UNLINKED: "Unlinked a Microsoft Teams account",
    AuditAction.SECOND_FACTOR_SET_UP: "Set up a second factor (an authenticator app and recovery codes)",
    AuditAction.SECOND_FACTOR_TAKEN: "Gave a second factor at sign-in (a code, or a recovery code)",
    AuditAction.SECOND_FACTOR_REFUSED: "Gave a second factor that was refused (wrong, or used before)",
    AuditAction.SECOND_FACTOR_RESET: "Reset an account's second factor, so it is set up again",
    AuditAction.OIDC_LINKED: "Linked an organisation sign-in account",
    AuditAction.OIDC_UNLINKED: "Unlinked an organisation sign-in account",
    AuditAction.TEAMS_CHAT_REMEMBERED: "Saved the Microsoft Teams chat for notices",
    AuditAction.PRACTICE_RUN_PURGED: "Deleted a practice run past its retention period",
    AuditAction.DEBRIEF_VIEWED: "Read the debrief of the practice run",
    AuditAction.DEBRIEF_VIEW_REFUSED: "Tried to read the debrief of a practice run (refused: not theirs or "
    "their team's)",
    AuditAction.TRAINING_VIEWED: "Read the trainer pages of their team's practice runs",
    AuditAction.TRAINING_EXPORTED: "Exported the list of their team's practice runs (CSV)",
    AuditAction.LEGAL_HOLD_SET: "Put the case under a legal hold",
    AuditAction.LEGAL_HOLD_LIFTED: "Lifted the case's legal hold",
    AuditAction.LEGAL_HOLD_REFUSED: "Tried to set or lift a legal hold (refused: not a lead or admin)",
    AuditAction.CASE_ERASED: "Erased the case at the end of its retention period",
    AuditAction.RETENTION_RUN: "Ran the retention job",
    AuditAction.DATA_KEYS_ROTATED: "Sealed stored answers and messages again under the newest data key",
    AuditAction.FEEDBACK_WRITTEN: "Wrote a feedback note to the trainee on the practice run",
    AuditAction.FEEDBACK_REFUSED: "Tried to write a feedback note on a practice run (refused: not a trainer, "
    "or not their team's submitted run)",
    AuditAction.PRACTICE_MOVED_TO_LIVE: "Moved the practice run to live: it is about a real child",
    AuditAction.PRACTICE_MOVE_REFUSED: "Tried to move a practice run to live (refused: not theirs or their "
    "team's, not a practice run, or deleted)",
}
