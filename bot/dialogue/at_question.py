"""A question from the bank is open: ask it, read the answer, and back, skip and help there.

An answer is recorded as a new revision (the history keeps every earlier one), except that the same answer
sent again is the same revision, so a retried message never looks like a change of mind.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from bot.dialogue.another_way import ANOTHER_WAY_FROM, put_another_way
from bot.dialogue.control_cues import load_cues
from bot.dialogue.control_families import load_families
from bot.dialogue.followups import danger_reported, start_followups
from bot.dialogue.moves import next_position, question_before
from bot.dialogue.plan import AnswerDraft, Button, Plan, Say, tell
from bot.dialogue.wording import mode_suffix, shown
from bot.domain.positions import AtQuestion, AtReview
from bot.domain.protocol import Payload
from bot.domain.records import SKIPPED_KEY, AnswerRecord, AssessmentRecord
from bot.questions import AnswerType, Question, QuestionBank
from bot.questions.answers import AnswerProblem, ParsedAnswer, parse_answer
from bot.questions.dates import read_date_detail
from bot.questions.labels import unsure_label
from bot.questions.phrases import is_unsure, leading_yes_no, match_key
from bot.questions.rough_dates import read_rough_date

SKIP = Button("Skip", Payload.SKIP)
NAVIGATION = (
    Button("Back", Payload.GO_BACK),
    SKIP,
    Button("Why are you asking?", Payload.HELP),
    Button("Pause", Payload.PAUSE),
)
# A required question is never skipped (issue #26): no "Skip" button, and "skip" however sent is refused.
REQUIRED_NAVIGATION = tuple(button for button in NAVIGATION if button != SKIP)

# What counts as answering a required question: an answer, or "not sure" where the question allows it.
ANSWERED = frozenset({"answered", "unsure"})

RECHECK_DANGER = Say(
    text="Thank you. If this could happen now or very soon, call 999 first and then tell your safeguarding "
    "lead. If someone is in immediate danger, choose the button and I will flag this for your lead.",
    buttons=(Button("Someone is in danger now", Payload.REPORT_DANGER),),
)


# The paragraph that shows a question's earlier answer back; Teams leaves the answer out (bot.teams.withheld).
ANSWER_WAS = "Your answer was: "
KEEP_OR_CHANGE = "Type a new answer, or choose 'Keep my answer'."
STILL_NEEDED = "This one needs an answer before you can submit."


def ask_question(
    bank: QuestionBank, record: AssessmentRecord, here: AtQuestion, *, again: bool = False
) -> Say:
    """The message that asks the open question, with progress and every control reachable. A section's
    introduction comes once, on reaching the section: not when the question is asked `again` straight after
    a reply that changed nothing (one it could not read, say)."""
    question = bank.question(here.question_id)
    answers = record.answer_values()
    progress = bank.progress(question.id, answers)
    follow_up = ", follow-up" if progress.follow_up else ""
    intro = "" if again else bank.intro_due(question.id, answers)  # issue #26 item 9
    parts = [
        f"{progress.section_title}, question {progress.question_number} of {progress.question_count}"
        f"{follow_up}; section {progress.section_number} of {progress.section_count}" + mode_suffix(record),
        *([intro] if intro else []),
        question.text,
    ]
    given = record.answers.get(question.id)
    buttons = [Button(choice.label, choice.label) for choice in question.choices]
    if given is not None and not missing_required(question, given):
        parts.append(f"{ANSWER_WAS}{shown(bank, given)}. {KEEP_OR_CHANGE}")
        buttons.append(Button("Keep my answer", Payload.SKIP))
    elif given is not None:
        parts.append(f"{ANSWER_WAS}{shown(bank, given)}. {STILL_NEEDED}")
    navigation = REQUIRED_NAVIGATION if question.required else NAVIGATION
    return Say(text="\n\n".join(parts), buttons=(*buttons, *navigation))


def missing_required(question: Question, given: AnswerRecord | None) -> bool:
    """A required question with no answer, or only a skipped one (stored by an older version): "Not sure"
    counts as an answer."""
    return question.required and (given is None or given.status not in ANSWERED)


def cannot_skip(question: Question) -> Plan:
    """Why a required question can't be skipped, and what to do instead; nothing recorded, nothing moved."""
    unsure = unsure_label(question) or "Not sure"
    if question.effect == "danger_if_yes":
        instead = (
            f"If you don't know, choose '{unsure}': I will flag this for your lead straight away, to be safe."
        )
    elif question.allow_unsure and question.answer_type == AnswerType.FREE_TEXT:
        instead = "If you don't know, write what you can, or type 'not sure'."
    elif question.allow_unsure:
        instead = f"If you don't know, choose '{unsure}'."
    else:
        labels = " or ".join(f"'{choice.label}'" for choice in question.choices)
        instead = f"Please choose {labels}."
    return tell(
        "This question can't be skipped: your safeguarding lead cannot act on this record without an "
        f"answer to it. {question.why} {instead}"
    )


def choice_words(bank: QuestionBank, here: AtQuestion) -> frozenset[str]:
    """The open question's choice values and labels: typed, each is an answer even if it looks like a
    control ("It has dropped recently" is no "stop")."""
    question = bank.question(here.question_id)
    return frozenset(w.lower() for c in question.choices for w in (c.value, c.label))


def reads_as_answer(
    bank: QuestionBank,
    here: AtQuestion,
    text: str,
    today: date,
    control: str | None = None,
    classifier_control: str | None = None,
) -> bool:
    """Whether typed text is an answer the open question can read. Free text reads anything, so there a
    short control phrase ("skip") stays a control; a button's payload is never an answer. `control`: the
    control the message was read as. A change to an earlier answer or a skip, by its family, that comes with
    words of not knowing ("I put not sure earlier but now I know, can I change it", "no info on this one,
    move on") is no "not sure": only the whole message said as a "not sure" phrase is. Nor is a leading "no"
    an answer when the rest of the message asks for the same control on its own ("nope, lost me, say it
    another way", "no, cancel it, wrong family") and the classifier (`classifier_control`, the control its
    intent names) reads it so too. Help likewise, where it asks something of the question ("read it three
    times, still not clear, other words?", "not sure I follow, what is it after"): no "not sure" of the
    answer unless the whole message is one."""
    question = bank.question(here.question_id)
    if question.answer_type == AnswerType.FREE_TEXT or text.strip().startswith("/"):
        return False
    parsed = parse_answer(question, text, today=today)
    if not isinstance(parsed, ParsedAnswer):
        return False
    if control is None:
        return True
    if (
        classifier_control == control
        and _asks_after_leading_word(text, control)
        and not is_unsure(match_key(text))
    ):
        return False
    families = load_families()
    return not (
        control in ("back", "skip", "help")
        and parsed.status == "unsure"
        and not is_unsure(match_key(text))
        and control in families.matching(text)
        and (control != "help" or any(families.carries(kind, text) for kind in _ASKS_OF_THE_QUESTION))
    )


# The kinds of help that ask something of the question (control_families.yaml classes): for it again in other
# words, what it wants from the writer, what goes in it. "unclear at this point" asks nothing: a "not sure";
# nor does explaining told of someone (`explain_told`: "not sure, she never explained it to me").
_ASKS_OF_THE_QUESTION = ("explainword", "sought", "what_goes")


# Someone the rest of a "no, ..." is about: then it is an account that answers the question ("no, he went
# back to his dad's", "no, she never said why"), though its words carry a control's family. The words are the
# families' own (control_families.yaml `someone_told_of` and `someone_named`).
_SOMEONE_CLASSES = ("someone_told_of", "someone_named")


def _asks_after_leading_word(text: str, control: str) -> bool:
    """Whether, after a leading yes or no and its comma ("nope, ..."), the rest is a control's family and
    that control is the one the message was read as, about nobody: the yes or no only opened the request."""
    if leading_yes_no(text) is None:
        return False
    rest = text.strip().split(maxsplit=1)[1:]
    families = load_families()
    if not rest or set(match_key(rest[0]).split()) & families.words_of(*_SOMEONE_CLASSES):
        return False
    return control in families.matching(rest[0])


def names_a_past_when(text: str, today: date) -> bool:
    """Whether the whole message is a time already past ("last week", "last Friday", "a couple of weeks
    back", "since Year 9"): an answer about when something happened, never a control, though the classifier,
    hearing "last" and "back", may take it for "go back" (a probe of the model read "last week" at 0.56 and
    "a couple of weeks back" at 0.67 as go_back, which sent a practitioner back a question). Only the past:
    "tomorrow" or "next week" alone may well mean "let's carry on then", and today ("now", "tonight") is left
    to the classifier, so a danger report or a pause that names today is read as before."""
    exact = read_date_detail(text, today=today)
    if exact is not None:
        return exact.date < today
    rough = read_rough_date(text, today=today)
    return rough is not None and (rough.latest is None or rough.latest < today)


def asks_what_it_means(bank: QuestionBank, here: AtQuestion, text: str, today: date) -> bool:
    """Whether typed text at a question the bot reads would be taken as "not sure" but asks what the
    question means: "I don't know what you mean" at a date question wants help, not "not sure" stored."""
    question = bank.question(here.question_id)
    if question.answer_type == AnswerType.FREE_TEXT or not load_cues().asks_meaning_of(text):
        return False
    parsed = parse_answer(question, text, today=today)
    return isinstance(parsed, ParsedAnswer) and parsed.status == "unsure"


def plan_question_answer(
    bank: QuestionBank,
    record: AssessmentRecord,
    here: AtQuestion,
    text: str,
    *,
    today: date,
    misfits: int = 0,
) -> Plan:
    """Record the message as the answer to the open question, or explain why it can't be. `misfits`: the
    replies just before this one, in a row, that the question could not read; from the second such reply
    the question is put another way rather than refused with the same words again (issue #11)."""
    question = bank.question(here.question_id)
    # The age already given turns "since Year 9" into the calendar years it means (issue #18).
    parsed = parse_answer(question, text, today=today, age=bank.age_given(record.answer_values()))
    if isinstance(parsed, AnswerProblem):
        if misfits + 1 < ANOTHER_WAY_FROM:
            return replace(tell(parsed.message), misfit=True)
        given = record.answers.get(question.id)
        kept = given is not None and not missing_required(question, given)
        # The explanation takes the question's place: asking it again straight after would bury its buttons.
        return Plan(say=(put_another_way(question, kept_answer=kept),), misfit=True, wait_for_reply=True)
    draft = AnswerDraft(
        question_id=question.id,
        revision=_next_revision(record, question.id),
        wording=question.text,
        text=text,
        value=parsed.value,
        status=parsed.status,
        fact_date=parsed.fact_date,
    )
    draft = _as_replay_if_unchanged(record, draft)
    answers = record.answer_values() | {question.id: parsed.value}
    # Worked out before the answer is stored: a question skipped before is not skipped now (issue #18).
    answers[SKIPPED_KEY] = [qid for qid in answers.get(SKIPPED_KEY, []) if qid != question.id]
    move_to = next_position(bank, question.id, answers)
    if question.effect == "danger_if_yes" and (parsed.value == "yes" or parsed.status == "unsure"):
        return Plan(
            say=danger_reported(record),
            record=draft,
            move_to=start_followups(move_to),
            urgent_message=text,
        )
    if question.effect == "submit_now_if_yes" and parsed.value == "yes":
        return Plan(record=draft, move_to=AtReview())
    if question.effect == "recheck_danger_if_yes" and parsed.value == "yes":
        return Plan(say=(RECHECK_DANGER,), record=draft, move_to=move_to)
    return Plan(record=draft, move_to=move_to)


def go_back(bank: QuestionBank, record: AssessmentRecord) -> Plan:
    """Back from a question, or from the summary, to the question before it."""
    before = question_before(bank, record)
    if before is None:
        return tell("This is the first question, so there is nothing to go back to.")
    return Plan(move_to=AtQuestion(before.id))


def question_control(
    bank: QuestionBank, record: AssessmentRecord, here: AtQuestion, control: str
) -> Plan | None:
    """Back, skip ("Keep my answer" once answered) and help at a question; None for the controls that work
    as anywhere else."""
    if control == "back":
        return go_back(bank, record)
    if control == "skip":
        question = bank.question(here.question_id)
        given = record.answers.get(question.id)
        if missing_required(question, given):
            return cannot_skip(question)
        move_to = next_position(bank, question.id, record.answer_values())
        if given is not None:  # "Keep my answer"
            return Plan(move_to=move_to)
        revision = _next_revision(record, question.id)
        draft = AnswerDraft(question.id, revision, question.text, "", None, "skipped")
        return Plan(record=draft, move_to=move_to)
    if control == "help":
        return tell(f"Why we ask: {bank.question(here.question_id).why}")
    return None


def _as_replay_if_unchanged(record: AssessmentRecord, draft: AnswerDraft) -> AnswerDraft:
    """The same answer sent again (after "send it again" or a retry) is the same revision, not a change:
    the store then treats it as an identical replay and the history shows no change that never happened."""
    given = record.answers.get(draft.question_id)
    if given is not None and (given.text, given.value, given.status, given.fact_date) == (
        draft.text,
        draft.value,
        draft.status,
        draft.fact_date,
    ):
        return replace(draft, revision=given.revision)
    return draft


def _next_revision(record: AssessmentRecord, question_id: str) -> int:
    """After the highest stored revision, counting withdrawn ones (which `answers` leaves out)."""
    stored = record.latest_revisions.get(question_id, 0)
    given = record.answers.get(question_id)
    return max(stored, given.revision if given else 0) + 1
