"""The bank check (`bot questions check`, `make bank-check`, issue #18): what the loader does not refuse but a
lead relies on, reported all at once as `file:line: field: message`.

The loader's own problems come first (among them rule 1: a show_if names an earlier question and values it
has; bot.questions.condition_checks). Then each rule below, small and named, over the bank as read:
  unsure_is_offered       every choice question offers "Not sure" unless index.yaml `no_unsure` lists it;
  neutral_wording         the bot's own wording names no ideology, religion, place or community;
  presuming_has_show_if   wording that takes a concern for granted is only asked after an answer raised it;
  evidence_follows        a question that can raise a concern is followed by what, when and how it is known.
The allow-lists in index.yaml (`no_unsure`, `evidence_pending`, `presumes_pending`) make each exception a
visible decision; an entry that names no question, or a question the rule no longer stops, is reported too,
so that the lists only shrink.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from yaml.nodes import Node, ScalarNode

from bot.questions.evidence import concern_values
from bot.questions.evidence import raises_concern as concern_question
from bot.questions.loader import ALLOW_LISTS, DEFAULT_BANK_PATH, BankReading, read_bank
from bot.questions.model import CHOICE_TYPES, AnswerType, BankProblem, Question
from bot.questions.question_reader import QuestionDraft
from bot.questions.wording_checks import (
    WORDING_PATH,
    Wording,
    neutral_wording,
    presuming_has_show_if,
    problem_at,
)
from bot.questions.yaml_nodes import NULL_TAG, joined


@dataclass(frozen=True)
class CheckedBank:
    reading: BankReading
    # Each allow-list's entries: question id -> the entry's node, for reporting a stale one.
    allowed: dict[str, dict[str, Node]]
    wording: Wording

    def drafts(self) -> Iterator[QuestionDraft]:
        return (draft for section in self.reading.sections for draft in section.questions)

    def allow_list_problem(self, name: str, qid: str, message: str) -> BankProblem:
        node = self.allowed[name][qid]
        file = self.reading.index.file if self.reading.index is not None else "(bank)"
        return BankProblem(file, node.start_mark.line + 1, name, message)


Rule = Callable[[CheckedBank], Iterator[BankProblem]]


def check_bank(
    path: str | os.PathLike[str] | None = None, *, wording_path: Path = WORDING_PATH
) -> list[BankProblem]:
    """Every problem in the bank at `path` (the shipped bank if None); empty when it is clean."""
    reading = read_bank(path if path is not None else DEFAULT_BANK_PATH)
    wording = Wording.load(wording_path, reading.problems)
    allowed = _allow_lists(reading)
    if wording is None:
        return list(reading.problems)
    bank = CheckedBank(reading, allowed, wording)
    problems = list(reading.problems)
    for rule in RULES:
        problems.extend(rule(bank))
    return problems


def _allow_lists(reading: BankReading) -> dict[str, dict[str, Node]]:
    """Each allow-list as ids; a malformed entry is reported by the index's reader (with the loader's)."""
    lists: dict[str, dict[str, Node]] = {name: {} for name in ALLOW_LISTS}
    if reading.index is None:
        return lists
    for name, node in reading.allow_lists.items():
        if isinstance(node, ScalarNode) and node.tag == NULL_TAG:
            continue  # the key left with nothing under it, once its last entry has gone
        for n, item in enumerate(reading.index.sequence(node, name, non_empty=False) or ()):
            qid = reading.index.identifier(item, joined(name, n))
            if qid is not None:
                lists[name][qid] = item
    return lists


def unsure_is_offered(bank: CheckedBank) -> Iterator[BankProblem]:
    """Removing "Not sure" is a visible decision: index.yaml `no_unsure` lists each question that does."""
    listed = bank.allowed["no_unsure"]
    seen: set[str] = set()
    for draft in bank.drafts():
        question = draft.question
        seen.add(question.id)
        if question.answer_type not in CHOICE_TYPES or question.allow_unsure:
            continue
        if question.id not in listed:
            yield _problem(
                draft,
                "allow_unsure",
                f'{question.id!r} offers no "Not sure": a practitioner who does not know must guess; '
                "list it in index.yaml no_unsure if that is meant",
            )
    by_id = {draft.question.id: draft.question for draft in bank.drafts()}
    for qid in listed:
        if qid not in seen:
            yield bank.allow_list_problem("no_unsure", qid, f"no question {qid!r} in the bank")
        elif by_id[qid].allow_unsure:
            yield bank.allow_list_problem("no_unsure", qid, f'{qid!r} offers "Not sure": remove it from here')


def raises_concern(draft: QuestionDraft) -> bool:
    """A yes/no or choice question whose answer can raise a concern: `evidence: true`, or a vaf tag."""
    return concern_question(draft.question)


def has_pattern(qid: str, questions: tuple[Question, ...]) -> bool:
    """What (free text), when (a rough date) and how it is known, all shown for a concern and for "not
    sure", after the question, in that order (bot.questions.evidence)."""
    position = {question.id: n for n, question in enumerate(questions)}
    later = questions[position[qid] + 1 :]

    def role(answer_type: AnswerType, source: bool = False) -> int | None:
        return next(
            (
                n
                for n, q in enumerate(later)
                if q.answer_type == answer_type
                and (q.source_of is not None) == source
                and any(c.question == qid and c.kind == "raised" for c in q.show_if)
            ),
            None,
        )

    what, when, how = (
        role(AnswerType.FREE_TEXT),
        role(AnswerType.ROUGH_DATE),
        role(AnswerType.SINGLE_CHOICE, True),
    )
    return what is not None and when is not None and how is not None and what < when < how


def evidence_follows(bank: CheckedBank) -> Iterator[BankProblem]:
    """A concern needs what was said or done, when, and how it is known, shown for "not sure" too: the
    loader writes them for every question marked `evidence: true` or tagged `vaf` (bot.questions.evidence).
    Index.yaml `evidence_pending` lists the ones still without."""
    pending = bank.allowed["evidence_pending"]
    followed: dict[str, bool] = {}
    for draft in bank.drafts():
        question = draft.question
        if not raises_concern(draft):
            continue
        # A choice question whose every choice says `concern: false` opens the pattern only on "not sure".
        followed[question.id] = bool(concern_values(question)) and has_pattern(
            question.id, bank.reading.questions
        )
        if not followed[question.id] and question.id not in pending:
            yield _problem(
                draft,
                "vaf" if question.vaf is not None else "evidence",
                f"{question.id!r} can raise a concern but no answer opens what was said or done, when and "
                "how it is known: leave concern: false off the choices that raise it (or list it in"
                " index.yaml evidence_pending)",
            )
    for qid in pending:
        if qid not in followed:
            yield bank.allow_list_problem(
                "evidence_pending", qid, f"{qid!r} is not a choice question that can raise a concern here"
            )
        elif followed[qid]:
            yield bank.allow_list_problem(
                "evidence_pending", qid, f"{qid!r} has its evidence follow-up now: remove it from here"
            )


def _problem(draft: QuestionDraft, key: str, message: str) -> BankProblem:
    return problem_at(draft.reader, draft.node, draft.field, key, message)


RULES: tuple[Rule, ...] = (unsure_is_offered, neutral_wording, presuming_has_show_if, evidence_follows)
