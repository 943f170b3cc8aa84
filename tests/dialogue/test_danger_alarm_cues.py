"""Danger said in ways the older rules missed (issue #11): the cues of the reverted eleventh round that only
raise the alarm, brought back one by one. None of them makes a message ordinary; each pairs a danger sentence
with a near ordinary one sharing its words. Sentences are our own, with reported speech and typos; none is a
line of a held-out set. Read by the rules alone: the classifier says `inform`, no second opinion.
"""

from __future__ import annotations

import pytest

from bot.dialogue.reading import danger_reason

INFORM = ("inform", 0.7)

# rule, a danger sentence, an ordinary one with the same words
PAIRS = [
    (
        "a person held out over a drop",
        "her partner is dangling the baby out of the bedroom window",
        "her partner is hanging the washing out of the bedroom window",
    ),
    (
        "a child held over railings",
        "he's holding his little brother over the balcony railings and laughing",
        "he's holding his little brother's hand on the balcony",
    ),
    (
        "gunfire heard now",
        "we can hear gunshots by the flats and the kids are still outside",
        "he heard gunshots in the film they watched last night",
    ),
    (
        "gunfire a moment ago",
        "theres been shots fired outside the chippy 5 minutes ago, the lads ran off",
        "the starting gun fired and the lads ran off",
    ),
    (
        "a means recorded formally, kept from staff",
        "Incident 09:40: pupil in possession of an offensive weapon, refused to hand it over",
        "Incident in March: pupil in possession of an offensive weapon, confiscated, all dealt with",
    ),
    (
        "a means recorded formally, whereabouts unknown",
        "pupil seen in possession of a bladed article at break, whereabouts unknown",
        "the police leaflet explains what counts as a bladed article",
    ),
    (
        "an overdose told as done",
        "she's overdosed on her nan's pills, she's barely making sense",
        "she overdosed in year 9 and has been doing well since",
    ),
    (
        "an overdose told as done, in the first person",
        "he messaged 'ive overdosed im sorry'",
        "he messaged 'ive done the overdose awareness module'",
    ),
    (
        "all there was, taken",
        "young person rang saying 'i've taken everything in the bathroom cupboard' and hung up",
        "she rang and said she's taken everything to her dad's for the weekend",
    ),
    (
        "all of them, swallowed now",
        "shes swallowed all of them now, the whole lot",
        "she's sorted all of them now, the whole lot",
    ),
    (
        "a medicine swallowed, told as done",
        "the toddler's swallowed the calpol",
        "I gave her calpol for her temperature",
    ),
    (
        "a medicine swallowed, an amount named",
        "she's swallowed a bottle of calpol",
        "she's had a spoonful of calpol and is asleep now",
    ),
    (
        "a household chemical swallowed",
        "the baby's drunk the washing up liquid, she's coughing",
        "the baby's knocked over the washing up liquid, she's laughing",
    ),
    (
        "a chemical swallowed by a little one",
        "my 2 year old has eaten a dishwasher tablet",
        "my 2 year old has put a dishwasher tablet in the machine",
    ),
    (
        "an older man met today",
        "apparently she's meeting an older bloke after skool today",
        "apparently she's meeting her older brother after skool today",
    ),
    (
        "an older man met a moment ago",
        "she got in a car with an older guy 10 minutes ago",
        "she got in a car with her older sister 10 minutes ago",
    ),
    (
        "staying with someone who hurt them and will again",
        "he's staying at his stepdad's house tonight, he beat him last month and says he'll do it again",
        "he's staying at his stepdad's house tonight, they're going to the match again",
    ),
    (
        "going to someone who hurt them and will again",
        "she is going to her dad house tonight even tho he hit her last time and said he will do it again",
        "she is going to her dad house tonight, he is taking her swimming again",
    ),
]


@pytest.mark.parametrize(("rule", "danger", "ordinary"), PAIRS, ids=[p[0] for p in PAIRS])
def test_danger_said_another_way_flags_and_its_ordinary_twin_does_not(
    rule: str, danger: str, ordinary: str
) -> None:
    assert danger_reason(danger, *INFORM).flags, f"{rule}: {danger!r} not read as danger"
    reason = danger_reason(ordinary, *INFORM)
    assert not reason.flags, f"{rule}: {ordinary!r} read as danger ({reason})"


# False alarms a review found in these cues, each with its danger sentence, the review's ordinary sentence and
# a near one of our own: the cue is narrowed, never quietened by a new guard.
REVIEWED = [
    (
        "held over a drop: past and dealt with, a film, a bath's edge",
        "he's dangling his little sister out of the bedroom window",
        [
            "last year he held his little brother over the balcony, all dealt with",
            "two years ago he held his baby sister over the balcony, all sorted now",
            "in the film a man is holding the baby over the edge of the cliff",
            "in the film a man is dangling the baby out of the window",
            "holding the baby over the bath edge to rinse her hair",
            "holding the baby over the sink edge to wash her face",
        ],
    ),
    (
        "gunfire: heard back home, still has nightmares",
        "we can hear gunshots by the flats",
        [
            "he heard gunshots every night back home and still has nightmares",
            "he heard gunfire back home as a kid and still jumps at fireworks",
        ],
    ),
    (
        "a medicine: the child's own dose, or none eaten",
        "the toddler's swallowed the calpol",
        [
            "the baby has drunk her medicine and gone down for a nap",
            "the toddlers have drunk their medicine",
            "the twins drank their calpol",
            "he has eaten nothing since the medication was changed",
            "she has eaten nothing since her medication changed",
        ],
    ),
    (
        "a medicine taken as prescribed",
        "she's swallowed a bottle of calpol",
        ["she's swallowed her tablets as prescribed", "he's taken his meds as prescribed this morning"],
    ),
    (
        "got into, as took up",
        "the toddler has got into the bleach under the sink",
        ["he got into vape juice flavours", "she's got into e liquid flavours lately"],
    ),
    (
        "the practitioner's own I've",
        "I've taken 20 pills",
        [
            "I've taken a statement from her, she says her dad hit her",
            "ive cut down his screen time since he punched his brother",
            "ive cut back his gaming since he hit his sister",
        ],
    ),
    (
        "an overdose as history",
        "she has overdosed, she's really drowsy",
        ["she has overdosed twice before, both in year 9", "he has overdosed before, in year 8"],
    ),
    (
        "older guys at school",
        "she's meeting an older guy after school today",
        [
            "the older guys in year 13 meet in the library after school",
            "the older blokes in sixth form meet in the canteen after school",
        ],
    ),
]


@pytest.mark.parametrize(("rule", "danger", "ordinary"), REVIEWED, ids=[r[0] for r in REVIEWED])
def test_a_reviewed_false_alarm_is_quiet_and_its_danger_still_flags(
    rule: str, danger: str, ordinary: list[str]
) -> None:
    assert danger_reason(danger, *INFORM).flags, f"{rule}: {danger!r} not read as danger"
    flagged = {text: str(r) for text in ordinary if (r := danger_reason(text, *INFORM)).flags}
    assert flagged == {}, f"{rule}: read as danger"


# Danger said beside the narrowed cues is still heard: the medicine taken as prescribed is taken out, not the
# rest; first-person overdoses; a child held over a drop now, after one dealt with; still hearing shots.
STILL_DANGER = [
    "she's swallowed her tablets as prescribed but says she wants to die tonight",
    "she's swallowed a bottle of calpol as prescribed",
    "I've overdosed",
    "my son has swallowed 12 paracetamol",
    "the baby's got into mum's tablets",
    "he's got into the medicine cabinet",
    "last year he held his little brother over the balcony, but now he is dangling him out of the window",
    "we are still hearing shots fired on the estate",
    "she's meeting some much older guys tonight",
]


@pytest.mark.parametrize("text", STILL_DANGER)
def test_danger_beside_a_narrowed_cue_still_flags(text: str) -> None:
    assert danger_reason(text, *INFORM).flags
