"""The checks on one scenario that need more than its own file: the question bank, pathways, word list.

Every fact and trap names the bank question it belongs to, so that a debrief can look for the fact in the
answer to that question; a name the bank does not have would make the fact impossible to capture, so it is an
error here rather than a silent miss later. The concern, needs and protective factors are written in the
bank's own choice values for the same reason: the debrief compares like with like.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from bot.domain.pathways import PATHWAY_BY_KEY
from bot.questions.flow import QuestionBank
from bot.questions.model import CHOICE_TYPES, NO_CONTENT_VALUES, UNSURE, BankProblem
from bot.questions.sources import SOURCE_CHOICES
from bot.questions.wording_checks import Wording
from bot.scenarios.model import Scenario
from bot.scenarios.yaml_data import LinedData, Place

PREVENT_PATHWAY = "prevent_referral"
# Which bank question's choices each vocabulary field takes its values from.
CONCERN_KINDS, IDEAS, OTHER_NEEDS, PROTECTIVE = (
    "concern_kinds",
    "ideas_involved",
    "other_needs",
    "protective_factors",
)
SAYS_FICTIONAL = re.compile(r"\bfictional\b", re.IGNORECASE)
# The scenario's own wording, read by the trainee or shown in a debrief (every field that is not an
# identifier): none of it may name an ideology, a religion, a place or a community.
WORDING_FIELDS = ("title", "card", "summary", "when", "captured_by", "offered", "better", "told", "why")


def check_scenario(
    scenario: Scenario, data: LinedData, bank: QuestionBank, wording: Wording | None
) -> Iterator[BankProblem]:
    yield from _vocabulary(scenario, data, bank)
    yield from _facts(scenario, data, bank)
    for n, trap in enumerate(scenario.traps):
        yield from _question(bank, trap.question, data, ("traps", n, "question"))
    yield from _unique(data, "facts", [fact.id for fact in scenario.facts])
    yield from _unique(data, "traps", [trap.id for trap in scenario.traps])
    if scenario.danger is not None:
        yield from _question(bank, scenario.danger.after_question, data, ("danger", "after_question"))
    yield from _route(scenario, data)
    if not SAYS_FICTIONAL.search(scenario.card):
        yield data.problem(("card",), "must say that the case is fictional (the word 'fictional')")
    if wording is not None:
        yield from _neutral(data.data, (), data, wording)


def _vocabulary(scenario: Scenario, data: LinedData, bank: QuestionBank) -> Iterator[BankProblem]:
    for n, value in enumerate(scenario.concern.noticed):
        yield from _choice(bank, CONCERN_KINDS, value, data, ("concern", "noticed", n))
    yield from _choice(bank, IDEAS, scenario.concern.ideas, data, ("concern", "ideas"))
    for n, need in enumerate(scenario.needs):
        yield from _choice(bank, OTHER_NEEDS, need.need, data, ("needs", n, "need"))
    for n, value in enumerate(scenario.protective):
        yield from _choice(bank, PROTECTIVE, value, data, ("protective", n))


def _facts(scenario: Scenario, data: LinedData, bank: QuestionBank) -> Iterator[BankProblem]:
    sources = [choice.value for choice in SOURCE_CHOICES]
    for n, fact in enumerate(scenario.facts):
        yield from _question(bank, fact.question, data, ("facts", n, "question"))
        if fact.source not in sources:
            yield data.problem(("facts", n, "source"), f"{fact.source!r} is not one of: {', '.join(sources)}")
        if fact.question not in bank or bank.question(fact.question).answer_type not in CHOICE_TYPES:
            continue
        values = [choice.value for choice in bank.question(fact.question).choices]
        for m, phrase in enumerate(fact.captured_by):
            if phrase not in values:
                yield data.problem(
                    ("facts", n, "captured_by", m),
                    f"{fact.question!r} is a choice question: {phrase!r} must be one of its values: "
                    + ", ".join(values),
                )


def _question(bank: QuestionBank, qid: str, data: LinedData, place: Place) -> Iterator[BankProblem]:
    if qid not in bank:
        yield data.problem(place, f"{qid!r} is not a question in the bank (bank {bank.version})")
    # A per-need follow-up (bot.questions.per_choice) is generated but asks for the facts themselves.
    elif (question := bank.question(qid)).source_of is not None or (
        question.is_synthesised and question.per_choice_of is None
    ):
        yield data.problem(
            place, f"{qid!r} is a generated 'how do you know?' question: name the question it follows"
        )


def _choice(bank: QuestionBank, qid: str, value: str, data: LinedData, place: Place) -> Iterator[BankProblem]:
    if qid not in bank:
        yield data.problem(place, f"the bank has no {qid!r} question to take this value from")
        return
    values = [
        choice.value
        for choice in bank.question(qid).choices
        if choice.value not in NO_CONTENT_VALUES and choice.value != UNSURE
    ]
    if value not in values:
        yield data.problem(place, f"{value!r} is not one of the bank's {qid!r} values: {', '.join(values)}")


def _unique(data: LinedData, key: str, ids: list[str]) -> Iterator[BankProblem]:
    seen: set[str] = set()
    for n, value in enumerate(ids):
        if value in seen:
            yield data.problem((key, n, "id"), f"{value!r} is used twice in {key}")
        seen.add(value)


def _route(scenario: Scenario, data: LinedData) -> Iterator[BankProblem]:
    route = scenario.route
    if route.pathway not in PATHWAY_BY_KEY:
        yield data.problem(
            ("route", "pathway"),
            f"{route.pathway!r} is not a pathway (bot/domain/pathways.yaml): {', '.join(PATHWAY_BY_KEY)}",
        )
    elif route.prevent != (route.pathway == PREVENT_PATHWAY):
        expected = f"is {PREVENT_PATHWAY!r}" if route.prevent else f"is not {PREVENT_PATHWAY!r}"
        yield data.problem(
            ("route", "pathway"), f"prevent is {str(route.prevent).lower()}, so the pathway {expected}"
        )


def _neutral(value: object, place: Place, data: LinedData, wording: Wording) -> Iterator[BankProblem]:
    """Every wording field, however deep: none names an ideology, a religion, a place or a community."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _neutral(item, (*place, key), data, wording)
    elif isinstance(value, tuple):
        for n, item in enumerate(value):
            yield from _neutral(item, (*place, n), data, wording)
    elif isinstance(value, str) and any(part in WORDING_FIELDS for part in place if isinstance(part, str)):
        word = wording.names(value)
        if word is not None:
            yield data.problem(
                place,
                f"names {word!r}: a scenario describes what was said or done, never an ideology, religion, "
                "place or community (bot/questions/neutral_wording.yaml)",
            )
