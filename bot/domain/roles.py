"""Roles and the one table of what each may do.

Why one table: a permission that lives in a template, a route rule, a SQL scope and a CLI choice at once
drifts the first time someone changes three of the four. Every layer asks `permits(role, action)` (or, for a
SQL condition or a notice, `roles_permitted(action)`), so adding a permission is one line in `PERMISSIONS`.

What each action lets a role do is still limited by scope: a lead reviews their own team's live cases, a
trainer their own team's rehearsal cases, a practitioner reads the cases they made. The scope itself is the
review service's (`bot/review/scope.py`); which modes a role sees comes from here (`visible_modes`).
"""

from __future__ import annotations

import enum

from bot.domain.lifecycle import Mode


class Role(enum.StrEnum):
    PRACTITIONER = "practitioner"
    LEAD = "lead"
    TRAINER = "trainer"
    # Issue #16: a Prevent coordinator reads the organisation's figures (every team), never a case.
    COORDINATOR = "coordinator"
    ADMIN = "admin"


class Action(enum.StrEnum):
    READ_CASES = "open the case list and case pages (within their scope)"
    READ_OWN_CASES = "read the cases they submitted themselves, live and rehearsal"
    REVIEW_CASES = "review their team's cases: record decisions, close and reopen"
    REVIEW_LIVE_CASES = "review their team's live cases"
    REVIEW_REHEARSAL_CASES = "review their team's rehearsal cases (fictional only)"
    # VAF tagging is the lead's professional judgement (issue #4 says "lead-only"; the domain reference,
    # section 4, calls the VAF "a tagging aid for leads").
    TAG_EVIDENCE = "tag answers with VAF dimensions"
    # Issue #9: danger reaches a lead at once, before the practitioner submits.
    FOLLOW_URGENT_CASES = "see urgent cases still being written and record what they did about them"
    # Issue #26: a flag raised by an ordinary answer can be stood down, with a reason, by a lead of the team.
    STAND_DOWN_URGENT_FLAGS = "stand an urgent flag down, with a reason, when it was not an emergency"
    RECEIVE_URGENT_NOTICES = "be sent a notice when an assessment of their team raises an urgent flag"
    # Issue #26: a new live submission reaches the team's reviewers without their watching the list. Apart
    # from urgent notices: being told of danger at once and being told of the review queue are two duties.
    RECEIVE_SUBMISSION_NOTICES = "be sent a notice when a live assessment of their team is submitted"
    # Issue #12: a case review falls due (6 and 12 months after Channel support ends, or a date a lead set).
    RECEIVE_REVIEW_REMINDERS = "be sent a reminder when a review of their team's case falls due"
    # Issue #12: identifying details (name, date of birth, address, ...) are a lead's alone to enter and see,
    # and only a lead sends the documents they go into.
    SEND_DOCUMENTS = "enter identifying details and make the documents a lead sends (referrals, requests)"
    # Issue #12: one chronology per child (the council's case-record ID, typed by a lead) and a named lead
    # for each referral. Lead-only: the case-record ID identifies the child, and is shown only to leads.
    LINK_CASE_RECORDS = "link their team's referrals to the council's case record and read the chronology"
    ASSIGN_CASES = "assign their team's referrals to themselves or another lead of the team"
    # Issue #16: figures for the safeguarding board, with nobody identifiable (bot/reports).
    HOLD_CASES = "set and lift a legal hold on a case, with a reason, so that retention never erases it"
    VIEW_TEAM_REPORTS = "see the figures of their own team's live cases"
    VIEW_ORGANISATION_REPORTS = "see the figures of every team's live cases"
    # Issue #26: concerns (and so danger reports) come only from people who work with children; admins and
    # coordinators never raise one, so no danger report is made where no lead can be reached by it.
    RAISE_CONCERNS = "start a screening about a real young person and report danger"
    # Issue #26: a run's mode is fixed by how it starts. Issue #13: a practice run starts only from a
    # scenario, and trainees (practitioners) practise as well as trainers.
    START_PRACTICE_RUNS = "start a practice run from a fictional scenario"
    # Issue #13: the debrief after a practice run, for the trainee (their own runs) and their trainer (the
    # runs of their team, as with rehearsal cases). Never a lead's: practice never reaches a live reviewer.
    READ_DEBRIEFS = "read the debrief of a submitted practice run (their own, or their team's as a trainer)"
    # Issue #13: the trainer pages: their team's practice runs, the facts most often missed, the CSV of runs.
    # Trainers only: a trainee reads their own debriefs, never their colleagues' runs.
    OVERSEE_PRACTICE = "see their team's practice runs, the facts most often missed, and export the runs"
    # Issue #13: a trainer's feedback note to the trainee on a submitted run of their team, beside its
    # debrief: never the live decision form, which asks for a pathway and consent no fictional child has.
    WRITE_PRACTICE_FEEDBACK = "write a feedback note to the trainee on a submitted practice run of their team"
    # Issue #13: a practice run that turns out to be about a real child becomes a live assessment of the
    # trainee's team, in one audited step: by the trainee (their own run) or a trainer of their team.
    MOVE_PRACTICE_TO_LIVE = "move a practice run about a real child to live (own runs; a trainer, the team's)"


PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.PRACTITIONER: frozenset(
        {
            Action.READ_CASES,
            Action.READ_OWN_CASES,
            Action.RAISE_CONCERNS,
            Action.START_PRACTICE_RUNS,
            Action.READ_DEBRIEFS,
            Action.MOVE_PRACTICE_TO_LIVE,
        }
    ),
    Role.LEAD: frozenset(
        {
            Action.READ_CASES,
            Action.REVIEW_CASES,
            Action.REVIEW_LIVE_CASES,
            Action.TAG_EVIDENCE,
            Action.FOLLOW_URGENT_CASES,
            Action.STAND_DOWN_URGENT_FLAGS,
            Action.RECEIVE_URGENT_NOTICES,
            Action.RECEIVE_SUBMISSION_NOTICES,
            Action.RECEIVE_REVIEW_REMINDERS,
            Action.SEND_DOCUMENTS,
            Action.VIEW_TEAM_REPORTS,
            Action.LINK_CASE_RECORDS,
            Action.ASSIGN_CASES,
            Action.HOLD_CASES,
        }
    ),
    # Guardrail 8: rehearsal records never enter a live queue, and trainers never see live ones.
    Role.TRAINER: frozenset(
        {
            Action.READ_CASES,
            Action.REVIEW_CASES,
            Action.REVIEW_REHEARSAL_CASES,
            Action.RAISE_CONCERNS,
            Action.START_PRACTICE_RUNS,
            Action.READ_DEBRIEFS,
            Action.OVERSEE_PRACTICE,
            Action.WRITE_PRACTICE_FEEDBACK,
            Action.MOVE_PRACTICE_TO_LIVE,
        }
    ),
    Role.COORDINATOR: frozenset({Action.VIEW_TEAM_REPORTS, Action.VIEW_ORGANISATION_REPORTS}),
    Role.ADMIN: frozenset({Action.HOLD_CASES}),
}

ROLES: tuple[str, ...] = tuple(role.value for role in Role)
MODES: tuple[str, ...] = tuple(mode.value for mode in Mode)


def as_role(role: str | Role) -> Role | None:
    """The role a stored string names, or None for a string that names none (never an exception: a stale or
    hand-edited row must lose access, not break a page)."""
    try:
        return Role(role)
    except ValueError:
        return None


def permits(role: str | Role | None, action: Action) -> bool:
    known = as_role(role) if role is not None else None
    return known is not None and action in PERMISSIONS[known]


def roles_permitted(action: Action) -> tuple[str, ...]:
    """The roles that may do `action`, in table order: for SQL conditions and for tests' expectations."""
    return tuple(role.value for role, actions in PERMISSIONS.items() if action in actions)


def visible_modes(role: str | Role | None) -> tuple[str, ...]:
    """The modes of case a role may open at all: both for their own cases, else those they review."""
    if permits(role, Action.READ_OWN_CASES):
        return MODES
    modes: list[str] = []
    if permits(role, Action.REVIEW_LIVE_CASES):
        modes.append(Mode.LIVE)
    if permits(role, Action.REVIEW_REHEARSAL_CASES):
        modes.append(Mode.REHEARSAL)
    return tuple(modes)
