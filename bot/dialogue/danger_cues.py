"""Words that make a typed message a danger report, and the harmless idioms that do not.

A typed danger report needs the classifier and a cue (`reading.read_message`): the classifier alone once read
"She has been late most mornings this term and looks tired in lessons" as danger at 0.84. Some reports are
plain enough to be read whatever the classifier says: a harm and a time that is now ("she said he'd kill her
tonight"), someone missing now, self-harm intended now, an overdose taken. Missing one could cost a life; a
false alarm costs a click (the practitioner is asked "Is anyone in immediate danger now?").

Every pattern is about behaviour, means and time: none names an ideology, religion, place or community.
Patterns are matched against `match_key(text)`: lower case, apostrophes dropped ("he'd" is "hed", "didn't"
is "didnt"), punctuation turned into spaces.
"""

from __future__ import annotations

import re

from bot.questions.phrases import match_key

# A harm, a means, travel to danger, someone missing, or danger named outright. With the classifier's
# `report_danger`, any one of these makes a danger report.
_HARM = (
    r"knife|knives|blade|blades|machete|machetes|gun|guns|firearm|shotgun|rifle|pistol|weapon\w*|bomb\w*|"
    r"explosive\w*|acid|petrol|chemicals|wires|fire|arson|"
    r"kill\w*|murder\w*|stab\w*|shoot\w*|shot|attack\w*|hurt\w*|harm\w*|threat\w*|blow\w* up|set fire|"
    r"fight\w*|hit|beat\w*|batter\w*|strangle\w*|choke\w*|jump|punch\w*|kick\w* off|assault\w*|"
    r"overdose\w*|od|odd|pills|tablets|paracetamol|suicid\w*|hang \w+self|noose|ligature|"
    r"end (?:it|it all|his life|her life|their life|my life)|take (?:his|her|their|my) own life|"
    r"cut (?:himself|herself|themselves|myself)|"
    # Typed in a hurry
    r"nife|nifes|knif|knifes|nives|gunn|wepon\w*|weopon\w*|weapen\w*|stabb\w*|kil|kils|shank\w*|"
    r"tooled up|abduct\w*|kidnap\w*|snatch\w*|drag\w* (?:him|her|them|a|the|someone|somebody)|"
    r"round (?:his|her|their) neck|"
    r"unconscious|unresponsive|wont wake|not breathing|collapsed"
)
# "Missing" as a person is missing, not "missing lessons" or "missing her dad".
_MISSING = (
    r"missing(?=$| (?:from|since|now|right|again|tonight|today|and|overnight|this|for|after|still|he|she|"
    r"they|we|i|but|with|so|or)\b)"
)
_TRAVEL = r"flight|flying|fly|airport|plane|boarding|one way ticket|passport|abroad|border"
_AWAY = (
    rf"conflict zone|war zone|{_MISSING}|run away|ran off|ran away|runaway|disappeared|vanished|barricaded|"
    r"not come home|didnt come home|hasnt come home|havent come home|never came home|not come back|"
    r"hasnt come back|not been seen|nobody knows where|no one knows where|cant find (?:him|her|them)|"
    r"danger\w*|emergency|emergancy|emergancey|emergncy|999|police|ambulance|happening|unsafe|not safe|"
    r"at risk|urgent\w*|life or death|"
    r"immediate\w*|asap|right away"
)
# A time that is now or about to be. On its own, with the classifier, a time is not enough: "a ticket for the
# football tomorrow" is no emergency.
_NOW = (
    r"now|right now|just now|today|tonight|tomorrow|tmrw|2moro|2morrow|tonite|2nite|"
    r"this (?:morning|afternoon|evening|weekend|lunchtime)|after school|at lunch\w*|at break|at home time|"
    r"home time|later today|later tonight|later on|as we speak|about to|on (?:his|her|their|my|the) way|"
    r"any minute|in a (?:minute|bit|few minutes)|in an hour|in (?:a|an|\d+|two|three|few) ?(?:hrs?|hours?|"
    r"mins?|minutes?)|at \d+ ?(?:am|pm)|at \d+ ?o ?clock|"
    r"since (?:this morning|last night|yesterday|lunch\w*|school)|last night"
)
_TIMES = re.compile(rf"\b(?:{_NOW})\b")
_CUES = re.compile(rf"\b(?:{_HARM}|{_AWAY})\b")
_TRAVEL_CUES = re.compile(rf"\b(?:{_TRAVEL})\b")
# Travel that is a holiday or a family visit is no cue by itself.
_LEISURE = re.compile(
    r"\b(?:holiday\w*|trip|visit\w*|wedding|half term|summer|christmas|easter|grandparents|gran|nan|"
    r"grandma|grandad|cousins?|relatives|aunt\w*|uncle\w*|family)\b"
)
# Games, films and the news: a harm in them is no emergency, whatever time is named.
_FICTION = re.compile(
    r"\b(?:game|games|gaming|gamer|fortnite|minecraft|roblox|call of duty|gta|xbox|playstation|ps5|console|"
    r"film|films|movie|movies|documentary|news|history|novel|tv|episode|series|podcast|drama|book|story|"
    r"song|lyrics|rap|drill music)\b"
)

# Read as danger whatever the classifier says: harm or means with a time that is now, someone missing now,
# self-harm intended or done now.
_HARM_TO_SOMEONE = re.compile(
    r"\b(?:knife|knives|blade|machete|gun|guns|firearm|shotgun|rifle|pistol|weapon\w*|bomb\w*|explosive\w*|"
    r"kill\w*|murder\w*|stab\w*|shoot\w*|attack\w*|blow\w* up|set fire|burn (?:down|the)|strangle\w*|"
    r"hurt (?:someone|somebody|people|them|him|her|his|himself|herself|themselves|me|you|us|the|a)|"
    r"beat (?:him|her|them|someone|somebody|up)|batter\w*|smash (?:his|her|their) face)\b"
)
_MISSING_NOW = re.compile(
    rf"\b(?:is|s|has gone|has been|gone|been|still|currently|now) {_MISSING}|"
    r"\b(?:didnt|hasnt|havent|not|never|wont|isnt) (?:come|came|coming|gone|go|been) (?:home|back)\b|"
    r"\bnot been seen since\b|\b(?:nobody|no one|noone) knows where (?:he|she|they) (?:is|are)\b|"
    r"\b(?:cant|cannot|can not) (?:find|reach|locate|get hold of) (?:him|her|them)\b|"
    r"\b(?:has|have|s) (?:run|ran) (?:away|off)\b|\bwhereabouts (?:are )?unknown\b"
)
# Once the "missing now" words are taken out: "she went missing for a night and came back" is past.
_MISSING_PAST = re.compile(
    r"\b(?:came|come|is|was|got|been) (?:back|home|found)\b|\bfound (?:him|her|them)\b"
)
_SELF_HARM = re.compile(
    r"\b(?:kill \w*self|kms|end (?:it|it all|his life|her life|their life|my life)|suicid\w*|"
    r"take (?:his|her|their|my) own life|hang \w*self|jump off|jump in front|"
    r"overdose\w*|od|odd on|(?:taken|took|swallowed|necked|had) (?:a lot of|loads of|a load of|lots of|"
    r"a handful of|a box of|a packet of|a bottle of|a bunch of|too many|all(?: of)?|a whole (?:box|packet|"
    r"bottle) of|\d+)(?: \w+){0,2} "
    r"(?:pills|tablets|paracetamol)|cut \w*self|cutting \w*self|ligature|noose)\b"
)
_INTENT_NOW = re.compile(
    rf"\b(?:{_NOW}|going to|gonna|gna|about to|will|wants to|wanna|plans to|planning to|has taken|has just|"
    r"hes taken|shes taken|theyve taken|just took|took|swallowed|has cut|is cutting)\b"
)

# Danger said outright: "someone is in danger", "this is an emergency", "a child isn't safe right now".
_DANGER_SAID = re.compile(
    r"\b(?:immediate|imminent|serious|real|grave) (?:danger|risk)\b|"
    r"\b(?:is|are|s|re|could be|might be|may be|being|put|putting|in) (?:in )?danger\b|"
    r"\b(?:is|are|s|re) (?:unsafe|not safe)\b|\b(?:isnt|arent) safe\b|"
    r"\bat risk (?:right )?(?:now|tonight|today)\b|"
    r"\b(?:this is|there is|theres|its|it is|we have|i have|got) an? (?:emergency|emergancy|urgent)\b|"
    r"\bemergency\b|\blife or death\b|\b(?:call|ring|phone) (?:999|the police|an ambulance)\b"
)
_NO_DANGER = re.compile(
    r"\b(?:no one|noone|nobody|no body|not in|isnt in|arent in|no immediate|no danger|not an emergency|"
    r"no emergency|not urgent|not in any|if|whether|would|was|were|had been|in the past|used to)\b"
)

# Self-harm told as history: "he took an overdose two years ago and has had support since".
_PAST = re.compile(
    r"\b(?:ago|last (?:year|month|term|summer|spring|autumn|winter)|in the past|previously|history of|"
    r"used to|when (?:he|she|they) was|when (?:he|she|they) were|had support|years back)\b"
)

# Harmless idioms whose words would otherwise be cues: taken out before looking. "I'd kill for a pizza", a
# water fight, "the exam is going to kill him", "she killed it in the final".
_HARMLESS = re.compile(
    r"\b(?:no one|noone|nobody|no body) (?:is|s|are) (?:in )?(?:any )?(?:danger|at risk|unsafe)\b|"
    r"\bnot in (?:any )?danger\b|\bno (?:immediate )?danger\b|\b(?:not|isnt) an emergency\b|"
    r"\bno emergency\b|\bat risk of\b|"
    r"\b(?:water|pillow|food|snowball|play|nerf|paintball|flour|foam|sword|thumb) ?fight\w*|"
    r"\bnerf guns?\b|\bwater (?:guns?|pistols?|bombs?|balloons?)\b|\bglue guns?\b|\bbath bombs?\b|"
    r"\bkill(?:ing)? for (?:a|an|some|the)\b|"
    r"\bmurder (?:a|an|some) (?:\w+ )?(?:pizza|burger|toastie|sandwich|coffee|tea|drink|pint|curry|kebab|"
    r"chippy|cake|chocolate|biscuit|brew|nap|sleep)\b|\bkill(?:ed|ing)? (?:it|time)\b|\bkilling me\b|"
    r"\bdressed to kill\b|\b(?:photo|photos|shot|shots|shoot|shooting) (?:for|of|at) the (?:yearbook|school|"
    r"class|team|photo\w*)\b|\bphoto ?shoot\b|\bshoot(?:ing)? (?:hoops|some hoops|a video|a film|videos)\b|"
    r"\b(?:exam|exams|test|tests|mocks?|homework|revision|coursework|training|deadline|workout|the run|"
    r"the walk|the heat|maths|science|english|gcses?|a levels?|sats)\b"
    r"(?: \w+){0,4} kill (?:him|her|them|me|us)\b|"
    r"\b(?:fire (?:drill|alarm|brigade|station|works)|bonfire|fireworks?|camp ?fire|fire ?place)\b|"
    r"\bfirst aid\b|\b(?:panic|asthma|heart|anxiety) attacks?\b|\b(?:flu|booster|vaccine) shots?\b|"
    r"\b(?:kitchen|bread|butter|cooking|vegetable|steak|table|plastic|craft|stanley) knife\b|"
    r"\bknife and fork\b|\bfood tech\w*|\bshoot(?:ing)? (?:at goal|hoops|some hoops)\b|"
    r"\bfight(?:ing)? (?:for|against) (?:his|her|their|a|the) (?:place|spot|team|rights|cause|corner|grade)\b"
)

# Every cue, harmless or not, for the check that each training example of danger names one.
DANGER_CUES = re.compile(rf"\b(?:{_HARM}|{_AWAY}|{_TRAVEL}|{_NOW})\b")


def names_any_cue(text: str) -> bool:
    """Any cue at all, harmless idioms included: every training example of danger must name one."""
    return bool(DANGER_CUES.search(match_key(text)))


def _key(text: str) -> str:
    return _HARMLESS.sub(" ", match_key(text))


def has_danger_cue(text: str) -> bool:
    """A harm, means, travel, missing or outright danger word: with the classifier, a danger report."""
    key = _key(text)
    if _MISSING_PAST.search(key):  # "she went missing for a night and came back"
        key = re.sub(rf"\b(?:{_MISSING}|run away|ran away|ran off|disappeared|vanished)", " ", key)
    if _CUES.search(key):
        return True
    return bool(_TRAVEL_CUES.search(key) and not _LEISURE.search(key))


def names_a_time_now(text: str) -> bool:
    return bool(_TIMES.search(_key(text)))


def is_plain_danger(text: str) -> bool:
    """Danger plain enough to read whatever the classifier says: a harm to someone with a time that is now,
    someone missing now, or self-harm intended or done now."""
    key = _key(text)
    if _DANGER_SAID.search(key) and not _NO_DANGER.search(key):
        return True
    if _FICTION.search(key):
        return False
    if _HARM_TO_SOMEONE.search(key) and _TIMES.search(key):
        return True
    if _MISSING_NOW.search(key) and not _MISSING_PAST.search(_MISSING_NOW.sub(" ", key)):
        return True
    return bool(_SELF_HARM.search(key) and _INTENT_NOW.search(key) and not _PAST.search(key))
