"""Danger said without the usual words, and the ordinary speech that shares them (issue #11, h18, h1).

Our own phrasings, written from first principles and never from the held-out sets: harm going on now told with
everyday verbs ("he's strangling him", "the baby's not breathing", "the flat's on fire"), a weapon drawn, a
child meeting someone from online today, self-harm said obliquely; and idioms, toys, lessons, family trips and
things the police have already dealt with, in both directions.
"""

from __future__ import annotations

import pytest

from bot.dialogue.danger_cues import has_danger_cue, is_plain_danger
from bot.dialogue.reading import read_message

# Read as danger whatever the classifier says.
PLAIN = [
    "hes strangling him",
    "help hes hurting her",
    "her stepdad is punching her mum right now and the kids are watching",
    "the mum's boyfriend is kicking the door in",
    "the baby's not breathing",
    "theres blood and hes not responding",
    "the house is on fire and the kids are inside",
    "theyve set his flat on fire",
    "he's lit a fire in the toilets",
    "he's holding his little brother hostage in the bedroom",
    "she's hanging from the banister",
    "he's drinking bleach",
    "hes cut his own throat",
    "he's brandishing a knife in the canteen",
    "there's a pupil waving a knife about in the yard",
    "someone's pulled a knife on a year 9",
    "hes pulled a blade on his mum",
    "he's chasing the other boy with a screwdriver",
    "he's armed",
    "she's texting for help from a flat she doesn't know",
    "she's being trafficked tonight, they're moving her to another city",
    "he's sat in his car with the engine running in the garage",
    "she's walked into the sea and won't come back",
    "the 14 year old is meeting the man from snapchat at the station in an hour",
    "she's going to meet the man who's been messaging her at the park after school",
    "the man who's been grooming her is picking her up from school today",
    "he said he's getting picked up tonight by the man from tiktok",
    "he's said he wants to be dead by the morning",
    "he's stood by the railway line and not answering",
    "shes gona kill herself",
    "i think he's overdosed he's not waking up",
    "he's threatening to drive his car into the school gates at pick up",
    "he said he'll come in tomorrow and finish what he started",
    "shes been gone all night",
    "missing since last nite, phone dead",
    "he's getting on a plane to join the fighting in the morning",
    "mum says her dad's flying her out with him tomorrow to be married and she doesn't want to go",
    # Typed in a hurry, slang, exploitation and a stranger met in a game (issue #11, h1).
    "the older lads are driving him to a different town this evening to sell for them",
    "she's going country with them 2nite",
    "his mate says hes gna do that lad after skool",
    "they're saying they'll merk him at the bus stop tonight",
    "she said she wants to unalive herself before bed",
    "a man she met on a game is picking her up after school",
    "he's ment to be meeting the man from snapchat b4 school tmrw",
    # Held, cut abroad, something planned for a day (issue #11, h1).
    "her stepdad has locked her in and gone out with the key",
    "a pupil says her dad is taking her to get cut abroad in the holidays next week",
    "the kid says he's going to do something bad at the match on saturday",
]

# Danger the classifier must agree with: a cue without a time, or words that are ordinary elsewhere.
WITH_THE_CLASSIFIER = [
    "she's in the car with him now and he's driving her somewhere",
    "they're driving him to a trap house right now",
    "he's revving the car at the kids outside school",
    "a kid's been knocked down by a car and the driver did it on purpose",
    "she's been kicked out and is sleeping on the street tonight at 13",
    "the toddler has been left on his own and the flat is freezing",
    "hes done a runner from the unit and said hes going to meet them",
    "his passport's gone and so has he",
    "she's sent a text saying sorry for everything and her phone's off",
    "she says she won't be around after tonight",
    "she's got into a stranger's car outside school",
    "she went to school this morning but never arrived",
    "a man has followed a year 7 into the toilets",
    "the girl is stood in the middle of the road in front of traffic",
    "he's going to blow the place up when the bell goes",
    "there's smoke coming from his room and he's locked the door",
    "the police took him earlier but he's back out with another knife",
    # Being moved, held, met by a stranger, or self-harm in young people's words (issue #11, h1).
    "she's meeting some older bloke at the park in an hour",
    "his older cousins keep sending him to another city with packages",
    "they're keeping her at some flat and she can't get out",
    "he's trapped in a car with them and texted me",
    "she told her mate there's no point in living and she's got a plan",
    "my student told me everyone would be better off without her",
    # Lost, fire starting, taken against an order, frightened (issue #11, h1).
    "she's texted to say she's at a stranger's house and doesn't know where she is",
    "he's in the toilets with a lighter and the bin is smoking",
    "he's been taken by his dad who isn't allowed contact, they left ten minutes ago",
    "the 15 year old is at a party with adults and she's texted saying she's really drunk and scared",
    # Said in few words: a weapon unsaid, a body gone limp, dead by a day, a town they don't know (issue #11,
    # h1, second pass).
    "my student says her brother is carrying",
    "he's still strapped",
    "the baby has gone limp and isn't waking up properly",
    "she says she'll be dead by friday",
    "they drove him to a town he doesn't know and left him there",
]

# Never plain danger, and an answer when the classifier reads them as answers.
ORDINARY = [
    "he's got a fishing trip with his dad tomorrow and they take a knife to gut the fish",
    "they are blowing up balloons for the party tomorrow",
    "he has a toy gun for the play tomorrow",
    "mum threatened to take his phone off him tonight",
    "the kids are going to the shooting range with cadets on saturday",
    "she's going on a flight with her mum tomorrow for half term",
    "she overdosed in year 9 and is now doing really well with camhs",
    "i could kill my printer right now",
    "he's armed with a list of questions for the review tomorrow",
    "she's screaming for help with her coursework, bless her",
    "she won't be around next week because of the trip",
    "he's legged it to the shop at break",
    "he's done a runner from detention again",
    "the house is burning hot with the heating on",
    "he wants to be dead famous",
    "they're going to drive into town later for shopping",
    "the dog's not breathing well, they're taking him to the vet",
    "he's not moving schools after all",
    "we've booked unconscious bias training for staff tomorrow",
    "there's a meeting about the grooming concerns tomorrow",
    "he's meeting his mates in town after school",
    # The police have already acted, today.
    "the police came this morning and took the knife off him",
    "officers seized the weapon today and he's in custody",
    "the police have already removed the gun from the house today",
    "she said he'll kill the competition at the tournament tomorrow",
    # Idioms and errands with a time (issue #11, h1).
    "i'll have a stab at the chronology tonight",
    "sorry i've got to shoot off now, the bell's gone",
    "his phone's been blowing up with messages about the party today",
    "she's going to do her hair tonight for the prom",
    "he's meeting the man from the council about housing tomorrow",
    # "Carrying" and "odd" in ordinary speech: the classifier must read them as answers (issue #11, h1).
    "he's carrying his own lunch now",
    "she found the assembly odd",
]

# Ordinary even when the classifier is sure it is danger: an idiom, or past and dealt with.
ORDINARY_WHATEVER_THE_CLASSIFIER = [
    "the kids were killing themselves laughing at the assembly",
    "i'm dying to see the new film",
    "he shot his hand up to answer the question",
    "the police arrested him last month and it's now with the youth offending team",
    "the police already arrested him last night and he's in custody",
    "he stabbed his pencil through the paper when he got angry",
    "he's a killer at chess",
    "she's got a massive fight on her hands with the exam board",
    "he punched the air when he scored",
    "that test murdered me",
    "she was choked up at the leavers assembly",
    "he got kicked out of the lesson for talking",
    "he's sorry for everything he said to his teacher",
    "she's been on fire in netball this term",
    "the police found her this morning and she's safe at home",
    "the police spoke to him today about the threats and he's been bailed",
    "the teacher is going to kill him for being late again",
    # A policy, a what-if or an idiom (issue #11, h1).
    "that residential cost a bomb",
    "mum hit the roof about his detention yesterday",
    "what happens if a pupil brings a knife in tomorrow, is that a 999 call?",
    "the procedure says if someone has a weapon in school we ring the police",
    "the guidance on weapons in school says ring 999 right away",
    "in training they asked what we would do if a child said he had a gun",
    # Revision, auditions, chores, accidents and betrayal (issue #11, h1).
    "she's locked herself in her room to revise for her mocks",
    "he's going to kill the audition tomorrow",
    "mum says she'll kill him if he doesn't tidy his room tonight",
    "she cut herself by accident in food tech today",
    "he's been stabbed in the back by his best mate, they fell out over a girl",
    # Ordinary "carrying", "dead" and strange towns (issue #11, h1, second pass).
    "she's carrying on with her coursework",
    "mum's dead proud of him",
    "he was dead by the end of the cross country",
    "they moved to a town he doesn't know well last year and he's settled",
    "he was carrying a knife two years ago, it was dealt with by the police",
]


@pytest.mark.parametrize("text", PLAIN)
def test_danger_said_plainly_is_read_whatever_the_classifier_says(text: str) -> None:
    assert is_plain_danger(text)
    assert read_message(text, "inform", 0.99).kind == "danger"


@pytest.mark.parametrize("text", WITH_THE_CLASSIFIER)
def test_danger_with_a_cue_is_read_when_the_classifier_agrees(text: str) -> None:
    assert has_danger_cue(text)
    assert read_message(text, "report_danger", 0.6).kind == "danger"


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_speech_is_no_plain_danger(text: str) -> None:
    assert not is_plain_danger(text)
    assert read_message(text, "inform", 0.9).kind == "answer"


@pytest.mark.parametrize("text", ORDINARY_WHATEVER_THE_CLASSIFIER)
def test_an_idiom_or_something_dealt_with_is_no_alarm(text: str) -> None:
    assert read_message(text, "report_danger", 0.9).kind == "answer"
