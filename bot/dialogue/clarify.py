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
when the message also carries one of that control's cues (control_cues.yaml) or its family of words
(control_families.yaml). The cue is what keeps "no", "not sure" or "at school" from being asked about
whatever the classifier ranks second. Where the classifier is sure of nothing, a family alone is asked about;
and a message about someone ("he", "she", "they") is an account unless the classifier's own first guess is a
control with a word of its own in the message, and never asked about when it opens with the person.
"""

from __future__ import annotations

from typing import Any

from bot.dialogue.control_cues import load_cues
from bot.dialogue.control_families import load_families
from bot.dialogue.moves import position
from bot.dialogue.plan import Button, Plan, Say
from bot.dialogue.reading import ACCOUNT_WORDS, DANGER_INTENT, INTENT_CONTROLS, UNSURE_INTENT
from bot.dialogue.value_swaps import swaps_a_value
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
# Words that name someone without telling of them ("his age", "their family"): a request to change an answer
# or about who sees it names someone like this, so only help and back may come second (control_to_ask_about).
NAMES_SOMEONE = frozenset({"his", "her", "hers", "himself", "herself", "them", "their", "themselves"})
# Below this first-guess confidence (the engine's fallback is 0.3), a control's family alone is asked about;
# at or above it the classifier has read the message as something else, and the words must agree with a
# control it ranks in its top two.
MAX_CONFIDENCE_FAMILY_ALONE = 0.5
MAX_WORDS_ABOUT_SOMEONE = 8
# Up to this many words when the message also carries a cue of the control asked about: a request for a
# control with its reason ("sorry, can we go back to the one before, I put the wrong date in") runs past
# ten words, and at ten such messages were stored silently as the answer (issue #11). Two kinds of evidence,
# the classifier and the words, are needed for the longer ones (a control it ranks with that control's cue or
# family, or its fallback, unsure of everything, with a family: "can i change what i put before, i got the
# date mixed up"); being asked costs a click and loses nothing
# (the words stay in the transcript and "Save it as my answer" stores them), while a stray line in a child's
# record is not seen until a lead reads it. Past this, an account is stored as given.
MAX_WORDS_WITH_CUE = 16
# A request run on with its reason, as people write between visits, reaches this many words: asked about past
# MAX_WORDS_WITH_CUE only when the classifier's first guess, at least this sure, is a control whose cue or
# family the words carry (`_request_with_its_reason`). Being asked costs a click; stored, the request sits in
# a child's record. At 0.95 interruptions told with the request ("kids are coming in from break, hold my
# answers and I'll carry on at 3", pause at 0.61) were stored silently, while no real answer of any held-out
# set or the everyday guard reached a control's first guess with its words at 17 to 20 words.
MAX_WORDS_SURE_REQUEST = 20
MIN_CONFIDENCE_LONG = 0.5
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
    the classifier's first guess at `confidence` or more, a control in its top two with a cue or family of
    its own in the message, or (the classifier unsure) a family alone; a message about someone is judged on
    the first guess only (`_about_someone`). `control`: the first guess as a control (None if none)."""
    if question.answer_type.value != "free_text":
        return None
    key = match_key(text)
    if not key or text.strip().startswith("/") or key in _OWN_NAMES:
        return None
    words = key.split()
    # "she's 14 not 15", "it was september not october": an earlier answer put right by its value, whoever it
    # names and however surely the classifier reads it as an answer (bot.dialogue.value_swaps).
    if len(words) <= MAX_WORDS_WITH_CUE and swaps_a_value(text):
        return "back"
    if set(words) & ACCOUNT_WORDS:
        return _about_someone(text, words, control, confidence)
    if len(words) > MAX_WORDS_WITH_CUE:
        return _request_with_its_reason(text, words, control, confidence)
    guesses = top_two_controls(control, ranking)
    names_someone = bool(set(words) & NAMES_SOMEONE)
    if names_someone:
        # "cancelled her swimming lessons twice": a word of someone's, with a control only second, is an
        # account; a question about who sees the answers or a change to one names someone too ("is this
        # shared with their family", "her date of birth is wrong"), so help and back may still come second.
        guesses = tuple(c for c in guesses if c == control or c in ("help", "back"))
    cued = next((c for c in guesses if _has_cue(c, text)), None)
    # "any chance of a less formal version of the question", read as an answer at 0.97: words that only ever
    # ask for the question in other words are asked about, however surely the classifier reads an answer.
    if not names_someone and _asks_for_rewording(text):
        return "help"
    sure = len(words) <= MAX_WORDS and control in _ASKABLE and confidence >= MIN_CONFIDENCE
    # Naming someone, the first guess needs a word of its own too: "no idea where her new mates hang out"
    # read as help, "from chatty at tea to keeping to himself" as start again, are answers.
    if sure and (not names_someone or control == cued):
        return control
    if cued or _read_as_something_else(control, confidence, ranking):
        return cued
    return _family_alone(text)


def _request_with_its_reason(
    text: str, words: list[str], control: str | None, confidence: float
) -> str | None:
    """A request run on with its reason ("really sorry, a parent has just turned up so i'll have to come back
    and finish this later"), past MAX_WORDS_WITH_CUE and up to MAX_WORDS_SURE_REQUEST: asked about when the
    classifier's first guess is a control (at MIN_CONFIDENCE_LONG or more) and the words carry that control's
    own cue or family. No one named ("he", "she" went to `_about_someone`); past this, an account as given."""
    if len(words) > MAX_WORDS_SURE_REQUEST or control not in _ASKABLE or confidence < MIN_CONFIDENCE_LONG:
        return None
    return control if _has_cue(control, text) else None


def _read_as_something_else(control: str | None, confidence: float, ranking: Ranking) -> bool:
    """The classifier is sure the message is neither a control nor danger: "the case meeting is on thursday"
    read surely as an answer. A sure control in words a family gives to another ("could u rephrase tht pls,
    on my phone in the car park" read as pause), or a sure danger that the danger check did not raise
    ("is it possible to update an answer I've already given?"), is no reading as an answer: there the family
    alone is asked about, as when the classifier is unsure. Nor is a sure "not sure": a message about not
    knowing is about the answering, not an account ("should've said no to that" read as unsure is a change
    of an earlier answer by its family's words)."""
    if confidence < MAX_CONFIDENCE_FAMILY_ALONE or control is not None:
        return False
    first = next((name for name, _ in ranking if name != FALLBACK_INTENT), None)
    return first not in (DANGER_INTENT, UNSURE_INTENT)


def _about_someone(text: str, words: list[str], control: str | None, confidence: float) -> str | None:
    """A message with "he", "she" or "they" in it is an account far more often than a request: "he told us
    he'd quit the band", "they'd skip assembly most days", "he stopped going to football" carry a control's
    word or the classifier's guess of one. One that opens with the person ("she wanted to start over at a new
    club") is told of them, never asked of the bot: stored as given. The writer asking to change their own
    answer, or turning it "but actually", is back up to MAX_WORDS_WITH_CUE words, whoever it names. Otherwise
    only the classifier's own first guess counts, with a word of that control's own in the message ("stopped"
    is no "stop"), up to the words `_limit_about_someone` allows: a question about the question names someone
    too ("why does it matter which class he was in"), and so does putting an earlier answer right ("the age I
    gave before is wrong, she's 12")."""
    if words[0] in ACCOUNT_WORDS:
        return None
    if len(words) <= MAX_WORDS_WITH_CUE and (_asks_to_change_own_answer(text) or _turns_own_answer(text)):
        return "back"
    if control not in _ASKABLE or confidence < MIN_CONFIDENCE or not _has_cue(control, text):
        return None
    return control if len(words) <= _limit_about_someone(control, words) else None


def _limit_about_someone(control: str, words: list[str]) -> int:
    """How long a message naming someone may run and still be asked about. A request that opens with its
    control's own words and gives its reason after ("skip this one, I hardly know him") runs to MAX_WORDS, as
    help and back do; help put to the bot as a question ("why do you need to know what they were like")
    runs to MAX_WORDS_WITH_CUE: an account tells of the person, it does not ask "you" why."""
    families = load_families()
    asks_you = words[0] in families.words_of("question_opener") and bool(set(words[:4]) & {"you", "u"})
    if control == "help" and asks_you and not set(words) & families.words_of("telling"):
        return MAX_WORDS_WITH_CUE
    if control in ("help", "back") or _has_cue(control, " ".join(words[:_OPENING_WORDS])):
        return MAX_WORDS
    return MAX_WORDS_ABOUT_SOMEONE


# A control's own words in this many first words open the message with the request.
_OPENING_WORDS = 3


def _turns_own_answer(text: str) -> bool:
    """An answer of the writer's own recalled and turned ("I put no for that but actually they do", the
    families' `own_answer` and `on_reflection`): a correction, whoever the new answer names. Someone else's
    saying turned ("previous school said it was fine but actually ...") is an account."""
    families = load_families()
    return families.carries("own_answer", text) and families.carries("on_reflection", text)


def _asks_to_change_own_answer(text: str) -> bool:
    """The writer asking to change an answer of their own ("need to swap an earlier answer, I mixed him up
    with his cousin", control_families.yaml: `wanting`, a `change` word and `my_answer`): a request, whoever
    the reason names and however the classifier reads it. "mum wants to change her answer" has none of the
    writer's own words and stays an account."""
    families = load_families()
    return all(families.carries(name, text) for name in ("wanting", "change", "my_answer"))


def _asks_for_rewording(text: str) -> bool:
    """Words that only ever ask for the question in other words (control_families.yaml: `rewording`, or
    `plainer` with `version_of`)."""
    families = load_families()
    return families.carries("rewording", text) or (
        families.carries("plainer", text) and families.carries("version_of", text)
    )


def _has_cue(control: str, text: str) -> bool:
    """A cue of the control's own (control_cues.yaml), or the kinds of words its family carries together
    (control_families.yaml: "is that really needed here" is help without a listed phrase)."""
    return load_cues().has_cue(control, text) or control in load_families().matching(text)


def _family_alone(text: str) -> str | None:
    """A message that carries a control's family whatever the classifier made of it ("who gets to read all
    this", "can i amend something i entered earlier on" may fall below every threshold with unrelated
    intents on top): asked about, since a family is stricter than a cue (a question word with what is asked
    about, a change word with an answer word) and being asked loses nothing. Only when the classifier is
    unsure (MAX_CONFIDENCE_FAMILY_ALONE): "the case meeting is on thursday" it reads surely as an answer."""
    found = load_families().control_for(text)
    return found if found in _ASKABLE else None


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
