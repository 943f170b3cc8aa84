"""Free text stays sacred (issue #11): at a free-text question a short message that reads like a control is
neither taken as one nor stored as the answer without asking.

"can I come back to this later?" typed at "What did you notice?" may be a wish to pause, or (rarely) the
practitioner's words; both guesses are costly: a pause taken by mistake hides the answer they meant, an answer
stored by mistake puts a stray line in a child's record. So the bot asks, with both as buttons: "Save it as
my answer" or the control itself. The action that asks puts the exact text asked about, with the question it
was typed at, in the engine's `asked_about` slot (domain.yml), and "Save it as my answer" stores those words
verbatim: the decision to ask is never worked out again, so a rule that changes (or a reading that depends
on more than the engine's record keeps) cannot make the save come to nothing. Only when the slot is empty or
about another question (a conversation from before the slot) is the message before worked out again from
the engine's record; if that finds nothing either, the practitioner is told nothing was saved and the
question is asked again. Controls typed as their own name ("pause", "skip", "back") and button presses are
taken as they are; long accounts are answers, as always (bot.dialogue.reading).

The classifier's first guess is not the only evidence: "could you put that in other words" may come out as
"not sure" first and "why we ask" second, and a pause in words it has not seen may fall below every
threshold with "pause" next. So a control anywhere in its top two intents, at any confidence, is asked about
when the message also carries one of that control's cues (control_cues.yaml). The cue is what keeps "no",
"not sure" or "at school" from being asked about whatever the classifier ranks second.
"""

from __future__ import annotations

from typing import Any

from bot.dialogue.control_cues import load_cues
from bot.dialogue.moves import position
from bot.dialogue.plan import Button, Plan, Say
from bot.dialogue.reading import ACCOUNT_WORDS, INTENT_CONTROLS
from bot.domain.positions import AtQuestion
from bot.domain.protocol import Payload
from bot.domain.records import AssessmentRecord
from bot.questions import Question, QuestionBank
from bot.questions.phrases import match_key

# The "keep what I typed" button sends its own words, which only this module reads (never a payload, so the
# engine needs no new intent).
KEEP_LABEL = "Save it as my answer"
KEEP = match_key(KEEP_LABEL)
ASKED = "Do you want to save that as your answer, or did you mean to"

# The controls worth asking about, with how the question names them and their button.
_ASKABLE: dict[str, tuple[str, Button]] = {
    "back": ("go back to the last question", Button("Go back", Payload.GO_BACK)),
    "skip": ("skip this question", Button("Skip it", Payload.SKIP)),
    "help": ("ask why we need to know", Button("Why are you asking?", Payload.HELP)),
    "pause": ("pause and come back later", Button("Pause", Payload.PAUSE)),
    "stop": ("stop", Button("Stop", Payload.STOP)),
    "start_again": ("start again", Button("Start again", Payload.START_AGAIN)),
}
# A control typed as its own name is meant as that control: no answer to a free-text question is "pause".
_OWN_NAMES = frozenset(
    match_key(name)
    for name in (
        "back", "go back", "skip", "skip this", "skip it", "skip this one", "skip this question", "help",
        "why are you asking", "pause", "stop", "start again",
    )
)  # fmt: skip
# Past this many words a message is an account, whatever the classifier makes of it; past the shorter limit
# too if it is about someone ("he stopped going to football in May"): people ask for a control in up to ten
# words ("sorry, could we go back to the question before that one"), but seldom about a "he" or "she".
MAX_WORDS = 10
MAX_WORDS_ABOUT_SOMEONE = 8
# Up to this many words when the message also carries a cue of the control asked about: a request for a
# control with its reason ("sorry, can we go back to the one before, I put the wrong date in") runs past
# ten words, and at ten such messages were stored silently as the answer (issue #11). Two kinds of evidence,
# the classifier and the words, are needed for the longer ones; being asked costs a click and loses nothing
# (the words stay in the transcript and "Save it as my answer" stores them), while a stray line in a child's
# record is not seen until a lead reads it. Past this, an account is stored as given.
MAX_WORDS_WITH_CUE = 16
# At or above this, the classifier's first guess of a control is asked about on its own; below it (or for its
# second guess) the message must carry one of the control's cues too.
MIN_CONFIDENCE = 0.35
# The engine's FallbackClassifier puts this first when no intent reaches its threshold; the real intents
# follow it in the ranking, so it is passed over when taking the top two.
FALLBACK_INTENT = "nlu_fallback"
# The engine's `intent_ranking`, best first: (intent, confidence).
Ranking = tuple[tuple[str, float], ...]
# The engine slot that carries what "which did you mean?" asked about: {"question": id, "text": as typed}.
SLOT = "asked_about"
# Said when "Save it as my answer" finds nothing to save; the open question is asked again after it.
NOTHING_TO_KEEP = (
    "I couldn't find the message to save, so nothing was saved. "
    "Please type your answer to the question again."
)


def top_two_controls(control: str | None, ranking: Ranking) -> tuple[str, ...]:
    """The askable controls among the classifier's top two intents, best first. Without a ranking (a caller
    that has only the first guess), the first guess alone."""
    ranked = [name for name, _ in ranking if name != FALLBACK_INTENT][:2]
    named = [INTENT_CONTROLS.get(name) for name in ranked] if ranked else [control]
    return tuple(c for c in named if c in _ASKABLE)


def control_to_ask_about(
    question: Question, text: str, control: str | None, confidence: float, ranking: Ranking = ()
) -> str | None:
    """The control to ask about, when `text` typed at free-text `question` is short and reads like one:
    the classifier's first guess at `confidence` or more, or a control in its top two with a cue of its own
    in the message. `control`: the first guess as a control (None if it is no control)."""
    if question.answer_type.value != "free_text":
        return None
    key = match_key(text)
    if not key or text.strip().startswith("/") or key in _OWN_NAMES:
        return None
    words = key.split()
    about_someone = bool(set(words) & ACCOUNT_WORDS)
    cues = load_cues()
    if (
        about_someone
        and len(words) > MAX_WORDS_ABOUT_SOMEONE
        and not _asks_about_the_question(control, confidence, text, len(words))
    ):
        return None
    cued = next((c for c in top_two_controls(control, ranking) if cues.has_cue(c, text)), None)
    if len(words) > MAX_WORDS:
        return cued if len(words) <= MAX_WORDS_WITH_CUE else None
    if control in _ASKABLE and confidence >= MIN_CONFIDENCE:
        return control
    return cued


def _asks_about_the_question(control: str | None, confidence: float, text: str, words: int) -> bool:
    """ "why does it matter which class he was in": a question about the question names someone too. Up to
    MAX_WORDS, with the classifier's first guess help and a help cue of its own, it is asked about: an account
    of someone ("he came back later with his brother") seldom reads as help, and being asked loses nothing."""
    return (
        words <= MAX_WORDS
        and control == "help"
        and confidence >= MIN_CONFIDENCE
        and load_cues().has_cue("help", text)
    )


def is_keep(text: str) -> bool:
    return match_key(text) == KEEP


def ask_which(control: str, text: str) -> Plan:
    """Both readings as buttons; nothing recorded, nowhere moved: the question stays open for a new answer.
    `text`: the message asked about, exactly as typed, which the plan carries for the engine's slot."""
    wording, button = _ASKABLE[control]
    say = Say(text=f"{ASKED} {wording}?", buttons=(Button(KEEP_LABEL, KEEP_LABEL), button))
    return Plan(say=(say,), wait_for_reply=True, asked_about=text)


def slot_after(slot_value: object, question_id: str | None, plan: Plan, *, done: bool) -> dict[str, Any]:
    """The `asked_about` slot after one message at `question_id` (the question open when it was read): the
    text and question asked about when the plan asks, emptied by any other message once carried out, so a
    later "Save it as my answer" can never store an older message. Left as it was when the plan could not be
    carried out (the store was unavailable), so pressing the button again still finds the words."""
    if plan.asked_about is not None and question_id is not None:
        return {SLOT: {"question": question_id, "text": plan.asked_about}}
    if done and slot_value is not None:
        return {SLOT: None}
    return {}


def asked_text(bank: QuestionBank, record: AssessmentRecord, slot_value: object) -> str | None:
    """The exact text the bot asked about at the question still open, from the slot; None when the slot is
    empty, about another question, or not of our shape (an old conversation: then the fallback applies)."""
    here = position(bank, record)
    if not isinstance(here, AtQuestion) or not isinstance(slot_value, dict):
        return None
    text = slot_value.get("text")
    if slot_value.get("question") != here.question_id or not isinstance(text, str) or not text.strip():
        return None
    return text


def kept_answer(
    bank: QuestionBank,
    record: AssessmentRecord,
    earlier: str | None,
    earlier_intent: str | None,
    earlier_confidence: float,
    earlier_ranking: Ranking = (),
) -> str | None:
    """The fallback for a conversation with no `asked_about` slot (one from before it): the practitioner's
    message before "Save it as my answer", exactly as typed, if that is the message the bot asked about
    (worked out again: short and control-like at the question still open, which asking changed nothing of);
    None otherwise, and then they are told nothing was saved and asked the question again."""
    here = position(bank, record)
    if not isinstance(here, AtQuestion) or earlier is None:
        return None
    question = bank.question(here.question_id)
    control = INTENT_CONTROLS.get(earlier_intent or "")
    asked = control_to_ask_about(question, earlier, control, earlier_confidence, earlier_ranking)
    return earlier if asked else None
