"""The suggested next step after submission: transparent rules over the answers, every reason shown.

Guardrail 1 of the domain reference: no scores, no labels. So this never adds anything up; it lists which
steps' conditions held, quoting the practitioner's own answers as the reasons (a chosen option by its label),
and says plainly that the lead decides. The rules are data (next_steps.yaml), checked against the question
bank by a test.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from bot.dialogue.wording import answer_words
from bot.domain.records import AssessmentRecord
from bot.domain.yaml_files import read_yaml
from bot.questions import QuestionBank

RULES_PATH = Path(__file__).with_name("next_steps.yaml")


@dataclass(frozen=True)
class Rule:
    question: str | None = None
    equals: tuple[str, ...] = ()
    includes: tuple[str, ...] = ()
    flag: str | None = None
    always: bool = False


@dataclass(frozen=True)
class Step:
    id: str
    suggestion: str
    when_any: tuple[Rule, ...]


@dataclass(frozen=True)
class Suggestion:
    step_id: str
    suggestion: str
    reasons: tuple[str, ...]


@cache
def load_steps(path: Path = RULES_PATH) -> tuple[Step, ...]:
    data = read_yaml(path)
    return tuple(
        Step(
            id=step["id"],
            suggestion=step["suggestion"],
            when_any=tuple(
                Rule(
                    question=rule.get("question"),
                    equals=_strings(rule.get("equals")),
                    includes=_strings(rule.get("includes")),
                    flag=rule.get("flag"),
                    always=bool(rule.get("always", False)),
                )
                for rule in step["when_any"]
            ),
        )
        for step in data["steps"]
    )


def _strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    return tuple(str(v) for v in (value if isinstance(value, list) else [value]))


def suggest_next_steps(bank: QuestionBank, record: AssessmentRecord) -> list[Suggestion]:
    suggestions = []
    for step in load_steps():
        reasons = [reason for rule in step.when_any if (reason := _reason(rule, bank, record))]
        if reasons:
            suggestions.append(Suggestion(step.id, step.suggestion, tuple(reasons)))
    return suggestions


def _reason(rule: Rule, bank: QuestionBank, record: AssessmentRecord) -> str:
    if rule.always:
        return "Every assessment is reviewed by a lead."
    if rule.flag == "urgent":
        return "You reported immediate danger during the assessment." if record.urgent else ""
    if rule.question is None or rule.question not in record.answers or rule.question not in bank:
        return ""
    answer = record.answers[rule.question]
    value = answer.value
    chosen = set(value) if isinstance(value, list) else {value}
    if (rule.equals and value in rule.equals) or (rule.includes and chosen & set(rule.includes)):
        return f"You answered '{answer_words(bank, answer)}' to: {bank.question(rule.question).text}"
    return ""


def describe(suggestions: list[Suggestion]) -> str:
    lines = ["Suggested next steps, for your lead to confirm (a suggestion, not a decision):"]
    for suggestion in suggestions:
        lines.append(f"\n- {suggestion.suggestion}")
        lines.extend(f"  Because: {reason}" for reason in suggestion.reasons)
    return "\n".join(lines)
