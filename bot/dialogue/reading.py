"""Decide what a practitioner's message is: an answer, a control, a danger report, or input to refuse.

The engine's classifier proposes an intent; this module makes the final call, because a misread costs
dearly in both directions. A long account such as "his mum said he wants to go back to Syria and stop
school" must be recorded as an answer, never taken as "go back" or "stop"; so a control needs a button
payload or a short message. A danger report is taken at any length: a false alarm costs a click, a missed
one could cost a life.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

from bot.dialogue import danger_categories, danger_cues
from bot.dialogue.control_cues import load_cues
from bot.dialogue.control_families import load_families
from bot.dialogue.control_shaped import is_control_shaped, is_control_with_harm
from bot.dialogue.danger_followups import load_followups
from bot.domain.limits import MAX_ANSWER_CHARS
from bot.domain.protocol import Payload
from bot.questions.phrases import match_key

Control = Literal[
    "back",
    "skip",
    "help",
    "pause",
    "stop",
    "start_again",
    "submit",
    "resume",
    "start_assessment",
    "keep_typed",  # "Save it as my answer" (bot.dialogue.clarify): only ever read from its button's words
]

# Engine intents that are controls. "go_back", not "back": Rasa reserves `back` for its own rewind action.
INTENT_CONTROLS: dict[str, Control] = {
    "go_back": "back",
    "skip": "skip",
    "help": "help",
    "pause": "pause",
    "stop": "stop",
    "start_again": "start_again",
    "submit": "submit",
    "resume": "resume",
    "start_assessment": "start_assessment",
}
# Button payloads the bot itself offers. Anything else beginning with "/" is refused, so a typed
# `/inform{"answer": "yes"}` can neither set an answer nor jump the flow.
PAYLOAD_CONTROLS: dict[str, Control] = {f"/{intent}": control for intent, control in INTENT_CONTROLS.items()}
DANGER_INTENT = "report_danger"
# The classifier's "not sure": the answer status, not a control.
UNSURE_INTENT = "unsure"
DANGER_PAYLOAD = Payload.REPORT_DANGER

# A typed control is a short phrase ("go back", "skip this please"). Where anything may be typed (free text,
# dates, ages, the danger follow-ups), past this many words it is an answer: "he stopped going to football"
# (five words) is an account, even if the classifier says "stop". Free text is sacred.
MAX_CONTROL_WORDS = 4
# Where the open question offers options (single or multiple choice, yes / no / not sure, "Start again?"),
# a message that is none of them cannot be stored: the question would only refuse it ("I couldn't match
# that to one of the options"). There a longer message the classifier is sure of is a control: "why are you
# asking me this?" (five words) is help. A message that reads as an answer is still an answer, whatever the
# classifier says (`read_reply`), and a typed skip must still say nothing but skip. A longer message about
# someone ("he stopped going to football") is still no control: it is an account the question cannot read.
MAX_CONTROL_WORDS_AT_OPTIONS = 12
ACCOUNT_WORDS = frozenset({"he", "hes", "hed", "she", "shes", "him", "they", "theyre", "theyd"})


def control_word_limit(choice_words: frozenset[str], free_text: bool | None = None) -> int:
    """How many words a typed control may have at the open question. `free_text` False: a question whose
    answers the bot parses (options, a date, an age), where text it cannot read would be refused anyway.
    Unknown (None): judged from the answer words. A danger follow-up offers buttons too ("Skip this
    question", "Carry on with the assessment") but reads free text: its words include those two labels, so
    they do not make it a question with options. Dates and ages have no answer words, so a caller that
    knows the question's type passes it."""
    if free_text is not None:
        return MAX_CONTROL_WORDS if free_text else MAX_CONTROL_WORDS_AT_OPTIONS
    followups = load_followups()
    if choice_words and not choice_words & {followups.skip_label.lower(), followups.leave_label.lower()}:
        return MAX_CONTROL_WORDS_AT_OPTIONS
    return MAX_CONTROL_WORDS


# A typed skip says nothing but skip: every word of it is one of these (control_cues.yaml, `skip_words`), so
# "he skipped school" is never taken for one. A letter held down ("skiiiip", "nexxt") still counts: words are
# compared with runs of one letter squeezed to one.
SKIP_WORDS = load_cues().skip_words
_REPEATS = re.compile(r"(.)\1+")


def _squeezed(word: str) -> str:
    return _REPEATS.sub(r"\1", word)


_SQUEEZED_SKIP_WORDS = frozenset(_squeezed(w) for w in SKIP_WORDS)


def says_only_skip(text: str) -> bool:
    """Every word is a skip word (control_cues.yaml `skip_words`), a held-down letter allowed."""
    return all(w in SKIP_WORDS or _squeezed(w) in _SQUEEZED_SKIP_WORDS for w in match_key(text).split())


def reads_as_skip(text: str, at_options: bool) -> bool:
    """Whether a message the classifier reads as skip is one. Anywhere, when it says nothing but skip. Where
    the question offers options to choose from, also when it gives its reason ("that part isn't relevant
    for us, pass"): then a skip cue of its own (control_cues.yaml) and no word about someone are enough,
    since the question would only refuse it ("I couldn't match that"); "he skipped school" names someone and
    carries no cue ("skipped" is no "skip"). Free text stays sacred: the reason may be the answer, and at a
    date or an age "next term" is a date."""
    if says_only_skip(text):
        return True
    if not at_options or set(match_key(text).split()) & ACCOUNT_WORDS:
        return False
    return load_cues().has_cue("skip", text)


MIN_CONTROL_CONFIDENCE = 0.6
# Where the open question would refuse anything but its own answers (options, a date, an age), a less sure
# control costs little: a message that reads as an answer is still an answer (`read_reply`), and the rest
# would only be refused. Paraphrases ("scrap that, back one") seldom reach 0.6 among a dozen intents.
MIN_CONTROL_CONFIDENCE_AT_OPTIONS = 0.45
MIN_DANGER_CONFIDENCE = 0.5

# A typed danger report names a harm, a means or an immediacy, and the classifier must agree; or it is plain
# enough to read whatever the classifier says (bot.dialogue.danger_cues). The danger gate question and the
# "Someone is in danger now" button do not depend on either.
DANGER_CUES = danger_cues.DANGER_CUES
# With the classifier sure of danger, a time alone is enough ("it is happening right now").
MIN_DANGER_CONFIDENCE_TIME_ONLY = 0.8
# A harm inside a game, film or story ("the mission is to blow up the base") is no emergency unless the
# classifier is sure; plain danger ("he's got a knife in his bag") is read before this is asked.
MIN_DANGER_CONFIDENCE_FICTION = 0.8
# The engine's second opinion (engine/extensions/danger_second_opinion.py: a binary model's calibrated
# probability of danger, beside the intent classifier) flags what it is this sure of, unless the ordinary
# guard recognised a game, sport, schoolwork, something past, an idiom or a what-if; it never clears a
# flag. 0.95 was chosen on the tenth set with what the model learns (within the everyday guard, no more of
# its ordinary mentions flagged than with the model and threshold before), then judged on the blind eleventh
# (bench/danger_second_opinion_sets.py, round "tenth"; bench/README.md has each round's figures).
MIN_DANGER_OPINION = 0.95
# No confidence is enough without a cue: the classifier reads reported speech as danger at 0.97 and over
# ('She said to keep a note of dates and to ring her back on Friday', 'he said "it's not fair" and left'), so
# a "very sure, no cue" rule (tried at 0.95, then at 0.97 with guards, issue #11) turned ordinary accounts
# into danger checks in the real-engine walks.


class DangerReason(StrEnum):
    """Why a typed message did or did not read as danger: the one decision `reads_as_danger` makes, named
    so that bench/understanding.py can count misses by cause without drifting from the product."""

    # Flagged
    PLAIN = "plain danger rule"
    CONTROL_WITH_HARM = "control-with-harm rule"
    CLASSIFIER_AND_CUE = "classifier + cue"
    CLASSIFIER_AND_TIME = "classifier sure + time now"
    CATEGORIES = "category combination"
    SECOND_OPINION = "second opinion sure of danger"
    # Not flagged
    OTHER_INTENT = "top intent not report_danger"
    UNSURE = "report_danger below threshold"
    CONTROL_SHAPED = "control-shaped rule"
    FICTION = "fiction rule"
    TIME_ONLY_UNSURE = "time-only rule (time now, classifier not sure)"
    ORDINARY_GUARD = "ordinary guard (game, sport, schoolwork, past, idiom, what-if)"
    NO_CUE = "no danger cue"

    @property
    def flags(self) -> bool:
        return self in _FLAGGING


_FLAGGING = frozenset(
    {DangerReason.PLAIN, DangerReason.CONTROL_WITH_HARM, DangerReason.CLASSIFIER_AND_CUE,
     DangerReason.CLASSIFIER_AND_TIME, DangerReason.CATEGORIES, DangerReason.SECOND_OPINION}
)  # fmt: skip


def danger_reason(
    text: str, intent: str | None, confidence: float, opinion: float | None = None
) -> DangerReason:
    """The rule that decides whether a typed message is a danger report (see the constants above).
    `opinion`: the engine's second opinion on danger, when the parse had one."""
    reason = _rule_reason(text, intent, confidence)
    # The ordinary guard is heard before the opinion as before the classifier: a game, a sports tour, a joke
    # or something long past is what the opinion over-reads (on the tuning sets, three of the five ordinary
    # mentions it alone flagged, and the one everyday answer).
    if reason.flags or reason is DangerReason.ORDINARY_GUARD:
        return reason
    if opinion is not None and opinion >= MIN_DANGER_OPINION:
        return DangerReason.SECOND_OPINION
    return reason


def _rule_reason(text: str, intent: str | None, confidence: float) -> DangerReason:
    """The word lists and the intent classifier, before the second opinion is heard."""
    # A combination a safeguarding lead would recognise (intention + harm to a person, a means on someone,
    # self-harm now, missing now, met online): whatever the classifier says (bot.dialogue.danger_categories).
    if danger_categories.combination(text):
        return DangerReason.CATEGORIES
    # Nothing recognised, and a game, sport, schoolwork, something past, an idiom or a what-if: ordinary,
    # whatever the older rules below would say ("beating him at chess at lunch", "an essay on the shooting
    # due at break", "a presentation about suicide prevention this morning"). Not when a clause of its own
    # tells harm now: a guard in another clause or about another time gives way ("last year, but today...").
    if danger_categories.guard_heard(text):
        return DangerReason.ORDINARY_GUARD
    if danger_cues.is_plain_danger(text):
        return DangerReason.PLAIN
    # "end it now", "kill this assessment now": ending the chat or a life? Asked, whatever the classifier
    # says (the typed-danger check); a missed danger costs more than a question.
    if is_control_with_harm(text):
        return DangerReason.CONTROL_WITH_HARM
    if intent != DANGER_INTENT:
        return DangerReason.OTHER_INTENT
    if confidence < MIN_DANGER_CONFIDENCE:
        return DangerReason.UNSURE
    # "stop right now", "cancel asap": the classifier misread a control
    if is_control_shaped(text):
        return DangerReason.CONTROL_SHAPED
    if danger_cues.names_fiction(text) and confidence < MIN_DANGER_CONFIDENCE_FICTION:
        return DangerReason.FICTION
    if danger_cues.has_danger_cue(text):
        return DangerReason.CLASSIFIER_AND_CUE
    # "before he'd talk to me at break, now he avoids me": "now" as a contrast, a change the bank asks about
    if danger_cues.names_a_time_now(text) and not danger_categories.tells_a_change(text):
        if confidence >= MIN_DANGER_CONFIDENCE_TIME_ONLY:
            return DangerReason.CLASSIFIER_AND_TIME
        return DangerReason.TIME_ONLY_UNSURE
    return DangerReason.NO_CUE


def reads_as_danger(text: str, intent: str | None, confidence: float, opinion: float | None = None) -> bool:
    return danger_reason(text, intent, confidence, opinion).flags


# Where the question offers options, a message about someone may still be a control when a clause of its own
# gives the command: "he's left the school, cancel this", "stop - she's moved away". The command must open
# the first or the last clause and be the control the classifier read: "he stopped going to football and quit
# the team" gives none ("stopped" is not "stop"; "quit" opens no clause).
NAMED_CONTROLS: dict[str, Control] = {
    "stop": "stop", "cancel": "stop", "quit": "stop", "abort": "stop", "scrap": "stop", "exit": "stop",
    "skip": "skip", "pause": "pause",
}  # fmt: skip
_CLAUSES = re.compile(r"[,.;:!?\-–—]+")
_LEADING_POLITE = frozenset(
    {"so", "please", "pls", "plz", "just", "can", "could", "you", "we", "lets", "ok", "okay"}
)


def _commands(text: str) -> set[Control]:
    """The controls given as commands: the first word of the first or the last clause, after "please" etc."""
    clauses = [match_key(c).split() for c in _CLAUSES.split(text) if match_key(c)]
    found: set[Control] = set()
    for words in clauses[:1] + clauses[-1:]:
        rest = [w for i, w in enumerate(words) if any(x not in _LEADING_POLITE for x in words[: i + 1])]
        if rest and rest[0] in NAMED_CONTROLS:
            found.add(NAMED_CONTROLS[rest[0]])
    return found


# Where the question offers options, a question about the question ("why does it matter which class he was
# in", "who gets to see this, and why do you need it") runs longer and may name someone. Taking it
# for help costs nothing: the bot says why it asks and asks again, and the question would only refuse it.
# So there help with a help cue of its own (control_cues.yaml) may have up to this many words, about anyone.
MAX_HELP_WORDS_AT_OPTIONS = 20


def _short_enough(text: str, limit: int, control: Control | None = None) -> bool:
    words = text.split()
    if len(words) <= MAX_CONTROL_WORDS:
        return True
    if (
        limit == MAX_CONTROL_WORDS_AT_OPTIONS
        and control == "help"
        and len(words) <= MAX_HELP_WORDS_AT_OPTIONS
        and load_cues().has_cue("help", text)
    ):
        return True
    if len(words) > limit:
        return False
    keys = set(match_key(text).split())
    if not keys & ACCOUNT_WORDS:
        return True
    return limit == MAX_CONTROL_WORDS_AT_OPTIONS and control in _commands(text)


# Where a message carries two families, the classifier's own control decides when it is this sure of it and
# the message does not ask to start again (the most specific family: "back to question one", "new one,
# scrap this").
MIN_GUESS_OVER_FAMILY = 0.9


def family_control(text: str, guess: Control | None = None, confidence: float = 0.0) -> Control | None:
    """The control a message of at most MAX_HELP_WORDS_AT_OPTIONS words asks for by its cue family
    (bot.dialogue.control_families), whatever the classifier made of it. Only where the open question parses
    its answer: there a message it cannot read would only be refused ("I couldn't match that"), and one it can
    read ("next Thursday" at a date) is still the answer (bot.dialogue.plans.read_reply). The families are
    stricter than the classifier's guess (a question word and what is asked about; a change word and an
    answer word), so they decide where the classifier wavers between neighbours (help, not sure, skip).
    When the message carries two families and one is the classifier's own `guess` at MIN_GUESS_OVER_FAMILY
    or more, the guess decides: "skip that one, I'll come back to it" carries a pause's words too, but asks
    to skip now ("be right back", read as back at 0.76, stays a pause)."""
    if len(text.split()) > MAX_HELP_WORDS_AT_OPTIONS:
        return None
    matching = load_families().matching(text)
    found = matching[0] if matching else None
    if found != "start_again" and guess in matching and confidence >= MIN_GUESS_OVER_FAMILY:
        found = guess
    return found if found in INTENT_CONTROLS.values() else None  # type: ignore[return-value]


@dataclass(frozen=True)
class Reading:
    # "clarify": short and control-like at a free-text question; ask which was meant (bot.dialogue.clarify).
    kind: Literal["answer", "control", "danger", "too_long", "empty", "payload_refused", "clarify"]
    control: Control | None = None


def read_message(
    text: str,
    intent: str | None,
    confidence: float,
    *,
    choice_words: frozenset[str] = frozenset(),
    free_text: bool | None = None,
    parsed_question: bool = False,
    danger_opinion: float | None = None,
) -> Reading:
    """Classify one message. `choice_words` are the open question's choice values and labels, lower-cased:
    a message equal to one of them is an answer even if it looks like a control. `free_text`: whether the
    open question takes any text as its answer, if the caller knows (see `control_word_limit`).
    `parsed_question`: the open question is one of the bank's and parses its answer (options, a date, an
    age), where a control's cue family is enough (`family_control`). `danger_opinion`: the engine's second
    opinion on danger (`danger_reason`)."""
    if len(text) > MAX_ANSWER_CHARS:
        return Reading("too_long")
    if not text.strip():
        return Reading("empty")
    folded = text.strip().lower()
    if folded.startswith("/"):
        if folded == DANGER_PAYLOAD:
            return Reading("danger")
        control = PAYLOAD_CONTROLS.get(folded)
        return Reading("control", control) if control else Reading("payload_refused")
    if folded in choice_words:
        return Reading("answer")
    if reads_as_danger(text, intent, confidence, danger_opinion):
        return Reading("danger")
    control = INTENT_CONTROLS.get(intent or "")
    if parsed_question and (family := family_control(text, control, confidence)):
        return Reading("control", family)
    limit = control_word_limit(choice_words, free_text)
    least = (
        MIN_CONTROL_CONFIDENCE_AT_OPTIONS if limit == MAX_CONTROL_WORDS_AT_OPTIONS else MIN_CONTROL_CONFIDENCE
    )
    if control and confidence >= least and _short_enough(text, limit, control):
        # The reason may come with a skip only among options: at a date or an age, "next term" is a date.
        among_options = limit == MAX_CONTROL_WORDS_AT_OPTIONS and bool(choice_words)
        if control == "skip" and not reads_as_skip(text, among_options):
            return Reading("answer")
        return Reading("control", control)
    return Reading("answer")
