"""How a message is read: answers stay answers, controls need a button or a short phrase."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.dialogue.reading import (
    MAX_CONTROL_WORDS,
    MAX_CONTROL_WORDS_AT_OPTIONS,
    MAX_HELP_WORDS_AT_OPTIONS,
    PAYLOAD_CONTROLS,
    read_message,
)
from bot.domain.limits import MAX_ANSWER_CHARS


@pytest.mark.parametrize(
    ("text", "intent", "confidence"),
    [
        ("his mum said he wants to go back to Syria and stop school", "go_back", 0.95),
        ("his mum said he wants to go back to Syria and stop school", "stop", 0.99),
        ("he stopped going to football", "stop", 0.9),
        ("she skipped PE three times this term", "skip", 0.97),
        ("he asked for help with his homework", "help", 0.8),
    ],
)
def test_a_long_account_is_an_answer_whatever_the_classifier_says(
    text: str, intent: str, confidence: float
) -> None:
    assert read_message(text, intent, confidence).kind == "answer"


@pytest.mark.parametrize(
    ("text", "intent", "control"),
    [
        ("go back", "go_back", "back"),
        ("skip this", "skip", "skip"),
        ("pause", "pause", "pause"),
        ("why are you asking", "help", "help"),
        ("start again", "start_again", "start_again"),
    ],
)
def test_a_short_confident_phrase_is_a_control(text: str, intent: str, control: str) -> None:
    reading = read_message(text, intent, 0.9)
    assert (reading.kind, reading.control) == ("control", control)


def test_an_unsure_classifier_leaves_it_as_an_answer() -> None:
    assert read_message("skip", "skip", 0.4).kind == "answer"


def test_a_choice_of_the_open_question_is_an_answer_even_if_it_looks_like_a_control() -> None:
    assert read_message("Stop", "stop", 0.99, choice_words=frozenset({"stop", "carry on"})).kind == "answer"


@pytest.mark.parametrize("payload", sorted(PAYLOAD_CONTROLS))
def test_our_own_button_payloads_are_controls(payload: str) -> None:
    reading = read_message(payload, None, 1.0)
    assert reading.kind == "control"
    assert reading.control == PAYLOAD_CONTROLS[payload]


@pytest.mark.parametrize(
    "text", ['/inform{"answer": "yes"}', "/submit{}", "/restart", "/nlu_fallback", "/ skip"]
)
def test_any_other_payload_is_refused(text: str) -> None:
    assert read_message(text, "inform", 1.0).kind == "payload_refused"


def test_danger_is_taken_at_any_length() -> None:
    long_report = "he keeps talking about knives and the trouble they cause " * 10
    assert read_message(long_report, "report_danger", 0.7).kind == "danger"
    assert read_message(long_report, "report_danger", 0.3).kind == "answer"
    # An intention to use a weapon is a combination of categories: danger whatever the classifier says.
    threat = "he keeps talking about knives and said he will use one on a lad tomorrow " * 10
    assert read_message(threat, "inform", 0.3).kind == "danger"


@pytest.mark.parametrize(
    "text",
    [
        "she said he'd kill her tonight",
        "he has a knife in his bag right now",
        "he hasn't come home and nobody knows where he is",
        "she's taken a load of tablets",
        "he says he's going to kill himself",
        "someone is in danger",
        "this is an emergency",
        "a child isn't safe right now",
    ],
)
def test_plain_danger_is_danger_whatever_the_classifier_says(text: str) -> None:
    assert read_message(text, "inform", 0.99).kind == "danger"
    assert read_message(text, None, 0.0).kind == "danger"


@pytest.mark.parametrize(
    "text",
    [
        "the exam is going to kill him",
        "they're having a water fight tomorrow",
        "he's got a ticket for the football tomorrow",
        "he said he'd kill for a pizza at lunch",
        "she went missing for a night in october and came back",
        "he's been missing lessons on fridays",
        "he's flying to see his nan tomorrow",
        "no one is in danger right now",
        "nobody is in danger",
        "he could be at risk of exploitation",
    ],
)
def test_harmless_words_with_a_time_are_no_alarm(text: str) -> None:
    for intent, confidence in (("inform", 0.9), ("report_danger", 0.7)):
        assert read_message(text, intent, confidence).kind == "answer"


def test_oversize_and_empty_are_refused_before_anything_else() -> None:
    assert read_message("x" * (MAX_ANSWER_CHARS + 1), "report_danger", 1.0).kind == "too_long"
    assert read_message("x" * MAX_ANSWER_CHARS, "inform", 1.0).kind == "answer"
    assert read_message(" \r\n\t", "inform", 1.0).kind == "empty"


@given(
    st.text(max_size=300),
    st.sampled_from([None, "inform", "go_back", "skip", "stop", "report_danger"]),
    st.floats(0, 1),
)
def test_every_message_gets_exactly_one_reading(text: str, intent: str | None, confidence: float) -> None:
    reading = read_message(text, intent, confidence)
    assert reading.kind in {"answer", "control", "danger", "too_long", "empty", "payload_refused"}
    if reading.kind == "control" and not text.strip().startswith("/"):
        assert len(text.split()) <= MAX_CONTROL_WORDS


@pytest.mark.parametrize(
    "text",
    [
        "She has been late most mornings this term and looks tired in lessons.",
        "He is very bright, likes maths and says he wants to be an engineer.",
    ],
)
def test_an_ordinary_account_is_not_danger_even_if_the_classifier_says_so(text: str) -> None:
    assert read_message(text, "report_danger", 0.84).kind == "answer"


def _danger_training_lines() -> list[str]:
    import yaml

    from bot.settings import REPO_ROOT

    lines = []
    for path in sorted((REPO_ROOT / "data" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if block.get("intent") == "report_danger":
                lines += [x.strip()[2:] for x in block["examples"].splitlines() if x.strip()]
    return lines


def test_no_training_example_of_danger_is_one_the_ordinary_guards_silence() -> None:
    """None is a game, a film, schoolwork, something past, an idiom or a what-if, unless it is harm happening
    now: a line the guards silence teaches the classifier an alarm the bot would never raise, and teaches it
    that the guarded kind of account is danger."""
    from bot.dialogue.danger_categories import combination, ordinary_guard

    guarded = [e for e in _danger_training_lines() if ordinary_guard(e) and not combination(e)]
    assert not guarded, guarded


def test_danger_is_taught_by_meaning_not_only_by_the_cue_words() -> None:
    """Some danger lines name no cue word at all ("he says he is going to make them pay when they come out
    at half three"): forcing every line to name one taught the classifier the cue lists, not what a threat
    means. A typed message still needs a cue to be flagged (bot.dialogue.reading): these lines shape how sure
    the classifier is of danger said in other words, not what flags."""
    from bot.dialogue.danger_cues import names_any_cue

    assert sum(not names_any_cue(e) for e in _danger_training_lines()) >= 30


OPTIONS = frozenset({"yes", "no", "not sure"})


@pytest.mark.parametrize(
    ("text", "intent", "control"),
    [
        ("why are you asking me this?", "help", "help"),
        ("can I come back to this later please", "pause", "pause"),
        ("I want to change what I said before", "go_back", "back"),
    ],
)
def test_a_longer_confident_control_is_a_control_where_the_question_has_options(
    text: str, intent: str, control: str
) -> None:
    reading = read_message(text, intent, 0.9, choice_words=OPTIONS)
    assert (reading.kind, reading.control) == ("control", control)


def test_where_anything_may_be_typed_a_longer_message_stays_an_answer() -> None:
    # Free text, dates and ages have no choice words; a danger follow-up's words are its own buttons.
    from bot.dialogue.danger_followups import load_followups

    followups = load_followups()
    at_followup = frozenset({followups.skip_label.lower(), followups.leave_label.lower()})
    for words in (frozenset(), at_followup):
        assert read_message("why are you asking me this?", "help", 0.99, choice_words=words).kind == "answer"
    # With options too, a longer message about someone is an account, not a control.
    assert read_message("he stopped going to football", "stop", 0.99, choice_words=OPTIONS).kind == "answer"


@pytest.mark.parametrize(
    "text",
    ["he's moved schools, cancel this", "stop - she isn't ours any more", "they've left, please stop it"],
)
def test_with_options_a_command_in_its_own_clause_is_a_control_even_about_someone(text: str) -> None:
    reading = read_message(text, "stop", 0.9, choice_words=OPTIONS)
    assert (reading.kind, reading.control) == ("control", "stop")


@pytest.mark.parametrize(
    "text",
    [
        "he stopped going to cadets and quit the band",
        "they told him to stop and he ran",
        "she said stop it to him",
    ],
)
def test_with_options_an_account_naming_a_command_is_no_control(text: str) -> None:
    assert read_message(text, "stop", 0.9, choice_words=OPTIONS).kind == "answer"
    # Free text stays sacred: even a command in its own clause is no control there.
    assert read_message("he's moved schools, cancel this", "stop", 0.9, free_text=True).kind == "answer"


@pytest.mark.parametrize(
    "text",
    ["stop this right now", "cancel asap please", "abort now", "just end this now",
     "close the chat now please", "shoot, stop now", "i'm ending this now", "urgent - stop"],
)  # fmt: skip
def test_a_control_said_in_a_hurry_is_no_danger_even_if_the_classifier_says_so(text: str) -> None:
    assert read_message(text, "report_danger", 0.95, choice_words=OPTIONS).kind != "danger"


@pytest.mark.parametrize(
    "text",
    ["leave that one and carry on", "nothing for me on this one, next", "skippy skip", "no answer, move on"],
)
def test_a_typed_skip_in_more_words_is_still_a_skip(text: str) -> None:
    reading = read_message(text, "skip", 0.9, choice_words=OPTIONS)
    assert (reading.kind, reading.control) == ("control", "skip")


def test_even_with_options_a_typed_skip_must_say_nothing_but_skip() -> None:
    assert read_message("skip, he left in March", "skip", 0.95, choice_words=OPTIONS).kind == "answer"


def test_past_the_options_limit_it_is_an_answer() -> None:
    long_text = "stop " * (MAX_CONTROL_WORDS_AT_OPTIONS + 1)
    assert read_message(long_text, "stop", 0.99, choice_words=OPTIONS).kind == "answer"


def test_a_question_about_the_question_may_run_longer_at_options_but_not_past_its_limit() -> None:
    # help costs nothing there (the bot says why it asks and asks again), so it may name someone and run on
    longer = "why " * (MAX_CONTROL_WORDS_AT_OPTIONS + 1)
    assert read_message(longer, "help", 0.99, choice_words=OPTIONS).control == "help"
    too_long = "why " * (MAX_HELP_WORDS_AT_OPTIONS + 1)
    assert read_message(too_long, "help", 0.99, choice_words=OPTIONS).kind == "answer"
    # and without a help cue, the usual limits hold
    assert read_message(
        "she has been going to the club with him", "help", 0.9, choice_words=OPTIONS
    ).kind == ("answer")


def test_a_harm_in_a_game_or_film_is_left_to_the_classifier() -> None:
    # Not plain danger: the classifier decides ("he said on the game chat he'll stab someone tomorrow" is).
    assert read_message("he got killed loads in his game tonight", "inform", 0.9).kind == "answer"
    assert (
        read_message("we watched a film where they shoot people, he loved it today", None, 0).kind == "answer"
    )


def test_a_harm_in_a_game_needs_the_classifier_sure() -> None:
    text = "in the mission you have to blow up the enemy base tonight"
    assert read_message(text, "report_danger", 0.7).kind == "answer"
    assert read_message(
        "he said on the game chat he'll stab someone tomorrow", "report_danger", 0.9
    ).kind == ("danger")


@pytest.mark.parametrize(
    "text", ["nah, skip", "nope, pass", "naw next one", "drop this one", "omit it please"]
)
def test_a_casual_no_or_an_omitting_verb_with_skip_is_a_skip(text: str) -> None:
    reading = read_message(text, "skip", 0.9, choice_words=OPTIONS)
    assert (reading.kind, reading.control) == ("control", "skip")


@pytest.mark.parametrize("text", ["nah, he dropped out", "nope, she left"])
def test_a_casual_no_with_an_account_is_no_skip(text: str) -> None:
    assert read_message(text, "skip", 0.9, choice_words=OPTIONS).kind == "answer"


@pytest.mark.parametrize(
    "text", ["danger!! be quick", "logging a danger", "alert - danger", "danger", "a student may be harmed"]
)
def test_danger_as_a_bare_word_with_urgency_or_a_report_verb_is_danger(text: str) -> None:
    assert read_message(text, "deny", 0.82, choice_words=OPTIONS).kind == "danger"


@pytest.mark.parametrize("text", ["the danger of scams", "no danger", "stranger danger assembly"])
def test_danger_as_a_word_without_urgency_is_no_alarm(text: str) -> None:
    assert read_message(text, "inform", 0.9, choice_words=OPTIONS).kind != "danger"


def test_a_caller_that_knows_the_question_type_sets_the_limit() -> None:
    # A date or an age question has no answer words; text it cannot read would be refused anyway.
    assert read_message("why are you asking me this?", "help", 0.95, free_text=False).kind == "control"
    assert read_message(
        "why are you asking me this?", "help", 0.95, choice_words=OPTIONS, free_text=True
    ).kind == ("answer")
