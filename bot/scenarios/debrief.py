"""The debrief of a practice run (issue #13): the scenario's facts captured or not, and how the run went.

A pure function over typed records: the scenario, the question bank, and the run as the store keeps it
(`PracticeRun`). It reads nothing and writes nothing, so the page, a future export and the tests all get the
same debrief from the same run.

Matching is explainable, never a black box: a fact is captured when one of its `captured_by` phrases appears
in the practitioner's answer to the fact's own question or one of that question's follow-ups, as whole
words, ignoring case and punctuation ("They'll see!" matches "they'll see"); for a choice question, when one
of its `captured_by` values was chosen. The debrief shows every phrase that matched and the answer it was
found in. It describes the practice, never the fictional child: no score, no risk level, no percentage.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from bot.domain.records import AnswerRecord
from bot.questions.flow import QuestionBank, is_follow_up
from bot.questions.model import CHOICE_TYPES, LINKED, Question, has_content
from bot.questions.sources import source_question_id
from bot.scenarios.debrief_data import DebriefData
from bot.scenarios.debrief_records import (
    DangerDebrief,
    Debrief,
    FactDebrief,
    Match,
    PracticeRun,
    Words,
)
from bot.scenarios.model import Fact, Scenario

ANSWERED = "answered"
SKIPPED = "skipped"
_APOSTROPHES = re.compile(r"['\u2019\u2018`]")
_NOT_WORD = re.compile(r"[^0-9a-z]+")
_DIGIT = re.compile(r"[0-9]")
# Shorter words of a fact's `when` ("in the summer") are not dates on their own; longer ones are.
_WHEN_WORD_MIN = 4


def build_debrief(scenario: Scenario, bank: QuestionBank, data: DebriefData, run: PracticeRun) -> Debrief:
    answers = {qid: answer for qid, answer in run.answers.items() if answer.status in (ANSWERED, "unsure")}
    values = {qid: answer.value for qid, answer in answers.items()}
    visible = bank.visible_ids(values)
    other = answers.get(data.other_explanations_question)
    return Debrief(
        scenario_id=scenario.id,
        title=scenario.title,
        facts=tuple(_fact(fact, bank, data, answers) for fact in scenario.facts),
        empty_follow_ups=tuple(
            Words(question.id, question.text, "")
            for question in bank.questions
            if question.id in visible
            and is_follow_up(question)
            and not question.is_synthesised
            and _is_empty(answers.get(question.id))
        ),
        danger=_danger(scenario, bank, run),
        other_explanations=(
            _words(other, bank)
            if other is not None and other.status == ANSWERED and _has_text(other)
            else None
        ),
        other_explanations_question=bank.question(data.other_explanations_question).text,
        time_taken=run.submitted_at - run.started_at if run.submitted_at is not None else None,
        turns=run.turns,
    )


def normalise(text: str) -> str:
    """Lower case, apostrophes dropped ("they'll" is "theyll"), other punctuation a space, single spaces."""
    return " ".join(_NOT_WORD.sub(" ", _APOSTROPHES.sub("", text.lower())).split())


def phrase_in(phrase: str, text: str) -> bool:
    """The phrase as whole words in the text, ignoring case and punctuation."""
    wanted = normalise(phrase)
    return bool(wanted) and f" {wanted} " in f" {normalise(text)} "


def follow_ups_of(bank: QuestionBank, qid: str) -> tuple[Question, ...]:
    """The questions the answer to `qid` opens, and the ones those open, in bank order; without the
    generated "how do you know?" prompts (their answers are sources, read separately). The follow-ups
    asked for each choice ticked (bot.questions.per_choice) are generated but hold the facts: included."""
    opened: set[str] = {qid}
    found: list[Question] = []
    for question in bank.questions:  # bank order: a follow-up always comes after what opens it
        names = {name for condition in question.show_if for name in condition.names} - {LINKED}
        if names & opened and question.id not in opened:
            opened.add(question.id)
            if not question.is_synthesised or (question.per_choice_of and question.source_of is None):
                found.append(question)
    return tuple(found)


def _fact(
    fact: Fact, bank: QuestionBank, data: DebriefData, answers: Mapping[str, AnswerRecord]
) -> FactDebrief:
    own = bank.question(fact.question)
    asked = (own, *follow_ups_of(bank, fact.question))
    given = [(question, answers[question.id]) for question in asked if question.id in answers]
    matches = tuple(_matches(fact, given, bank))
    captured = bool(matches)
    with_content = [(question, answer) for question, answer in given if _has_text(answer)]
    return FactDebrief(
        fact_id=fact.id,
        summary=fact.summary,
        question_id=own.id,
        question=own.text,
        captured=captured,
        matches=matches,
        words=tuple(_words(answer, bank) for _, answer in with_content),
        source_missing=captured and _source_missing(with_content, answers, bank),
        date_missing=captured and _date_missing(with_content, fact, data),
        when=fact.when,
    )


def _matches(
    fact: Fact, given: Iterable[tuple[Question, AnswerRecord]], bank: QuestionBank
) -> Iterable[Match]:
    for question, answer in given:
        if answer.status != ANSWERED:
            continue
        for phrase in fact.captured_by:
            if question.answer_type in CHOICE_TYPES:
                chosen = answer.value if isinstance(answer.value, list) else [answer.value]
                if phrase in chosen:
                    choice = question.choice(phrase)
                    yield Match(choice.label if choice is not None else phrase, _words(answer, bank))
            elif phrase_in(phrase, answer.text):
                yield Match(phrase, _words(answer, bank))


def _source_missing(
    with_content: list[tuple[Question, AnswerRecord]],
    answers: Mapping[str, AnswerRecord],
    bank: QuestionBank,
) -> bool:
    """True when the run answered a question that asks how it is known, and left that unanswered. A question
    asks it by `ask_source`, or through the evidence pattern's "how do you know?" generated after it (#18)."""
    sourced = [
        question
        for question, _ in with_content
        if question.ask_source or source_question_id(question.id) in bank
    ]
    if not sourced:
        # Nothing answered here asks for a source: the bank gave the run no place to record one.
        return False
    return not any(
        (answer := answers.get(source_question_id(question.id))) is not None
        and answer.status == ANSWERED
        and has_content(answer.value)
        for question in sourced
    )


def _date_missing(with_content: list[tuple[Question, AnswerRecord]], fact: Fact, data: DebriefData) -> bool:
    """True when the run wrote about the fact in words and none of them says when; a fact captured only by a
    choice has no place for a date, so it is never reported missing."""
    written = [answer for question, answer in with_content if question.answer_type not in CHOICE_TYPES]
    return bool(written) and not any(_says_when(answer, fact, data) for answer in written)


def _says_when(answer: AnswerRecord, fact: Fact, data: DebriefData) -> bool:
    if answer.fact_date is not None:
        return True
    words = set(normalise(answer.text).split())
    when = {word for word in normalise(fact.when).split() if len(word) >= _WHEN_WORD_MIN}
    return bool(words & (data.time_words | when)) or bool(_DIGIT.search(answer.text))


def _danger(scenario: Scenario, bank: QuestionBank, run: PracticeRun) -> DangerDebrief | None:
    if scenario.danger is None:
        return None
    return DangerDebrief(
        told=scenario.danger.told,
        after_question=bank.question(scenario.danger.after_question).text,
        handled=bool(run.danger_reported_at),
        reported_at=min(run.danger_reported_at) if run.danger_reported_at else None,
    )


def _words(answer: AnswerRecord, bank: QuestionBank) -> Words:
    wording = answer.wording or (bank.question(answer.question_id).text if answer.question_id in bank else "")
    return Words(answer.question_id, wording, answer.text)


def _has_text(answer: AnswerRecord) -> bool:
    return answer.status == ANSWERED and has_content(answer.value) and bool(answer.text.strip())


def _is_empty(answer: AnswerRecord | None) -> bool:
    """Left empty: never answered or skipped. "Not sure" is an answer, and is not reported as empty."""
    return (
        answer is None or answer.status == SKIPPED or (answer.status == ANSWERED and not answer.text.strip())
    )
