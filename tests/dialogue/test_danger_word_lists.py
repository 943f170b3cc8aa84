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
