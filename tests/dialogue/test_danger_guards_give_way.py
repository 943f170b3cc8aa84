"""A guard never silences danger told as happening now (issue #11).

A game, film, sport, schoolwork, something past, a joke or a what-if makes a message ordinary only when it is
about the same thing as the harm. Said in another clause, or about another time, it leaves a clause of its own
that tells harm, self-harm, a means held or someone on a height now, and that clause is heard. Each danger
sentence below is flagged by the rules alone (the classifier saying `inform`, no second opinion); each near
one, where the guard is about the harm itself, stays ordinary.
"""

from __future__ import annotations

import pytest

from bot.dialogue.danger_categories import danger_told_now_apart
from bot.dialogue.reading import danger_reason

DANGER_BESIDE_A_GUARD = [
    # another time: past and resolved, then now
    "she cut herself in year 8 and it got sorted. tonight she's cutting herself again in the bathroom",
    "Two years ago he was bullied, all dealt with. Right now he's stabbing the lad who did it",
    "he used to carry a blade, but this afternoon he has a machete in his rucksack",
    # another clause: a joke, a game or a lesson beside harm now
    "she's laughing about it, but she's sitting on the edge of the roof of the flats",
    "his mates say it's banter; he's got a gun in his coat at the gates right now",
    "we had a lesson on knife crime this morning. now he's hitting her with a bat in the corridor",
]

GUARD_ABOUT_THE_SAME_THING = [
    "he's killing it in the cup final tonight",
    "he's got a knife in food tech, properly supervised",
    "in the film the boy is standing on the ledge of the roof",
    "she said she'd jump off the bridge if she failed the test, laughing",
    "he's playing fortnite and says he's going to shoot everyone tonight",
    "last year he said he'd hurt himself, it's all sorted and he's doing well",
    "what would we do if a pupil had a knife in his bag",
    "she's got an air rifle she uses at the range, her dad keeps it locked away",  # a tool kept lawfully
]


@pytest.mark.parametrize("text", DANGER_BESIDE_A_GUARD)
def test_danger_told_now_beside_a_guard_elsewhere_is_flagged(text: str) -> None:
    reason = danger_reason(text, "inform", 0.9)

    assert reason.flags, f"{text!r} read as {reason}"


@pytest.mark.parametrize("text", GUARD_ABOUT_THE_SAME_THING)
def test_a_guard_about_the_harm_itself_still_makes_the_message_ordinary(text: str) -> None:
    reason = danger_reason(text, "inform", 0.9)

    assert not reason.flags, f"{text!r} read as {reason}"


@pytest.mark.parametrize(
    "text",
    [
        "he was on the roof last summer, it was sorted, he's fine now",  # now, but no danger in that clause
        "if he brings a knife tomorrow, it would be a worry, just banter so far",  # a what-if, not now
    ],
)
def test_no_clause_tells_danger_now_so_the_guard_stands(text: str) -> None:
    assert not danger_told_now_apart(text)
