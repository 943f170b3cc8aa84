"""A means named but no means: a knife at kitchen work, a weapon that is a toy, a cut to hair or prices
(issue #11).

Taken out of a message before the danger rules look for a means (bot.dialogue.danger_cues `_key`, which
bot.dialogue.danger_categories reads too), so a harm or an intention said beside it is still heard: "he
says he'll stab him, he has a toy gun" keeps "stab him". Matched against `match_key(text)`.
"""

from __future__ import annotations

import re

# Kitchen work: a knife here is a tool.
_COOKING = re.compile(
    r"\b(?:cook\w*|chef|food tech\w*|recipe|onions?|veg\w*|chopp\w*|carv\w*|slic\w*|bak\w*|fishing|"
    r"gut the fish|whittl\w*)\b"
)
_BLADES = re.compile(r"\b(?:knife|knives|blade|blades)\b")
_WEAPONS = (
    r"guns?|pistols?|rifles?|crossbows?|bows?|swords?|daggers?|knife|knives|blasters?|axes?|grenades?|"
    r"bazookas?|light ?sabers?|light ?sabres?|weapons?"
)
# Made to play with. Not "fake" or "replica": an imitation weapon pointed at someone is treated as real.
_TOY = r"toy|foam|nerf|plastic|cardboard|lego|wooden|water|bubble|dart|cap"
# Said as a toy: "a toy gun", "a foam sword", "his nerf blaster".
_NAMED_AS_TOY = re.compile(rf"\b(?:{_TOY}) (?:\w+ )?(?:{_WEAPONS})\b")
# Named, then said to be a toy: "he's got a gun - a water pistol", "a crossbow in his room, it's a foam one".
# Only with "a"/"it's a" before the toy, so "a knife in a plastic bag" keeps its knife.
_RESTATED_AS_TOY = re.compile(
    rf"\b(?:{_WEAPONS})\b(?= (?:\w+ ){{0,3}}(?:its |it is |just |only |its just |its only )?(?:a|an) "
    r"(?:toy|foam|nerf|water (?:pistol|gun)|bubble gun|pretend)\b(?! (?:box|chest|cupboard|shop|bag)))"
)
# A cut whose object is hair, nails or a price: "cut her own fringe with the kitchen scissors", "slashing
# prices at the sale". Taken out whole, so a cut to the body said beside it is still read.
_EVERYDAY_CUT = re.compile(
    r"\b(?:cut|cuts|cutting|slash|slashed|slashes|slashing|trim\w*|chop\w*) (?:off )?"
    r"(?:(?:his|her|their|my|the|all|our|your) )?(?:own )?(?:\w+ )?"
    r"(?:hair|fringe|nails|fingernails|toenails|prices?|costs?|fees|rates|budgets?)\b"
)


def without_toys(key: str) -> str:
    """`key` with its toy weapons and everyday cuts taken out: looked for before the harmless idioms take
    "water pistol" out."""
    return _EVERYDAY_CUT.sub(" ", _NAMED_AS_TOY.sub(" ", _RESTATED_AS_TOY.sub(" ", key)))


def without_kitchen_knives(key: str) -> str:
    """`key` with its knives taken out at kitchen work."""
    return _BLADES.sub(" ", key) if _COOKING.search(key) else key
