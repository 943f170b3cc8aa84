"""General rules of language from the eleventh round (issue #11): what makes a worrying-sounding message
everyday (a toy weapon, an adult with the child, a contest, a goodbye with an everyday reason, a medicine for
its ailment, a cut to hair or prices), and danger said in ways the older rules missed (an overdose told as
done, an older man met today, someone who hurt a child before whom the child goes to, a person held out of a
window, gunfire heard now, a means recorded formally). Sentences are our own, written per rule, with reported
speech and typos; none is a line of a held-out set. The danger twin of each everyday rule shows that a harm
said beside the everyday reason still flags."""

from __future__ import annotations

import pytest

from bot.dialogue.reading import danger_reason

INFORM = ("inform", 0.7)
DANGER_SURE = ("report_danger", 0.95)
# The engine's second opinion at its surest: an everyday reason is heard before it, as the guards are.
SURE_OPINION = 0.99

# rule, an everyday sentence (the classifier and the second opinion sure of danger), its danger twin
# (the classifier saying `inform`)
TWINS = [
    (
        "an adult with the child",
        "apparently she's off to a party tonite at her mate's, the parents will be there",
        "apparently she's off to a party tonite, her dad's there and he's drunk and threatening her",
    ),
    (
        "an adult with the child, as a carer says it",
        "he's getting on a coach to the city right now, his nan is with him",
        "he's on a coach right now and his nan is with him, he says he'll kill himself when he gets there",
    ),
    (
        "a contest named after the beating",
        "my pupil said her cousin's gonna thrash her at the cross country race on saturday",
        "my pupil said her cousin's gonna batter her at the bus stop on saturday",
    ),
    (
        "a test or a contest done well",
        "hes saying hell smash the driving test tomorrow",
        "hes saying hell smash his stepdads face in tomorrow",
    ),
    (
        "a goodbye with an everyday reason",
        "she's been messaging her class goodbye because she's moving to a new school after easter",
        "she's been messaging her class goodbye, says she wants to die before she moves to a new school",
    ),
    (
        "an absence with an everyday reason",
        "he told me 'I won't be here tomorrow', he's got an orthodontist appointment",
        "he told me 'I won't be here tomorrow', he's got his mum's tablets and a dentist appointment",
    ),
    (
        "a medicine for its ailment, no amount",
        "mum says he's taken his tablets for his migraine and is sleepy now",
        "mum says he's taken all of his tablets for his migraine and is sleepy now",
    ),
]


@pytest.mark.parametrize(("rule", "everyday", "danger"), TWINS, ids=[t[0] for t in TWINS])
def test_an_everyday_reason_quietens_its_message_and_not_its_danger_twin(
    rule: str, everyday: str, danger: str
) -> None:
    reason = danger_reason(everyday, *DANGER_SURE, opinion=SURE_OPINION)
    assert not reason.flags, f"{rule}: {everyday!r} read as danger ({reason})"
    assert danger_reason(danger, *INFORM).flags, f"{rule}: {danger!r} not read as danger"


# rule, an everyday sentence and its danger twin, both read with the classifier saying `inform`: a toy or a
# cut to hair is taken out before the rules look for a means, so the rules alone no longer flag it (the
# classifier, sure, may still ask about a cue left beside it: "scissors").
TAKEN_OUT = [
    (
        "a weapon said to be a toy",
        "he says his mate's got a gun in his bag - it's just a water pistol for the fun day tmrw",
        "he says his mate's got a gun in his bag and will use it on the lad tmrw",
    ),
    (
        "a weapon named as a toy",
        "she's bringing her foam crossbow to the sleepover tonight",
        "she's bringing a blade in a plastic bag to the park tonight and says she'll use it",
    ),
    (
        "a cut to hair or prices",
        "she is cutting her own fringe right now with scissors",
        "she cut her own fringe this morning and then cut herself with the big scissors, it's bleeding now",
    ),
]


@pytest.mark.parametrize(("rule", "everyday", "danger"), TAKEN_OUT, ids=[t[0] for t in TAKEN_OUT])
def test_a_toy_or_an_everyday_cut_is_no_means_but_a_harm_beside_it_is_heard(
    rule: str, everyday: str, danger: str
) -> None:
    reason = danger_reason(everyday, *INFORM)
    assert not reason.flags, f"{rule}: {everyday!r} read as danger ({reason})"
    assert danger_reason(danger, *INFORM).flags, f"{rule}: {danger!r} not read as danger"


# rule, a danger sentence (the classifier saying `inform`), an ordinary one with the same words
PAIRS = [
    (
        "an overdose told as done",
        "she's overdosed on her nan's pills, she's barely making sense",
        "the lad's doing a project on overdose awareness",
    ),
    (
        "all there was, taken",
        "she rang and said 'i've taken everything from my mum's cabinet'",
        "she rang and said she's taken everything to her dad's for the weekend",
    ),
    (
        "an older man met today",
        "apparently she's meeting an older bloke after skool today",
        "apparently she's meeting her older brother after skool today",
    ),
    (
        "a person held out over a drop",
        "her partner is dangling the baby out of the bedroom window",
        "her partner is hanging the washing out of the bedroom window",
    ),
    (
        "gunfire heard now",
        "we can hear gunshots by the flats and the kids are still outside",
        "he heard gunshots in the film they watched last night",
    ),
    (
        "staying with someone who hurt them and will again",
        "he's staying at his stepdad's house tonight, he beat him last month and says he'll do it again",
        "he's staying at his stepdad's house tonight, they're going to the match again",
    ),
    (
        "a means recorded formally",
        "Incident 09:40: pupil in possession of an offensive weapon, refused to hand it over",
        "Incident in March: pupil in possession of an offensive weapon, confiscated, all dealt with",
    ),
]


@pytest.mark.parametrize(("rule", "danger", "ordinary"), PAIRS, ids=[p[0] for p in PAIRS])
def test_danger_said_another_way_flags_and_its_ordinary_twin_does_not(
    rule: str, danger: str, ordinary: str
) -> None:
    assert danger_reason(danger, *INFORM).flags, f"{rule}: {danger!r} not read as danger"
    reason = danger_reason(ordinary, *INFORM)
    assert not reason.flags, f"{rule}: {ordinary!r} read as danger ({reason})"
