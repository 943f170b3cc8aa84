"""Checking the "What happened next" forms (issue #12): every problem at once, each with a message the lead
can act on; nothing is changed here. Text is checked, never changed: it is stored exactly as typed.

Which pathway ids and which earlier entries exist is the service's question (it reads the case); this module
checks the form against the vocabularies and the pathways data only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.domain.limits import MAX_ANSWER_CHARS
from bot.domain.pathways import PATHWAY_BY_KEY
from bot.domain.vocabulary import LAWFUL_BASES, SHARING_METHODS
from bot.questions import read_date
from bot.review.next_records import OutcomeIn, PathwayChoice, SharingIn
from bot.review.partners import PARTNER_BY_KEY
from bot.store import validation

MAX_RECIPIENT_CHARS = 200


@dataclass(frozen=True)
class CheckedSharing:
    shared_what: str
    recipient: str | None
    partner: str | None
    shared_on: date
    method: str
    lawful_basis: str
    pathway: PathwayChoice | None
    corrects_id: int | None


@dataclass(frozen=True)
class CheckedOutcome:
    pathway: PathwayChoice
    outcome: str
    outcome_on: date
    note: str | None
    corrects_id: int | None


def check_sharing(
    form: SharingIn, *, today: date, pathways: tuple[PathwayChoice, ...], earlier: set[int]
) -> CheckedSharing:
    problems = validation.Problems()
    if form.shared_what.strip() == "":
        problems.add("shared_what", "Enter what was shared")
    else:
        validation.check_text(problems, "shared_what", form.shared_what, limit=MAX_ANSWER_CHARS)
    if form.partner and form.partner not in PARTNER_BY_KEY:
        problems.add("partner", "Select a partner from the directory, or leave it empty")
    if form.recipient.strip() == "" and not form.partner:
        problems.add("recipient", "Enter who it was shared with, or select a partner from the directory")
    elif form.recipient:
        validation.check_text(problems, "recipient", form.recipient, limit=MAX_RECIPIENT_CHARS)
    shared_on = _past_date(problems, "shared_on", form.shared_on, today, "Enter the date it was shared")
    if form.method not in SHARING_METHODS:
        problems.add("method", "Select how it was shared")
    if form.lawful_basis not in LAWFUL_BASES:
        problems.add("lawful_basis", "Select the lawful basis for sharing it")
    pathway = _pathway(problems, "sharing_pathway", form.pathway, pathways, required=False)
    corrects = _corrects(problems, "corrects", form.corrects, earlier)
    problems.raise_if_any()
    if shared_on is None:  # a problem was added above; explicit, as `python -O` strips asserts
        raise AssertionError("unreachable: no date shared yet no problem raised")
    return CheckedSharing(
        shared_what=form.shared_what,
        recipient=form.recipient or None,
        partner=form.partner or None,
        shared_on=shared_on,
        method=form.method,
        lawful_basis=form.lawful_basis,
        pathway=pathway,
        corrects_id=corrects,
    )


def check_outcome(
    form: OutcomeIn, *, today: date, pathways: tuple[PathwayChoice, ...], earlier: set[int]
) -> CheckedOutcome:
    problems = validation.Problems()
    # One field on the page chooses both the pathway and what happened on it, so both report as "outcome".
    pathway = _pathway(problems, "outcome", form.pathway, pathways, required=True)
    if pathway is not None and PATHWAY_BY_KEY[pathway.key].outcome(form.outcome) is None:
        problems.add("outcome", f"Select an outcome of {PATHWAY_BY_KEY[pathway.key].label}")
    outcome_on = _past_date(problems, "outcome_on", form.outcome_on, today, "Enter the date it happened")
    if form.note:
        validation.check_text(problems, "note", form.note, limit=MAX_ANSWER_CHARS)
    corrects = _corrects(problems, "outcome_corrects", form.corrects, earlier)
    problems.raise_if_any()
    if pathway is None or outcome_on is None:  # as above
        raise AssertionError("unreachable: no pathway or date yet no problem raised")
    return CheckedOutcome(pathway, form.outcome, outcome_on, form.note or None, corrects)


def _past_date(problems: validation.Problems, name: str, text: str, today: date, missing: str) -> date | None:
    if text.strip() == "":
        problems.add(name, missing)
        return None
    when = read_date(text, today=today, prefer="past")
    if when is None:
        problems.add(name, "Enter a real date, for example 27/3/2026")
    elif when > today:
        problems.add(name, "The date cannot be in the future")
        return None
    return when


def _pathway(
    problems: validation.Problems,
    name: str,
    text: str,
    pathways: tuple[PathwayChoice, ...],
    *,
    required: bool,
) -> PathwayChoice | None:
    if text == "":
        if required:
            problems.add(name, "Select what happened, on a pathway of the current decision")
        return None
    found = next((choice for choice in pathways if str(choice.id) == text), None)
    if found is None:
        problems.add(name, "Select a pathway of the current decision")
    return found


def _corrects(problems: validation.Problems, name: str, text: str, earlier: set[int]) -> int | None:
    if text == "":
        return None
    if not text.isdecimal() or int(text[:12]) not in earlier:
        problems.add(name, "Select an earlier entry of this case to correct, or leave it empty")
        return None
    return int(text)
