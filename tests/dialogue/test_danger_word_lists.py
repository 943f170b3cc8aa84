"""The danger words kept as data (bot/dialogue/danger_word_lists.yaml, issue #11): each kind of cue added
there catches a danger report said that way and leaves an ordinary sentence with the same words alone. The
sentences are our own, written for each kind; none is a line of a held-out set. Each pair is read by
`danger_reason` with the classifier output such a message would plausibly get: a plain kind must flag even
when the classifier says `inform`, a cue kind needs `report_danger`, and its ordinary twin must stay quiet
whatever the classifier says that a cue kind depends on."""

from __future__ import annotations

import re

import pytest
import yaml

from bot.dialogue.danger_word_lists import KEYS, LISTS_PATH, DangerListsError, load_lists, more, parse_lists
from bot.dialogue.reading import danger_reason
from bot.questions.wording_checks import WORDING_PATH, Wording

INFORM = ("inform", 0.7)
FALLBACK = ("nlu_fallback", 0.3)
DANGER = ("report_danger", 0.9)

# kind, a danger report said that way, the classifier's reading, an ordinary sentence, its reading
PAIRS = [
    (
        "now: at the moment",
        "he's cutting himself in his bedroom at the moment, mum just rang me",
        INFORM,
        "work is killing me at the moment",
        DANGER,
    ),
    (
        "now: has turned up",
        "her ex has turned up at the school office threatening to hurt the kids",
        FALLBACK,
        "his dad has turned up to parents evening for once",
        INFORM,
    ),
    (
        "weapon hidden on them",
        "just saw a lad slip a blade down his sock by the gates",
        INFORM,
        "he keeps his bus pass down his sock",
        INFORM,
    ),
    (
        "now: after college",
        "she's saying she'll stab the girl who grassed after college",
        INFORM,
        "he has football training after college on thursdays",
        DANGER,
    ),
    (
        "harm: corrosives",
        "he keeps bleach in his bag and says he'll throw it over the lad",
        DANGER,
        "mum uses bleach to clean the bathroom every saturday",
        INFORM,
    ),
    (
        "harm: sounds of harm",
        "I can hear banging and screaming from the flat upstairs where the kids are",
        DANGER,
        "the kids were screaming and laughing in the playground",
        DANGER,
    ),
    (
        "something bad: a target list",
        "she's written a list of girls to hurt at the disco on friday",
        INFORM,
        "she's written a list of things to pack for the trip on friday",
        INFORM,
    ),
    (
        "exploited",
        "a man is selling her for sex this weekend",
        INFORM,
        "there's a training course on county lines tomorrow",
        INFORM,
    ),
    (
        "violent idiom with 'the'",
        "he says he'll kick the new lad's head in tomorrow",
        DANGER,
        "he kicked the ball into the head teacher's garden",
        DANGER,
    ),
    (
        "happening: family hurt now",
        "her stepdad is beating her mum right now, she rang me crying",
        INFORM,
        "she's hitting the books hard before her exams",
        DANGER,
    ),
    (
        "happening: cannot wake",
        "mum can't wake the baby up and he's gone very pale",
        INFORM,
        "i can't wake him up in the morning for school",
        INFORM,
    ),
    (
        "happening: by the throat",
        "he's got the younger lad by the throat behind the sports hall",
        DANGER,
        "she had a sore throat and stayed home",
        DANGER,
    ),
    (
        "travel: typed in a hurry",
        "hes flyin out tonite to go fight",
        FALLBACK,
        "we went fishing, he was flyin a kite after",
        INFORM,
    ),
    (
        "happening: at a height",
        "she's climbing over the railings on the top floor of the car park",
        INFORM,
        "he climbed over the fence to get his ball back",
        INFORM,
    ),
    (
        "happening: taken",
        "a girl from year 8 has been snatched off the street",
        INFORM,
        "someone snatched his phone on the bus last week",
        INFORM,
    ),
    (
        "happening: raised object",
        "he's swinging a chair at a teacher's head in the corridor",
        INFORM,
        "he was holding the chairs over his head to stack them",
        DANGER,
    ),
    (
        "missing: nowhere",
        "we've looked everywhere and she isn't anywhere in the building",
        INFORM,
        "his name isn't anywhere on the register",
        DANGER,
    ),
    (
        "missing: from care",
        "12 year old missing from her placement since teatime",
        INFORM,
        "he was missing from school for a week in march with flu",
        INFORM,
    ),
    (
        "self-harm: last message",
        "he posted 'this is my last post, love you all'",
        DANGER,
        "this is my last message before the holidays, thanks all",
        DANGER,
    ),
    (
        "self-harm: a note found",
        "her mum found a suicide note under her pillow this morning",
        INFORM,
        "she found a goodbye card from her old class this morning",
        INFORM,
    ),
    (
        "stranger: an adult by age",
        "she's going to meet a 30 year old she talks to on instagram",
        DANGER,
        "she met a 30 year old author at the book fair",
        DANGER,
    ),
    (
        "stranger: luring",
        "a man in a van tried to get two year 6 girls to come with him",
        DANGER,
        "the coach tried to get the boys to come with him to the away match",
        INFORM,
    ),
    (
        "travel: for good",
        "he's leaving with her for good tonight, she's 15 and he's 30",
        FALLBACK,
        "my colleague is leaving for good at christmas",
        DANGER,
    ),
    (
        "idiom: a knife block",
        "he's got a knife on him at the bus stop",
        INFORM,
        "he's got a knife block for his new flat",
        INFORM,
    ),
    (
        "idiom: shaped like",
        "he's got something shaped like a gun in his bag",
        INFORM,
        "he made a cake shaped like a gun for his brother's birthday",
        DANGER,
    ),
    (
        "idiom: a favourite title",
        "he's planning an attack on the sixth form block tomorrow",
        DANGER,
        "kill la kill is her fave anime",
        DANGER,
    ),
    (
        "idiom: a false alarm",
        "there's a bomb in the library and he says it goes off at 2",
        INFORM,
        "there was a false alarm at the station, a suspicious bag",
        DANGER,
    ),
    (
        "idiom: said as a joke",
        "he says he'll kill her when she gets home",
        DANGER,
        "he says he'll kill her lol because she ate his chips",
        DANGER,
    ),
    (
        "hypothetical: policy",
        "someone is in danger right now",
        INFORM,
        "what counts as a weapon under the school policy",
        DANGER,
    ),
    (
        "harm: shaking a baby",
        "her boyfriend is shaking the baby to make it stop crying",
        DANGER,
        "he was shaking the baby's rattle to make her laugh",
        INFORM,
    ),
    (
        "harm: pictures of cuts",
        "she keeps sending me photos of fresh cuts on her arm",
        DANGER,
        "she sent photos of the hair cuts she did at college",
        INFORM,
    ),
    (
        "harm: taking a life",
        "he has told his friend he is going to take his own life tonight",
        FALLBACK,
        "he's taking his life skills course seriously",
        INFORM,
    ),
    (
        "harm: starving",
        "she says she'll starve herself till they listen to her",
        DANGER,
        "she's starving after PE every week",
        INFORM,
    ),
    (
        "harm: something swallowed",
        "he rang saying he's swallowed a handful of tablets from the cupboard",
        DANGER,
        "he took something from the fruit bowl at break",
        INFORM,
    ),
    (
        "harm: locked out",
        "his dad locked him outside in the rain with no coat hours ago",
        DANGER,
        "he locked himself out of his account again",
        INFORM,
    ),
    (
        "harm: or else",
        "they've texted him to bring the money by six or else",
        DANGER,
        "she can have pasta or else a sandwich",
        INFORM,
    ),
    (
        "harm: paid to carry",
        "a man is paying him to carry bags across town for him tonight",
        DANGER,
        "he helped carry the shopping for his nan",
        INFORM,
    ),
    (
        "harm: in the water",
        "a girl has gone into the canal by the lock and isn't coming out",
        DANGER,
        "she's going into the sea for a charity swim in june",
        INFORM,
    ),
    (
        "harm: given drugs",
        "the older lads keep giving her pills and vodka at the flat",
        DANGER,
        "the nurse is giving her tablets for her asthma",
        INFORM,
    ),
    (
        "happening now: a family member said with the possessive",
        "mums boyfriends hitting her little sister right now",
        FALLBACK,
        "mums boyfriend is hitting the gym every morning",
        DANGER,
    ),
    (
        "idiom: an everyday fear",
        "he is scared his stepdad will hurt him tonight",
        DANGER,
        "he is scared of the dark and sleeps with a lamp on",
        DANGER,
    ),
    (
        "idiom: a groan",
        "she says she's going to kill herself now, she's on the bridge",
        INFORM,
        "ugh shoot me now, another spelling test",
        DANGER,
    ),
    # Kinds read from the sixth set's misses and false alarms (its danger list and its ordinary list), in our
    # own words: an unknown adult meeting a child in secret, harm seen or heard as it happens, a push at a
    # height, errands for dealers; and the ordinary kinds that looked close (a machine, a flat battery, a team
    # losing, a made-up case, a deadline, a chasing game).
    (
        "meeting an unknown adult in secret now",
        "an older guy has asked her to come to his place on saturday and not to tell her parents",
        INFORM,
        "her older sister has asked her to come to the cinema on saturday and not to tell their parents",
        INFORM,
    ),
    (
        "meeting an unknown adult: kept from family, adult's ground",
        "she's sleeping over at some bloke's flat tonight, she won't say who he is",
        INFORM,
        "she's sleeping over at her best friend's house tonight, mum knows",
        INFORM,
    ),
    (
        "meeting an unknown adult: summoned alone",
        "a man off snapchat wants him to come to the car park alone later",
        INFORM,
        "his coach wants him to come to training alone later to practise penalties",
        INFORM,
    ),
    (
        "meeting an unknown adult: fetched while parents are out",
        "someone he chats to online is coming to get him tomorrow while his parents are away",
        FALLBACK,
        "his nan is coming to get him tomorrow while his parents are away",
        INFORM,
    ),
    (
        "met online: travelling with them",
        "she's getting on the coach tomorrow with a man she met online, he bought her ticket",
        INFORM,
        "she's getting on the coach tomorrow with her class for the museum trip",
        INFORM,
    ),
    (
        "missing a number of days, said without 'for'",
        "he's been missing three days and his phone goes straight to voicemail",
        INFORM,
        "his cat has been missing three days and we've put up posters",
        INFORM,
    ),
    (
        "self-harm: starving to death",
        "she says she'll starve herself to death rather than go back there",
        FALLBACK,
        "she says she's starving and can't wait till tea",
        DANGER,
    ),
    (
        "guard: a made-up case, unless denied",
        "this is not a mock scenario, her dad has a gun in the car right now",
        INFORM,
        "in the mock scenario for our team day the dad has a gun in the car",
        DANGER,
    ),
    (
        "guard: playground chasing games",
        "he said he'll get his little brother tonight when mum goes out",
        INFORM,
        "she kept shouting I'm going to get you while they were playing tig in the garden tonight",
        DANGER,
    ),
    (
        "guard: 'hit the' only in its idioms",
        "her stepdad has just hit the baby and is still shouting",
        DANGER,
        "dad hit the roof when he saw the phone bill this morning",
        DANGER,
    ),
    (
        "guard: joking, unless denied",
        "he said he's not joking, he'll stab him after school",
        INFORM,
        "she said she'd murder her brother later, obviously joking",
        DANGER,
    ),
    (
        "guard: a threat over a trifle, to a named relative",
        "he said he'll kill his sister if she tells anyone tonight",
        INFORM,
        "he said he'll kill his sister if she eats his sweets again",
        DANGER,
    ),
    (
        "guard: a deadline",
        "he said he will kill her if she tells her teacher tomorrow",
        INFORM,
        "my boss will kill me if the report isn't done by four",
        DANGER,
    ),
    (
        "change: someone new in a life",
        "she's meeting a 30 year old man now, he's outside in a car",
        INFORM,
        "she's got a boyfriend now",
        DANGER,
    ),
    (
        "happening now: heard or seen as it happens",
        "I can hear her boyfriend hitting her through the wall",
        FALLBACK,
        "I can hear him hitting the drums upstairs",
        INFORM,
    ),
    (
        "happening now: pushed or held over a height",
        "he's pushing his sister over the balcony rail",
        FALLBACK,
        "he pushed his little brother off the sofa during a pillow fight",
        INFORM,
    ),
    (
        "happening now: hanging on at a height",
        "the lad's hanging on to the bridge railing and crying",
        FALLBACK,
        "she's hanging on to the end of the phone queue to get him an appointment",
        INFORM,
    ),
    (
        "happening now: in the water",
        "her little boy is in the canal",
        INFORM,
        "he's in the canal clean up group at scouts",
        INFORM,
    ),
    (
        "exploited: errands for dealers",
        "his cousin's making him do a drop for some dealers tonight",
        INFORM,
        "he does a paper round for the corner shop on saturdays",
        INFORM,
    ),
    (
        "self-harm: done with living",
        "she messaged that she's done with living",
        DANGER,
        "he's finished with life drawing for this term",
        DANGER,
    ),
    (
        "stranger: circling where children are",
        "someone keeps circling the playground in a van",
        DANGER,
        "the ice cream van drives round the estate every evening",
        DANGER,
    ),
    (
        "stranger: calling out to children",
        "a bloke at the fence keeps calling out to the year 8 girls",
        DANGER,
        "the teacher called out to the boys to come in from the field",
        DANGER,
    ),
    (
        "idiom: a machine out to get us",
        "he's trying to kill his mum right now",
        INFORM,
        "the photocopier in the office is trying to kill us all today",
        DANGER,
    ),
    (
        "idiom: a flat battery",
        "she says her dad is going to kill her tonight",
        INFORM,
        "her phone died so she couldn't ring back last night",
        INFORM,
    ),
    (
        "idiom: a team losing",
        "they said he'll get battered after school tonight",
        INFORM,
        "we're watching the match tonight and we'll get hammered",
        DANGER,
    ),
    (
        "idiom: hurt feelings",
        "he hurt her last night and she's scared he'll do it again tonight",
        INFORM,
        "she was hurt that her mate didn't save her a seat today",
        DANGER,
    ),
    (
        "idiom: getting a child to do things",
        "her boyfriend says he'll get her tonight",
        INFORM,
        "mum says it's a battle to get him to eat anything",
        INFORM,
    ),
    (
        "outing: to a parent's or grandparent's",
        "he's taking her out of the country tonight and she doesn't want to go",
        INFORM,
        "she's taking the bus to her nan's on her own this saturday, nan meets her",
        DANGER,
    ),
    (
        "hypothetical: a safety talk",
        "police are outside his house now because he's got a knife",
        INFORM,
        "a police car came in for a road safety assembly today",
        DANGER,
    ),
    (
        "idiom: a knife for food",
        "he's got the bread knife in his bag and says he'll stab his dad tonight",
        INFORM,
        "she used the bread knife to slice the cake for her gran today",
        DANGER,
    ),
    (
        "guard: blocked and reported",
        "a man online keeps messaging her and says he's coming to get her tonight",
        DANGER,
        "someone odd messaged her online once, blocked and reported, nothing since",
        DANGER,
    ),
    (
        "now: midnight said with 'for'",
        "he's been told to be at the car park for midnight with a blade",
        INFORM,
        "she's staying up for midnight on new year's eve",
        INFORM,
    ),
    # Kinds read from the seventh set's misses (session 48), in our own words
    (
        "harm: a cry for help sent now",
        "my tutee has just texted me help, she says her brother's friend is outside her door",
        DANGER,
        "she texted me to say help was needed setting up the bake sale stall",
        DANGER,
    ),
    (
        "harm: someone got into the home",
        "a man has got into the flat and the children are hiding in the bathroom",
        DANGER,
        "a mouse has got into the kitchen cupboard again",
        DANGER,
    ),
    (
        "harm: an order broken",
        "he's broken his bail conditions and turned up at her school gates",
        DANGER,
        "the court set bail conditions for her uncle at the hearing",
        DANGER,
    ),
    (
        "harm: making something that explodes",
        "he's showing his mates the stuff he's got to make something that blows up",
        DANGER,
        "she's baking a cake that looks like it explodes with sprinkles when you cut it",
        DANGER,
    ),
    (
        "harm: researching how to make a bomb",
        "he's been researching how to make a bomb on the library computers all week",
        DANGER,
        "she's researching explosions in stars for her physics homework",
        DANGER,
    ),
    (
        "harm: drunk at the wheel with children",
        "the childminder is drunk and is behind the wheel with three kids",
        DANGER,
        "dad was drunk at the wedding so mum drove them all home",
        DANGER,
    ),
    (
        "something bad: a deed left unnamed, the means gathered",
        "she messaged that she'll do it tonight, she has everything she needs in her room",
        INFORM,
        "she'll do it tonight, she has everything she needs for the sleepover",
        INFORM,
    ),
    (
        "something bad: something big planned, not a celebration",
        "she keeps saying she's going to do something serious at the leavers' do tomorrow",
        INFORM,
        "she wants to do something big for her mum's fortieth tomorrow",
        INFORM,
    ),
    (
        "exploited: told to turn up with a bag",
        "a man messaged him to go to the car park at ten with a bag",
        DANGER,
        "his coach told him to be at the pool at seven with a towel",
        DANGER,
    ),
    (
        "exploited: a child and an adult partner by their ages",
        "she's 14 and he's 31 and she says he's her boyfriend",
        DANGER,
        "she's 14 and he's 15, they're in the same tutor group",
        DANGER,
    ),
    (
        "happening now: heard down the phone",
        "she's rung me and I can hear smashing in the background, her stepdad's back",
        INFORM,
        "I could hear the kids laughing down the phone",
        INFORM,
    ),
    (
        "happening now: things thrown at someone",
        "her mum is throwing plates at her in the kitchen",
        INFORM,
        "they were throwing water balloons at each other at sports day",
        INFORM,
    ),
    (
        "happening now: taken by strangers",
        "a girl from year 9 has just been pulled into a car by a stranger outside the shop",
        INFORM,
        "she was taken to the match by her uncle and cousins",
        INFORM,
    ),
    (
        "happening now: on the railway",
        "she's sitting on the railway tracks and won't move",
        INFORM,
        "her dad works on the railway lines as a signal engineer",
        INFORM,
    ),
    (
        "happening now: over the fence to the railway",
        "the boys are getting over the wall onto the rail tracks",
        INFORM,
        "a fox got through the fence at the railway line",
        INFORM,
    ),
    (
        "happening now: at a height with a last word",
        "she's messaged from the roof of the car park, she says she's done",
        INFORM,
        "at the top of the car park the view is lovely, she's done a drawing of it",
        INFORM,
    ),
    (
        "happening now: a ligature ready",
        "he's stood on a stool with a rope in his bedroom",
        INFORM,
        "he stood on a stool with a duster to reach the shelf",
        INFORM,
    ),
    (
        "happening now: shut in a car with a hose",
        "she's been in the car for ages with the doors locked and a hose from the exhaust",
        INFORM,
        "he's in the garage fixing the hosepipe for the garden",
        INFORM,
    ),
    (
        "happening now: what looks like a weapon",
        "a lad is waving what looks like a knife at the bus stop",
        INFORM,
        "he's got what looks like a rash on his arm",
        INFORM,
    ),
    (
        "a weapon brought into school",
        "she's brought a knife into college, it's in her coat",
        INFORM,
        "she brought a knife and fork into college for her lunch",
        INFORM,
    ),
    (
        "meeting a stranger: someone from a chat",
        "he's going to meet up with some older boys from a chat server he found",
        DANGER,
        "she's made a group chat for the netball team to sort out lifts",
        DANGER,
    ),
    (
        "meeting a stranger: a ride sent for a child",
        "a man from an app has booked her a taxi to his flat",
        DANGER,
        "mum booked a taxi to take her to the dentist",
        DANGER,
    ),
    (
        "meeting a stranger: told to meet him",
        "an older lad online keeps telling her to meet him at the park",
        DANGER,
        "her tutor asked her to meet the class at the library",
        DANGER,
    ),
    (
        "idiom: a killer move",
        "he said the lads are killers and they'll stab him tonight",
        INFORM,
        "he's got a killer serve and wins every tennis match",
        DANGER,
    ),
    (
        "idiom: a hobby planned",
        "he wants to go and stab the boy who took his bike today",
        INFORM,
        "her brother has a penknife from cubs and is hoping to go hiking with the troop",
        INFORM,
    ),
    (
        "idiom: understood, not harmed",
        "they're going to get me after school, they said so",
        INFORM,
        "he says the lads he plays football with get him, nobody else does",
        INFORM,
    ),
    (
        "travel away: sent to fight",
        "his uncle is sending him out to fight next month and he's scared",
        INFORM,
        "his coach is taking him to fight in the ring at the county finals",
        INFORM,
    ),
    (
        "not a what-if: watch what happens",
        "she keeps telling them to wait and see what happens on friday, there's lighter fluid in her locker",
        INFORM,
        "what happens if a pupil brings petrol in for the science lesson tomorrow?",
        INFORM,
    ),
    (
        "guard: only how someone talks",
        "her stepdad says he'll kill her tonight and she believes him",
        INFORM,
        "he said his gran would murder him, but that's just the way he talks",
        DANGER,
    ),
    (
        "guard: over a board game",
        "he's told the boy he'll end him tonight",
        INFORM,
        "she told her brother she'd end him over a board game",
        DANGER,
    ),
    (
        "guard: a threat over a trifle",
        "he's going to murder her for telling the police",
        INFORM,
        "she's going to murder him for wrecking her new trainers",
        DANGER,
    ),
    (
        "guard: a story for coursework",
        "he's being held hostage at his uncle's flat right now",
        INFORM,
        "for her english coursework she's writing a short story in which a pilot is taken hostage",
        DANGER,
    ),
    (
        "guard: a team's tour",
        "she says she'll be gone all weekend and won't say where",
        INFORM,
        "he's off to hockey camp and will be gone all week",
        DANGER,
    ),
    (
        "guard: a drawing of a means",
        "he's drawn a picture of the knife in his locker and says he'll use it on friday",
        INFORM,
        "she's drawn a picture of a knight with a sword for her grandad",
        DANGER,
    ),
    (
        "a friend known only online, meeting now; not when a parent goes too",
        "a so-called friend online is collecting her after school while her carers are working",
        INFORM,
        "he's meeting an online mate at the bowling alley on saturday and his dad is coming with him",
        INFORM,
    ),
]


@pytest.mark.parametrize(("kind", "text", "reading"), [(p[0], p[1], p[2]) for p in PAIRS])
def test_said_this_way_is_danger(kind: str, text: str, reading: tuple[str, float]) -> None:
    assert danger_reason(text, *reading).flags, kind


@pytest.mark.parametrize(("kind", "text", "reading"), [(p[0], p[3], p[4]) for p in PAIRS])
def test_the_ordinary_twin_is_not(kind: str, text: str, reading: tuple[str, float]) -> None:
    assert not danger_reason(text, *reading).flags, kind


def test_every_list_is_used_and_every_item_compiles() -> None:
    lists = load_lists()
    assert set(lists) == KEYS
    for key in KEYS:
        assert more(key).startswith("|")
        re.compile(more(key)[1:])


def test_no_item_names_a_place_religion_ideology_or_community() -> None:
    wording = Wording.load(WORDING_PATH, [])
    assert wording is not None
    raw = yaml.safe_load(LISTS_PATH.read_text(encoding="utf-8"))
    named = [(key, item) for key, items in raw.items() for item in items if wording.names(item)]
    assert not named


@pytest.mark.parametrize(
    "data",
    [[], {"harms": ["knife"]}, {"harm": "knife"}, {"harm": []}, {"harm": ["(unclosed"]}, {"now": [""]}],
)
def test_a_malformed_file_is_refused(data: object) -> None:
    with pytest.raises(DangerListsError):
        parse_lists(data)
