"""Walking a bank: which question comes next, which came before, and how far along the practitioner is.

Visibility is worked out from the answers alone, every time, rather than remembered: going back and changing
an answer then hides the follow-ups it no longer justifies without anyone having to tidy up. A question is
visible when its own conditions hold and every question those conditions name is itself visible, so a stale
answer to a hidden follow-up never opens a further follow-up.
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from dataclasses import dataclass, field

from bot.questions.model import LINKED, SKIPPED, AnswerType, Condition, Progress, Question, Section
from bot.questions.sources import source_question_id

Answers = Mapping[str, object]


def is_follow_up(question: Question) -> bool:
    """Opened by another question's answer; a question shown only in an addition (`{linked: true}`) is not
    a follow-up: every addition asks it."""
    return any(condition.question != LINKED for condition in question.show_if)


def _holds(condition: Condition, answers: Answers, visible: set[str], skipped: Container[object]) -> bool:
    """Whether a condition holds: the question it looks at was asked and its answer satisfies it; for
    `any_of`, one alternative does (an alternative on a question not asked holds nothing)."""
    if condition.kind == "any":
        return any(_holds(part, answers, visible, skipped) for part in condition.alternatives)
    qid = condition.question
    given = qid in answers and qid not in skipped
    return qid in visible and condition.holds(answers.get(qid), given=given)


@dataclass(frozen=True)
class QuestionBank:
    version: str
    sections: tuple[Section, ...]
    questions: tuple[Question, ...]
    # sha256 of the files it was loaded from: two banks with the same version but different wording differ.
    digest: str = ""
    _by_id: Mapping[str, Question] = field(init=False, repr=False, compare=False)
    _position: Mapping[str, int] = field(init=False, repr=False, compare=False)
    _sections_by_id: Mapping[str, Section] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {question.id: question for question in self.questions})
        object.__setattr__(self, "_position", {question.id: n for n, question in enumerate(self.questions)})
        object.__setattr__(self, "_sections_by_id", {section.id: section for section in self.sections})

    def __contains__(self, qid: object) -> bool:
        return qid in self._by_id

    def question(self, qid: str) -> Question:
        try:
            return self._by_id[qid]
        except KeyError:
            raise KeyError(f"no question {qid!r} in bank version {self.version}") from None

    def section(self, section_id: str) -> Section:
        return self._sections_by_id[section_id]

    @property
    def authored_questions(self) -> tuple[Question, ...]:
        """The questions written in the YAML, without the generated source prompts."""
        return tuple(question for question in self.questions if not question.is_synthesised)

    def source_question_for(self, qid: str) -> Question | None:
        return self._by_id.get(source_question_id(qid))

    def visible_ids(self, answers: Answers) -> frozenset[str]:
        visible: set[str] = {LINKED}  # never a question: only what `{linked: true}` looks at
        # A skipped question has an answer (None, as "not sure" has) but raised nothing (issue #18).
        listed = answers.get(SKIPPED, ())
        skipped: Container[object] = listed if isinstance(listed, list | tuple | set | frozenset) else ()
        for question in self.questions:
            if all(_holds(condition, answers, visible, skipped) for condition in question.show_if):
                visible.add(question.id)
        return frozenset(visible - {LINKED})

    def age_given(self, answers: Answers) -> int | None:
        """The young person's age as answered to the bank's age question, where it has been: what reads a
        school year in a rough date ("since Year 9") as the calendar years it means."""
        for question in self.questions:
            if question.answer_type == AnswerType.AGE:
                value = answers.get(question.id)
                # bool is an int too; an age answer never is one, but a hand-built mapping might be
                if isinstance(value, int) and not isinstance(value, bool):
                    return value
        return None

    def is_visible(self, qid: str, answers: Answers) -> bool:
        self.question(qid)
        return qid in self.visible_ids(answers)

    def visible_questions(self, answers: Answers) -> tuple[Question, ...]:
        """Every question that would be asked given these answers, in order: the shape of a summary."""
        visible = self.visible_ids(answers)
        return tuple(question for question in self.questions if question.id in visible)

    def first_question(self) -> Question:
        first = self.next_question(None, {})
        if first is None:  # the loader refuses such a bank; this guards hand-built ones
            raise ValueError("the bank has no question that is asked without conditions")
        return first

    def next_question(self, after: str | None, answers: Answers) -> Question | None:
        """The first visible question after `after` (from the start when None); None at the end."""
        start = 0 if after is None else self._index(after) + 1
        visible = self.visible_ids(answers)
        return next((q for q in self.questions[start:] if q.id in visible), None)

    def last_question(self, answers: Answers | None = None) -> Question | None:
        """The last question that would be asked given these answers: where "back" from the end goes."""
        visible = self.visible_ids(answers or {})
        return next((q for q in reversed(self.questions) if q.id in visible), None)

    def previous_question(self, qid: str, answers: Answers) -> Question | None:
        """The nearest visible question before `qid`; None at the start."""
        end = self._index(qid)
        visible = self.visible_ids(answers)
        return next((q for q in reversed(self.questions[:end]) if q.id in visible), None)

    def progress(self, qid: str, answers: Answers) -> Progress:
        """Where `qid` sits, counted among its section's main questions: those asked of every run (and, in an
        addition to a submitted assessment, those asked of every addition). A follow-up, opened by an answer,
        takes the number of the main question before it and says it is a follow-up; so "of N" is fixed for
        the section whatever is answered, the number never goes down as the practitioner walks on, and
        follow-ups opening or closing never move it (issue #26 item 9)."""
        question = self.question(qid)
        section = self._sections_by_id[question.section_id]
        visible = self.visible_ids(answers)
        main = [q.id for q in section.questions if not is_follow_up(q) and (not q.show_if or q.id in visible)]
        before = self.questions[: self._index(qid) + 1]
        number = sum(1 for q in before if q.id in main)
        return Progress(
            section_title=section.title,
            section_number=self.sections.index(section) + 1,
            section_count=len(self.sections),
            question_number=max(1, number),
            question_count=max(1, number, len(main)),
            section_id=section.id,
            follow_up=is_follow_up(question),
        )

    def intro_due(self, qid: str, answers: Answers) -> str:
        """The intro of `qid`'s section, when `qid` is the first question of it asked and nothing in the
        section has an answer yet: so it is shown once, on reaching the section, and not on going back to
        its first question (answered by then) or on resuming later in it. Worked out, not remembered."""
        question = self.question(qid)
        section = self._sections_by_id[question.section_id]
        if any(q.id in answers for q in section.questions):
            return ""
        visible = self.visible_ids(answers)
        first = next((q.id for q in section.questions if q.id in visible), qid)
        return section.intro if first == qid else ""

    def _index(self, qid: str) -> int:
        try:
            return self._position[qid]
        except KeyError:
            raise KeyError(f"no question {qid!r} in bank version {self.version}") from None
