"""Danger by category (bot/dialogue/danger_categories.py, issue #11): each combination a safeguarding lead
would recognise flags a danger report said that way, whatever the classifier says, and an ordinary sentence
with the same words stays quiet. Each guard makes a message ordinary even when the classifier reads danger
and names a time ("at lunch", "in the morning"). Sentences are our own, written per category; none is a line
of a held-out set or of tests/nlu/dev_danger.yml."""

from __future__ import annotations

import pytest
import yaml

from bot.dialogue.danger_categories import CATEGORIES_PATH, combination, lists, ordinary_guard
from bot.dialogue.reading import danger_reason
from bot.questions.wording_checks import WORDING_PATH, Wording

INFORM = ("inform", 0.7)
DANGER_SURE = ("report_danger", 0.95)

# category, a danger sentence (read with the classifier saying `inform`), an ordinary one with the same words
PAIRS = [
    (
        "intention + harm to a person, with a time",
        "he reckons he will batter the new lad after football tonight",
        "he reckons he will beat his record after football tonight",
    ),
    (
        "intention + harm to a named person",
        "Rio keeps saying he's going to stab Callum",
        "Rio keeps saying he's going to beat Callum at chess",
    ),
    (
        "means on someone + time",
        "she has a blade in her rucksack and says she's using it at lunch",
        "she has a blade in her rucksack for carving in DT at lunch",
    ),
    (
        "self-harm + now",
        "he says he'll end it tonight, he's got his mum's tablets",
        "he ended his exam early tonight and went to bed",
    ),
    (
        "missing now",
        "the girl from the children's home has been missing since last night",
        "the girl went missing for a day in year 7 and came back",
    ),
    (
        "meeting someone met online",
        "a man she's been chatting to on snapchat wants to meet her by the canal",
        "she's been chatting to her cousin on snapchat and wants to meet her",
    ),
    (
        "meeting someone met on a game: where they met is no game being played",
        "she's getting picked up tonight by a man she met on her game",
        "she's getting picked up tonight by her mum after her game",
    ),
    (
        "missing now: a child, not a pet or a thing",
        "her little brother has been missing since this morning",
        "her little brother's dog has been missing since this morning",
    ),
    (
        "intention typed in a hurry",
        "he threatnd to batter his sister when she gets in",
        "he threatnd to tell his sister's teacher when she gets in",
    ),
    (
        "missing now: not found is not found",
        "he's been missing since the weekend and police haven't found him",
        "he went missing at the weekend and police found him at a friend's",
    ),
    (
        "harm said as a face or head smashed in",
        "she says she'll smash that girl's face in after school",
        "she says she'll smash the high jump after school",
    ),
    (
        "taken away to be married",
        "her parents are taking her away next week to be married",
        "her parents are going away next week to a wedding",
    ),
    (
        "coming for someone, as others say it",
        "the older lads say they're coming for him after school",
        "the older lads say they're coming for tea after school",
    ),
    (
        "in traffic now",
        "he's wandering down the hard shoulder and won't get in the car",
        "he's learning about the hard shoulder for his driving theory at college",
    ),
    (
        "breaking in now",
        "her dad is kicking the front door in and she's hiding upstairs",
        "her dad kicked the front door in years ago when he lost his keys, all sorted",
    ),
    (
        "taken away against their will",
        "his aunt is coming to take him away tonight and he's terrified",
        "his aunt is coming to take him to the cinema tonight and he's excited",
    ),
    (
        "a plan with a day",
        "he's written a list of names and says friday is when it happens",
        "he's written a list of names for the party invitations on friday",
    ),
    (
        "meeting an adult stranger now, wherever they met",
        "she's meeting a 35 year old at the shopping centre in half an hour",
        "she's meeting her 15 year old friend at the shopping centre in half an hour",
    ),
    (
        "a means kept for a lawful use is no danger; brought with a threat it is",
        "he's got a hatchet in his bag and says he'll use it on the lad tonight",
        "he's got a hatchet for splitting logs at his nan's farm",
    ),
    (
        "a threat over a trifle is banter; a threat over telling is not",
        "her dad said he'll kill her if she tells anyone tonight",
        "her dad said he'll kill her if she borrows his car again tonight",
    ),
    (
        "a date in the past that only says when someone was met",
        "she's being picked up now by a 40 year old she met last week",
        "she was driven home last week by her friend's dad from the football club",
    ),
]


@pytest.mark.parametrize(("category", "danger", "ordinary"), PAIRS, ids=[p[0] for p in PAIRS])
def test_each_category_flags_its_danger_and_not_its_ordinary_twin(
    category: str, danger: str, ordinary: str
) -> None:
    assert combination(danger), f"{category}: {danger!r} not read as danger"
    assert danger_reason(danger, *INFORM).flags
    assert not combination(ordinary), f"{category}: {ordinary!r} read as {combination(ordinary)!r}"
    assert not danger_reason(ordinary, *INFORM).flags


# guard, an ordinary sentence the classifier is very sure is danger and that names a time
GUARDED = [
    ("game", "he was killing everyone on his console at lunch"),
    ("sport", "she beat him at tennis in the morning"),
    ("sport", "he hit a six off the last ball at lunch"),
    ("schoolwork", "his essay on the shooting is due at break"),
    ("past", "he ran away once when he was eight, it was sorted the same day"),
    ("idiom", "I'd kill for a coffee this afternoon"),
    ("what-if", "what happens if a child says they're unsafe at home time"),
    ("banter", "he says he'll throttle his sister for pinching his hoodie tonight"),
    ("temper", "she had a tantrum at lunch when her phone was taken"),
    ("a tool kept for a lawful use", "he's got a licensed shotgun at the farm for tomorrow's clay shoot"),
    (
        "heard of from afar",
        "they were chatting about a stabbing they saw on tiktok this morning, nobody they know",
    ),
]


@pytest.mark.parametrize(("guard", "text"), GUARDED, ids=[g for g, _ in GUARDED])
def test_each_guard_keeps_an_ordinary_message_with_a_time_quiet(guard: str, text: str) -> None:
    assert ordinary_guard(text), f"{guard}: {text!r} not guarded"
    assert not danger_reason(text, *DANGER_SURE).flags


@pytest.mark.parametrize(
    "text",
    [
        "her stepdad is hitting her right now, she was on her console when he came in",
        "someone is in danger right now, he was meant to be doing his homework",
    ],
)
def test_harm_this_moment_or_danger_said_outright_is_never_guarded(text: str) -> None:
    assert ordinary_guard(text)  # a game or homework is named...
    assert danger_reason(text, *INFORM).flags  # ...and danger comes first


def test_a_what_if_about_danger_is_no_alarm() -> None:
    assert not danger_reason("what would we do if a pupil is in danger at home time", *DANGER_SURE).flags


def test_a_harm_verb_needs_a_person_not_a_game() -> None:
    assert not combination("he is going to beat him at chess tomorrow")
    assert not combination("she is beating him at draughts right now")
    assert combination("he is going to beat him up tomorrow")


def test_categories_name_no_place_religion_ideology_or_community() -> None:
    wording = Wording.load(WORDING_PATH, [])
    assert wording is not None
    data = yaml.safe_load(CATEGORIES_PATH.read_text(encoding="utf-8"))
    named = [
        (key, item) for key, items in data.items() for item in items if wording.names(item.replace("|", " "))
    ]
    assert not named, named
    assert set(lists()) == set(data)  # every list compiles
