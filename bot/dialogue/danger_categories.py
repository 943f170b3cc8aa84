"""Danger by category: the combinations a safeguarding lead would recognise, read from small word lists.

Phrase-level cues fit the messages they were written from (issue #11: tuned to 100% on the fresh set, 87.6% on
a set nobody had read). Here each list in danger_categories.yaml is one linguistic category (a time that is
now, an intention, a verb of hurting, a person, a means, self-harm, someone missing, someone met online) and
danger is a combination of them: an intention to hurt a person; a means on someone; self-harm with an
intention or a time that is now; someone missing now; a meeting with someone met online; gunfire heard now; a
medicine or household chemical swallowed; a child held out over a drop. Guards first: a game, film, sport,
schoolwork, something past and resolved, an idiom, a what-if or a pet or thing gone missing makes a message
ordinary, unless a clause of its own tells harm now: then a guard in another clause, or about another time,
gives way (`guard_heard`).

Matched against `match_key(text)` (lower case, apostrophes dropped, punctuation turned into spaces). Every
word is about behaviour, means and time: none names an ideology, religion, place or community.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from bot.dialogue.danger_cues import _key as without_idioms  # one list of idioms, kept there
from bot.domain.yaml_files import read_yaml
from bot.questions.phrases import match_key

CATEGORIES_PATH = Path(__file__).with_name("danger_categories.yaml")
# A game or sport: the harm is play, even for the plain rule (bot.dialogue.reading).
PLAY_GUARDS = frozenset({"guard_fiction", "guard_sport"})
GUARDS = (
    "guard_fiction",
    "guard_sport",
    "guard_schoolwork",
    "guard_past",
    "guard_idiom",
    "guard_hypothetical",
    "guard_missing_thing",
    "guard_supervised",
    "guard_denied",
)
# A list named inside another list's item, "{told_done}" (a quantifier such as {0,3} has digits, not letters).
_LIST_NAMED = re.compile(r"\{([a-z_]+)\}")
# Words between an intention and its verb of hurting: "going to really hurt", "will come round and batter".
_GAP = r"(?: \w+){0,4} "
# Where someone was met: "met on a game", "met him through an app", "she met online".
_MET_THERE = re.compile(r"\bmet (?:\w+ )?(?:on|in|through|via|off|online)\b")
# Where one clause ends and the next begins: a stop, a comma, a dash, or a turn ("but", "though"). A guard
# in one clause says nothing of harm told now in another ("last year it was talk. today he brought it in").
_CLAUSE_BREAK = re.compile(
    r"[.;:!?,\n]+|\s[-–—]+\s|\b(?:but|though|although|however|whereas)\b", re.IGNORECASE
)
# Told in the present ("he's got", "she is", "they have"), as against the past or a what-if.
_PRESENT_TENSE = re.compile(r"\b(?:is|are|am|im|hes|shes|theyre|youre|has|have|got|still|currently)\b")
# A clause has a subject or a verb of its own; a piece with neither ("properly supervised", "laughing", "in
# the role play") is about the clause beside it, so its guard goes with that clause.
_SUBJECT_OR_VERB = re.compile(
    r"\b(?:i|he|she|they|we|you|it|there|hes|shes|theyre|im|its|theres|ive|weve|theyve|hed|shed|theyd|hell|shell"
    r"|theyll|ill|youre|is|are|am|was|were|has|have|had|isnt|wasnt|hasnt|will|wont|did|didnt|does|doesnt|cant)\b"
)
_WHAT_IF = re.compile(
    r"\b(?:if|unless|would|wouldnt|could|might|suppose|supposing|imagine|pretend\w*|in case)\b"
)
# A harm named as an event ("a stabbing they saw", "the shooting"), talked of rather than done to someone.
_HARM_AS_EVENT = re.compile(r"\b(?:a|an|the|that|this) \w+ing\b")


@cache
def lists(path: Path = CATEGORIES_PATH) -> dict[str, re.Pattern[str]]:
    """Each category as one whole-word pattern; a typo fails at start-up. A list named in braces in an item
    ("{told_done}") is written in place, so openers and medicines are listed once."""
    data = read_yaml(path)
    written = {key: "|".join(items) for key, items in data.items()}

    def in_place(items: str) -> str:
        return _LIST_NAMED.sub(lambda named: f"(?:{written[named[1]]})", items)

    return {key: re.compile(rf"\b(?:{in_place(items)})\b") for key, items in written.items()}


def _alternatives(key: str) -> str:
    return lists()[key].pattern.removeprefix(r"\b(?:").removesuffix(r")\b")


def _harm_pattern(lead: str = "") -> re.Pattern[str]:
    """A verb of hurting with a person after it: any word but a thing after a strong verb ("stab Marcus"),
    a person after a weak one ("beat him", never "beat her best time"); `lead` goes before the verb."""
    strong, weak, person, thing = (
        _alternatives(k) for k in ("harm_verb", "harm_verb_weak", "person", "not_a_person")
    )
    tail = r"\w{0,4} (?:up |in |out )?"
    play = rf"(?! (?:{_alternatives('at_play')})\b)"
    return re.compile(
        rf"\b{lead}(?:(?:{strong}){tail}(?!(?:{thing})\b)(?:{person}|\w+)|(?:{weak}){tail}(?:{person}))\b{play}"
    )


@cache
def _harm_to_person() -> re.Pattern[str]:
    return _harm_pattern()


@cache
def _intended_harm() -> re.Pattern[str]:
    return _harm_pattern(rf"(?:{_alternatives('intention')}){_GAP}?")


@cache
def _intended_phrase() -> re.Pattern[str]:
    return re.compile(rf"\b(?:{_alternatives('intention')}){_GAP}?(?:{_alternatives('harm_phrase')})")


def _has(key: str, text: str) -> bool:
    return bool(lists()[key].search(text))


def ordinary_guard(text: str) -> str | None:
    """The guard that makes a message ordinary (a game, sport, schoolwork, past, idiom, what-if, a tool
    kept for a lawful use), if any."""
    key = match_key(text)
    found = next((g for g in GUARDS if _has(g, key)), None)
    # Harm and intention are looked for with the harmless idioms out: "wants to go camping" is no intention
    return found or ("lawful_tool" if _kept_for_a_lawful_use(key, without_idioms(text)) else None)


def guard_heard(text: str) -> str | None:
    """The ordinary guard, unless it gives way to danger told now in a clause of its own. A tool kept for a
    lawful use is told of the means itself ("mum keeps it locked up"), so it never gives way."""
    guard = ordinary_guard(text)
    return None if guard in GUARDS and danger_told_now_apart(text) else guard


def _kept_for_a_lawful_use(key: str, said: str | None = None) -> bool:
    """A means kept or used for a lawful purpose, with no harm to anyone and no intention named in `said`
    (the message as `key`, or with its harmless idioms taken out)."""
    if not (_has("means", key) and _has("lawful_tool", key)):
        return False
    # "the pen knife he got": the means named is no verb of hurting
    key = lists()["means"].sub(" ", key if said is None else said)
    return not (_harm_to_person().search(key) or _has("harm_phrase", key) or _has("intention", key))


def danger_told_now_apart(text: str) -> bool:
    """A clause with no guard of its own that tells harm, self-harm, a means held or someone on a height, now
    (a time that is now, or the present tense and no what-if). Then a guard in another clause, about another
    time or another thing ("he's probably winding me up", "last year"), does not make the message ordinary;
    a guard in the same clause ("killing it in the final tonight", "a knife in DT, supervised") still does."""
    clauses = _clauses(text)
    return len(clauses) > 1 and any(_told_now(c) and _names_danger(c) for c in clauses)


def _clauses(text: str) -> list[str]:
    """The message's clauses, each with the pieces beside it that have no subject or verb of their own."""
    pieces = [p for p in _CLAUSE_BREAK.split(text) if match_key(p).strip()]
    whole = [bool(_SUBJECT_OR_VERB.search(match_key(p))) for p in pieces]
    clauses = []
    for i in (i for i, w in enumerate(whole) if w):
        start, end = i, i + 1
        while start > 0 and not whole[start - 1]:
            start -= 1
        while end < len(pieces) and not whole[end]:
            end += 1
        clauses.append(" ".join(pieces[start:end]))
    return clauses


def _told_now(clause: str) -> bool:
    key = match_key(clause)
    if any(_has(g, key) for g in GUARDS) or _WHAT_IF.search(key):
        return False
    now = any(_has(k, key) for k in ("this_moment", "present", "time_now"))
    return now or bool(_PRESENT_TENSE.search(key))


def _names_danger(clause: str) -> bool:
    """Harm to a person, self-harm, a means held, or someone on a roof, bridge or ledge, in one clause."""
    key = _HARM_AS_EVENT.sub(" ", without_idioms(clause))
    if _harm_to_person().search(key) or _has("harm_phrase", key) or _has("self_harm", key):
        return True
    held = _has("means", key) and _has("has_means", key) and not _has("guard_tools", key)
    over_a_drop = _has("on_a_height", key) or _has("held_over_drop", key)
    return (held and not _kept_for_a_lawful_use(key)) or over_a_drop


def tells_a_change(text: str) -> bool:
    """A change over time ("before he'd talk to me, now he avoids me"), which the assessment asks about."""
    return _has("change_over_time", match_key(text))


def combination(text: str) -> str | None:
    """The category combination that makes `text` a danger report, or None. Guards first."""
    # Harmless idioms ("I'd kill for a pizza", "the exam is going to kill him") and cooking knives are
    # taken out first, as the older cues take them out (bot.dialogue.danger_cues).
    key = without_idioms(text)
    if not key.strip():
        return None
    harm = bool(_harm_to_person().search(key) or _has("harm_phrase", key))
    # Said outright (not as a what-if), or harm happening this moment: no game, lesson or idiom makes
    # these ordinary ("his dad is hitting him right now, he was gaming when it started").
    if _has("outright", key) and not _has("guard_hypothetical", key):
        return "danger said outright"
    if harm and _has("this_moment", key):
        return "harm to a person this moment"
    # Someone met online arranging to meet now: the game or app where they met is no game being played
    # ("picked up tonight by a man she met on a game", "running off with a man he met on his console").
    met_online = _MET_THERE.search(key) and _has("online", key) and _has("unknown_adult", key)
    if met_online and _has("meeting", key):
        return "meeting someone met online"
    # An adult stranger named as such, met now or a moment ago, wherever ("at the cinema in an hour").
    if (
        _has("adult_stranger", key)
        and _has("meeting", key)
        and (_has("time_now", key) or _has("recent", key))
    ):
        return "meeting an adult stranger now"
    # An unknown adult meeting a child now, the meeting kept hidden or on the adult's ground ("told to come to
    # a man's flat tonight and tell nobody"): a game where they met is no game being played, so only the
    # other guards apply.
    adult = _has("unknown_adult", lists()["family_elder"].sub(" ", key))
    hidden = adult and _has("meeting", key) and _has("hidden_meeting", key)
    if hidden and _has("time_now", key) and not any(_has(g, key) for g in GUARDS if g not in PLAY_GUARDS):
        return "meeting an unknown adult in secret now"
    # Someone who hurt the child before coming back now: the past harm is the reason, not reassurance
    # ("his stepdad is back tonight and will do it again"), so the past guard is not heard.
    if harm and _has("returning", key) and _has("again_harm", key) and _soon(key):
        return "harm expected again"
    # A child held over a drop is a deed: "laughing" or "messing about" beside it is no idiom making it talk.
    held_over_drop = _has("held_over_drop", key)
    guards = [g for g in GUARDS if g != "guard_idiom"] if held_over_drop else GUARDS
    if any(_has(g, key) for g in guards) and not danger_told_now_apart(text):
        return None
    if held_over_drop:
        return "held out over a drop"
    now = _has("time_now", key) or _has("present", key)
    if harm and (_intended_harm().search(key) or _intended_phrase().search(key)):
        return "intention + harm to a person"
    if harm and _has("present", key):
        return "harm to a person going on"
    if _has("held", key):
        return "held or shut in"
    if _has("break_in", key) and (now or _has("going_on", key)):
        return "breaking in now"
    # "we can hear gunshots by the park": heard as it happens, or a moment ago
    if _has("gunfire_now", key) or (_has("gunfire", key) and (now or _has("recent", key))):
        return "gunfire now"
    if _has("swallowed_now", key):
        return "a medicine or chemical swallowed"
    if _has("in_traffic", key) and (now or _has("going_on", key)):
        return "in traffic now"
    if _has("taking_away", key) and now and _has("unwilling", key):
        return "taken away against their will"
    if _has("plan", key) and _has("time_now", key):
        return "a plan with a day"
    if _kept_for_a_lawful_use(key):
        return None
    has_means = _has("means", key) and _has("has_means", key) and not _has("guard_tools", key)
    if has_means and (now or _has("intention", key) or _harm_to_person().search(key)):
        return "means on someone + time or intention"
    if _has("self_harm", key) and (now or _has("intention", key)):
        return "self-harm + now or intention"
    missing = _has("missing_plain", key) or (_has("missing_now", key) and (now or _since(key)))
    if missing and not _has("missing_resolved", key):
        return "missing now"
    if _has("online", key) and _has("unknown_adult", key) and _has("meeting", key):
        return "meeting someone met online"
    if _has("travel_away", key):
        return "taken away now"
    return None


def _soon(key: str) -> bool:
    return _has("time_now", key) or bool(re.search(r"\b(?:soon|any time|shortly)\b", key))


def _since(key: str) -> bool:
    return bool(
        re.search(
            r"\b(?:since|all (?:night|day|weekend)|for (?:two|three|\d+) days|last night|overnight)\b", key
        )
    )
