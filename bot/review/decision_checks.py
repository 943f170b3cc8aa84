"""Checking a decision form: every problem found at once, each with a message the lead can act on.

Nothing is changed here; the service saves only a decision that passes. Text is checked, never changed: the
rationale is stored exactly as typed (a rationale of spaces alone counts as missing, but is not trimmed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.domain.limits import MAX_ANSWER_CHARS
from bot.domain.pathways import PATHWAY_BY_KEY, PATHWAY_LIST
from bot.domain.vocabulary import CONSENT_DECISIONS, CONSENT_NEEDS_REASON, LAWFUL_BASES
from bot.questions import read_date
from bot.questions.dates import Prefer
from bot.review.forms import ActionIn, DecisionIn
from bot.review.partners import PARTNER_BY_KEY
from bot.review.pathway_records import PathwayIn
from bot.store import validation

MAX_OWNER_CHARS = 200
MAX_ACTIONS = 10


@dataclass(frozen=True)
class CheckedAction:
    description: str
    owner: str
    due_date: date


@dataclass(frozen=True)
class CheckedPathway:
    key: str
    rationale: str
    shared: str
    owner: str
    partner: str | None


@dataclass(frozen=True)
class CheckedDecision:
    pathways: tuple[CheckedPathway, ...]
    lawful_bases: tuple[str, ...]
    consent: str
    consent_reason: str | None
    review_date: date | None
    feedback: str | None
    feedback_given_on: date | None
    actions: tuple[CheckedAction, ...]


def check_decision(form: DecisionIn, *, today: date) -> CheckedDecision:
    """The decision, or ValidationError naming each field that is wrong (keys match the form's field ids)."""
    problems = validation.Problems()
    pathways = _pathways(problems, form.pathways)
    if not form.lawful_bases:
        problems.add("lawful_bases", "Select the lawful basis for recording and sharing this information")
    elif any(basis not in LAWFUL_BASES for basis in form.lawful_bases):
        problems.add("lawful_bases", "Select lawful bases from the list")
    if form.consent not in CONSENT_DECISIONS:
        problems.add("consent", "Select whether consent was given, refused or not sought")
    elif form.consent in CONSENT_NEEDS_REASON:
        _required_text(
            problems,
            "consent_reason",
            form.consent_reason,
            "Enter why consent was refused or not sought",
        )
    else:
        _optional_text(problems, "consent_reason", form.consent_reason)
    review_date = _date(problems, "review_date", form.review_date, today, "future")
    _optional_text(problems, "feedback", form.feedback)
    feedback_on = _date(problems, "feedback_given_on", form.feedback_given_on, today, "past")
    actions = _actions(problems, form.actions, today)
    problems.raise_if_any()
    return CheckedDecision(
        pathways=pathways,
        lawful_bases=tuple(dict.fromkeys(form.lawful_bases)),
        consent=form.consent,
        consent_reason=form.consent_reason or None,
        review_date=review_date,
        feedback=form.feedback or None,
        feedback_given_on=feedback_on,
        actions=actions,
    )


def _pathways(problems: validation.Problems, rows: tuple[PathwayIn, ...]) -> tuple[CheckedPathway, ...]:
    """The ticked pathways in the directory's order, each with its own rationale, what is shared and owner."""
    chosen = {row.key: row for row in rows}
    if not chosen:
        problems.add("pathways", "Select at least one pathway you have decided on")
        return ()
    if any(key not in PATHWAY_BY_KEY for key in chosen):
        problems.add("pathways", "Select pathways from the list")
        return ()
    alone = [PATHWAY_BY_KEY[key] for key in chosen if PATHWAY_BY_KEY[key].alone]
    if alone and len(chosen) > 1:
        problems.add(
            "pathways",
            f"{alone[0].label} cannot be combined with another pathway: untick it or untick the others",
        )
    checked = []
    for pathway in PATHWAY_LIST:
        row = chosen.get(pathway.key)
        if row is None:
            continue
        prefix, label = f"pathway-{pathway.key}", pathway.label
        _required_text(problems, f"{prefix}-rationale", row.rationale, f"Enter the rationale for {label}")
        _required_text(
            problems, f"{prefix}-shared", row.shared, f"Enter what is shared for {label}, or that nothing is"
        )
        if row.owner.strip() == "":
            problems.add(f"{prefix}-owner", f"Enter who owns {label} (a named person or a role)")
        else:
            validation.check_text(problems, f"{prefix}-owner", row.owner, limit=MAX_OWNER_CHARS)
        partner = None
        if pathway.needs_partner:
            if row.partner not in PARTNER_BY_KEY:
                problems.add(f"{prefix}-partner", f"Select the partner for {label} from the directory")  # noqa: S608  # a message, not SQL
            partner = row.partner
        checked.append(CheckedPathway(pathway.key, row.rationale, row.shared, row.owner, partner))
    return tuple(checked)


def _required_text(problems: validation.Problems, name: str, value: str, missing: str) -> None:
    if value.strip() == "":
        problems.add(name, missing)
    else:
        validation.check_text(problems, name, value, limit=MAX_ANSWER_CHARS)


def _optional_text(
    problems: validation.Problems, name: str, value: str, limit: int = MAX_ANSWER_CHARS
) -> None:
    if value:
        validation.check_text(problems, name, value, limit=limit)


def _date(problems: validation.Problems, name: str, text: str, today: date, prefer: Prefer) -> date | None:
    if text.strip() == "":
        return None
    when = read_date(text, today=today, prefer=prefer)
    if when is None:
        problems.add(name, "Enter a real date, for example 27/3/2027")
    return when


def _actions(
    problems: validation.Problems, rows: tuple[ActionIn, ...], today: date
) -> tuple[CheckedAction, ...]:
    checked = []
    for number, row in enumerate(rows[:MAX_ACTIONS], start=1):
        if not (row.description.strip() or row.owner.strip() or row.due_date.strip()):
            continue  # an empty row is simply not used
        prefix = f"action-{number}"
        _required_text(problems, f"{prefix}-description", row.description, f"Enter what action {number} is")
        if row.owner.strip() == "":
            problems.add(f"{prefix}-owner", f"Enter who owns action {number} (a role or a name)")
        else:
            validation.check_text(problems, f"{prefix}-owner", row.owner, limit=MAX_OWNER_CHARS)
        due = None
        if row.due_date.strip() == "":
            problems.add(f"{prefix}-due", f"Enter when action {number} is due")
        else:
            due = _date(problems, f"{prefix}-due", row.due_date, today, "future")
        if due is not None:
            checked.append(CheckedAction(row.description, row.owner, due))
    return tuple(checked)
