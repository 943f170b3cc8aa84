"""A control said in a hurry, which the danger check must not take for a report (issue #11).

"stop right now", "cancel asap", "end this now", "shoot, stop now": words that are cues elsewhere (a time,
"urgent", "shoot" as an oath) are here about the conversation, said of no one. Used by
bot.dialogue.danger_cues (taken out before looking for plain danger) and bot.dialogue.reading (the
classifier's danger on such a message is a misread control).

A word of violence or self-harm is the exception: "end it now", "kill this assessment now", "stop, i want to
die" may be a practitioner ending the chat or someone ending their life, and the words cannot tell which. A
missed danger costs more than a question, so such a message is no plain control: `is_control_with_harm`
sends it to the typed-danger check ("is anyone in immediate danger now?", bot.store.danger_check), where a
clear "no" stands the report down.
"""

from __future__ import annotations

import re

from bot.questions.phrases import match_key

# A practitioner ending the conversation: "end it now", "just end this here please", "i'm ending it now". Said
# of no one, in a few words, with no "all" or "life": self-harm is told of someone ("he wants to end it all").
ENDING_THIS = re.compile(
    r"^(?:(?:ok|okay|right|so|please|pls|just|can we|can you|could we|can i|i want to|i wanna|id like to|"
    r"i would like to|lets|let s|im|i am|well|now|yes|no|nah|yeah) )*"
    r"(?:end|ending|finish|finishing|kill|close|terminate) (?:it|this|that|things|(?:the|this) "
    r"(?:assessment|screening|chat|conversation|session|form|questions|referral|thing|whole thing))(?: off)?"
    r"(?: (?:now|here|today|please|pls|plz|then|right now|for now|thanks|thx|ta|there|asap|for me))*$"
)
# A control said in a hurry: "stop right now", "cancel asap", "abort this now", "urgent, stop". Every word is
# a control's or a filler's, so a time or "urgent" in it is about the conversation, not about anyone's safety.
_CONTROL_VERBS = frozenset(
    re.split(
        r"\s+",
        "stop stopp stoop stpo cancel cancle canel quit qiut exit end abort terminate scrap bin shut close "
        "finish leave pause skip back halt enough done withdraw delete wipe out",
    )
)
_CONTROL_FILLERS = frozenset(
    re.split(
        r"\s+",
        "this it that the assessment screening chat conversation session form questions please pls plz "
        "now right immediately asap urgent urgently its is i im want wanna to need have must just can "
        "could we you u get me out of here there down off not today straight away all everything whole "
        "thing lot a an and ok okay so minute second quick quickly instantly at once sorry thanks let lets "
        "go going gotta got up",
    )
)
# A mild oath before a control: "shoot, stop now", "shoot i pressed the wrong one".
OATH = re.compile(
    r"^(?:shoot|shoots|damn|dammit|blast|crap|oops|sugar)\b"
    r"(?! (?:him|her|them|someone|somebody|people|everyone|up|at|the|a|an|you|me|us|his|their|my)\b)"
)

# Words of violence or self-harm (matched on the key, after a leading oath is taken out: "shoot, stop now" is
# an oath). "end it" and "ending it" are how people say suicide ("he wants to end it"); "end this", "end the
# assessment" and "finish it" are not, and stay controls.
HARM_WORDS = re.compile(
    r"\b(?:kill\w*|kil|kms|die|dies|died|dying|dead|death|hurt\w*|harm\w*|murder\w*|suicid\w*|stab\w*|"
    r"shoot\w*|shot|overdose\w*|hang \w*self|cut \w*self|end(?:ing)? (?:it|things|my life|it all)|"
    r"top (?:my|him|her)self|take my (?:own )?life)\b"
)


def _key(text: str) -> str:
    return OATH.sub(" ", match_key(text)).strip()


def _made_of_control_words(key: str, also: frozenset[str] = frozenset()) -> bool:
    words = set(key.split())
    if ENDING_THIS.match(key):
        return True
    return bool(words & _CONTROL_VERBS) and words <= _CONTROL_VERBS | _CONTROL_FILLERS | also


def is_control_shaped(text: str) -> bool:
    """Nothing but a control and its fillers ("stop this right now please"), and no word of violence or
    self-harm: never a report about anyone."""
    key = _key(text)
    return _made_of_control_words(key) and not HARM_WORDS.search(key)


def is_control_with_harm(text: str) -> bool:
    """A control's words with a word of violence or self-harm ("end it now", "kill this assessment now",
    "stop, i want to die"): it may be danger, so the practitioner is asked, whatever the classifier says."""
    key = _key(text)
    harm = [m.group() for m in HARM_WORDS.finditer(key)]
    if not harm:
        return False
    harm_words = frozenset(w for phrase in harm for w in phrase.split())
    return _made_of_control_words(key, harm_words)
