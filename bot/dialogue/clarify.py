"""Free text stays sacred (issue #11): at a free-text question a short message that reads like a control is
neither taken as one nor stored as the answer without asking.

"can I come back to this later?" typed at "What did you notice?" may be a wish to pause, or (rarely) the
practitioner's words; both guesses are costly: a pause taken by mistake hides the answer they meant, an answer
stored by mistake puts a stray line in a child's record. So the bot asks, with both as buttons: "Save it as
my answer" or the control itself. "Save it as my answer" saves the message before it, verbatim, from the
engine's record of the conversation (which keeps the last message), after checking again that it is the
one asked about. Controls typed as their own name ("pause", "skip", "back") and button presses are taken
as they are; long accounts are answers, as always (bot.dialogue.reading).
"""

from __future__ import annotations

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
# Below this the classifier is not saying "control" at all.
MIN_CONFIDENCE = 0.35


def control_to_ask_about(question: Question, text: str, control: str | None, confidence: float) -> str | None:
    """The control to ask about, when `text` typed at free-text `question` is short and reads like one."""
    if question.answer_type.value != "free_text" or control not in _ASKABLE:
        return None
    key = match_key(text)
    if not key or text.strip().startswith("/") or key in _OWN_NAMES:
        return None
    words = key.split()
    limit = MAX_WORDS_ABOUT_SOMEONE if set(words) & ACCOUNT_WORDS else MAX_WORDS
    if len(words) > limit or confidence < MIN_CONFIDENCE:
        return None
    return control


def is_keep(text: str) -> bool:
    return match_key(text) == KEEP


def ask_which(control: str) -> Plan:
    """Both readings as buttons; nothing recorded, nowhere moved: the question stays open for a new answer."""
    wording, button = _ASKABLE[control]
    say = Say(text=f"{ASKED} {wording}?", buttons=(Button(KEEP_LABEL, KEEP_LABEL), button))
    return Plan(say=(say,), wait_for_reply=True)


def kept_answer(
    bank: QuestionBank,
    record: AssessmentRecord,
    earlier: str | None,
    earlier_intent: str | None,
    earlier_confidence: float,
) -> str | None:
    """What "Save it as my answer" saves: the practitioner's message before it, exactly as typed, if that is
    the message the bot asked about (worked out again: short and control-like at the question still open,
    which asking changed nothing of); None otherwise, and then they are asked to type it again."""
    here = position(bank, record)
    if not isinstance(here, AtQuestion) or earlier is None:
        return None
    question = bank.question(here.question_id)
    control = INTENT_CONTROLS.get(earlier_intent or "")
    return earlier if control_to_ask_about(question, earlier, control, earlier_confidence) else None
