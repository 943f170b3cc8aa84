"""The "how do you know?" prompt that follows every factual answer, generated rather than written out.

Every fact a lead weighs needs a source (guardrail 6), and the four kinds of source are the same for every
question. Writing the prompt once here keeps it identical everywhere and lets a bank author mark a question
`ask_source: true` instead of copying two questions after it. The generated questions are ordinary
questions in the flow, so the dialogue, the store and the export need nothing special for them.
"""

from __future__ import annotations

from bot.questions.model import AnswerType, Choice, Condition, Question

SOURCE_SUFFIX = "__source"
ROLE_SUFFIX = "__source_role"
SOMEONE_ELSE = "someone_else_told_me"

SOURCE_CHOICES: tuple[Choice, ...] = (
    Choice("seen_or_heard_myself", "I saw or heard it myself", ("myself", "first hand", "first-hand")),
    Choice("young_person_told_me", "The young person told me", ("they told me",)),
    Choice(SOMEONE_ELSE, "Someone else told me", ("someone else", "someone told me")),
    Choice("found_online", "Found online", ("online",)),
    Choice("records", "From records or case notes", ("case notes", "records")),
)


def source_question_id(parent_id: str) -> str:
    return parent_id + SOURCE_SUFFIX


def source_prompts(parent: Question, unsure_choice: Choice) -> tuple[Question, Question]:
    """The source question, shown once the parent has an answer with content, and the role of the person who
    told you, shown only for "someone else told me"."""
    source = Question(
        id=source_question_id(parent.id),
        section_id=parent.section_id,
        text="How do you know this?",
        answer_type=AnswerType.SINGLE_CHOICE,
        choices=(*SOURCE_CHOICES, unsure_choice),
        why="Your lead weighs each fact by where it came from: seen first-hand, told by the young person, "
        "passed on by someone else, or found online.",
        show_if=(Condition(parent.id, "answered"),),
        source_of=parent.id,
        origin=parent.origin,
    )
    role = Question(
        id=parent.id + ROLE_SUFFIX,
        section_id=parent.section_id,
        text="What is their role or relationship to the young person? For example 'class teacher' or "
        "'aunt'. A name isn't needed.",
        answer_type=AnswerType.FREE_TEXT,
        choices=(),
        why="A role is enough for your lead to judge how the person knows; leaving names out keeps the "
        "record to what is needed.",
        show_if=(Condition(source.id, "equals", (SOMEONE_ELSE,)),),
        source_of=parent.id,
        origin=parent.origin,
    )
    return source, role
