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
from typing import Literal

from bot.domain.limits import MAX_ANSWER_CHARS
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
DANGER_PAYLOAD = "/report_danger"

# A typed control is a short phrase ("go back", "skip this please"). Past this many words it is an answer:
# "he stopped going to football" (five words) is an account, even if the classifier says "stop".
MAX_CONTROL_WORDS = 4

# A typed "skip" records nothing but "(skipped)", so it must say nothing else: every word one of these. The
# classifier learnt "next" as skip and once read "next Thursday", typed at "When is it?", as skip, so the
# date was lost. A message with any other word is an answer, which the question reads or asks about again.
SKIP_WORDS = frozenset(
    re.split(
        r"\s+",
        """skip skp pass next move on question this that it one please pls plz for now later leave blank
        miss out ignore come back to go the can we i id ill rather not answer answering dont do want know
        lets let me just ok okay thanks thank you""",
    )
)
MIN_CONTROL_CONFIDENCE = 0.6
MIN_DANGER_CONFIDENCE = 0.5

# A typed danger report names a harm, a means or an immediacy: the classifier alone once read "She has been
# late most mornings this term and looks tired in lessons" as danger at 0.84. Flagging a child's record as
# urgent needs both the classifier and one of these cues. The danger gate question and the "Someone is in
# danger now" button do not depend on it.
DANGER_CUES = re.compile(
    r"\b("
    r"knife|knives|blade|machete|gun|guns|firearm|shotgun|rifle|pistol|weapon\w*|bomb\w*|explosive\w*|"
    r"acid|petrol|chemicals|wires|fire|arson|"
    r"kill\w*|stab\w*|shoot\w*|shot|attack\w*|hurt\w*|harm\w*|threat\w*|blow\w* up|set fire|"
    r"fight\w*|hit|beat\w*|jump|"
    r"now|right now|today|tonight|tomorrow|this (?:morning|afternoon|evening|weekend)|as we speak|"
    r"about to|on (?:his|her|their|my) way|in an hour|in \d+ ?(?:hrs?|hours?|mins?|minutes?)|"
    r"flight|flying|fly|airport|plane|ticket|boarding|abroad|conflict zone|war zone|syria|border|"
    r"missing|run away|ran off|ran away|disappeared|barricaded|danger\w*|emergency|999|police"
    r")\b",
    re.IGNORECASE,
)


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
) -> Reading:
    """Classify one message. `choice_words` are the open question's choice values and labels, lower-cased:
    a message equal to one of them is an answer even if it looks like a control."""
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
    if intent == DANGER_INTENT and confidence >= MIN_DANGER_CONFIDENCE and DANGER_CUES.search(text):
        return Reading("danger")
    control = INTENT_CONTROLS.get(intent or "")
    if control and confidence >= MIN_CONTROL_CONFIDENCE and len(folded.split()) <= MAX_CONTROL_WORDS:
        if control == "skip" and not set(match_key(text).split()) <= SKIP_WORDS:
            return Reading("answer")
        return Reading("control", control)
    return Reading("answer")
