"""One practitioner's answers to the whole screening tool, and how to tell which question the bot is asking.

The screening is every section of the bank whose part is "screening" (start.yaml and screening.yaml); it
ends when the bot asks whether to send it now as a Request for Support or carry on (issue #12), or, where
that is not asked, with the first question of the exploratory assessment. Walkers that mean to go through
the whole assessment press CARRY_ON there. Questions are recognised by their
wording, taken from the bank itself, so a reworded question needs no edit here; a new screening question
without a planned answer fails loudly, naming it.

Typed answers carry what verbatim storage must survive: leading and trailing spaces, line breaks, quotes,
an en dash and emoji. A browser sends a line break as CRLF (see `as_posted_by_a_browser`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from bot.dialogue.after_screening import CARRY_ON as CARRY_ON_VALUE
from bot.dialogue.after_screening import SEND_NOW as SEND_NOW_VALUE
from bot.dialogue.after_screening import load_wording
from bot.questions import Question, QuestionBank, load_bank


@dataclass(frozen=True)
class Planned:
    question_id: str
    button: str | None = None  # the title of the button to press
    typed: str | None = None  # or the text to type

    @property
    def stored_text(self) -> str:
        """The answer's text as the store keeps it: a button's title, or the typed text."""
        return self.button if self.button is not None else (self.typed or "")


REHEARSAL_BANNER = "Rehearsal - fictional case"

# "Send this to your lead now, or carry on?" at the end of the screening: its wording and its two buttons.
ROUTE_QUESTION = load_wording().question.text
CARRY_ON = next(c.label for c in load_wording().question.choices if c.value == CARRY_ON_VALUE)
SEND_NOW = next(c.label for c in load_wording().question.choices if c.value == SEND_NOW_VALUE)
SEND_REQUEST = load_wording().submit_label  # the screening summary's submit button

PLAN: tuple[Planned, ...] = (
    Planned("immediate_danger", button="No"),
    Planned("discussed_with_lead", button="Yes"),
    Planned("lead_advice", typed="She said to keep a note of dates 📅\nand to ring her back on Friday.  "),
    Planned("practitioner_role", button="Youth or community worker"),
    Planned("practitioner_organisation", typed="  Riverside Youth Hub – detached team"),
    Planned("relationship_to_young_person", button="Through a youth, sports or community activity"),
    Planned(
        "concern_summary",
        typed='He stopped coming to football 😟 and told the coach "you lot will see".\n'
        "  He was shaking when he said it.  ",
    ),
    Planned("concern_summary__source", button="I saw or heard it myself"),
    Planned("concern_kinds", typed="1, 3"),
    Planned("first_noticed_date", typed="March 2024"),
    Planned("latest_noticed_date", typed="three weeks ago"),
    Planned("other_needs", button="None of these that I know of"),
    Planned("protective_factors", button="Positive activities, interests or groups"),
)
BY_ID = {planned.question_id: planned for planned in PLAN}


def as_posted_by_a_browser(text: str) -> str:
    """A browser's form post (and chat.js, which copies it) sends every line break as CRLF."""
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


@cache
def bank() -> QuestionBank:
    return load_bank()


def screening_ids() -> tuple[str, ...]:
    return tuple(q for s in bank().sections if s.part == "screening" for q in s.question_ids)


def first_assessment_question() -> Question:
    """Where the screening ends: the first question of the first exploratory-assessment section."""
    section = next(s for s in bank().sections if s.part == "assessment")
    return bank().question(section.question_ids[0])


def asked(message: str) -> Question | None:
    """The screening question (or the assessment's first) whose wording this bot message carries."""
    candidates = [bank().question(i) for i in screening_ids()] + [first_assessment_question()]
    found = [q for q in candidates if q.text in message]
    # "How do you know this?" is also the wording of later source prompts; within the screening the
    # longest match is the question meant.
    return max(found, key=lambda q: len(q.text)) if found else None


def plan_for(message: str) -> Planned:
    question = asked(message)
    assert question is not None, f"the bot asked something this plan does not know:\n{message}"
    assert question.id in BY_ID, f"no planned answer for screening question {question.id!r}:\n{message}"
    return BY_ID[question.id]


def is_route_choice(message: str) -> bool:
    """Whether the bot is asking "send it now or carry on?" (the end of the screening, issue #12)."""
    return ROUTE_QUESTION in message


def is_screening_over(message: str) -> bool:
    if is_route_choice(message):
        return True
    question = asked(message)
    return question is not None and question.id == first_assessment_question().id


def without_intros(message: str) -> str:
    """A bot message without any section introduction: a question asked again straight after a reply it
    could not read comes without its introduction (issue #26 item 9), and is still the same question."""
    for section in bank().sections:
        if section.intro:
            message = message.replace(f"{section.intro}\n\n", "").replace(section.intro, "")
    return message
