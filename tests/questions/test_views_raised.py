"""Questions about views and ideas only when views or a cause were raised (issue #18): `ideas_involved` and
`response_to_other_views` share one `show_if: {any_of: [...]}` in the real bank; "not sure" raises, a skip
or "no" does not; hidden, they are "not asked", never missing; and a bad `any_of` is refused at file:line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.questions.bank_checks import check_bank
from bot.questions.completeness import completeness
from bot.questions.loader import load_bank
from bot.questions.model import SKIPPED, Condition
from tests.questions.test_evidence_pattern import NO_CONCERN_WALK, walk

VIEWS = ("ideas_involved", "response_to_other_views")
# The answers that raise views or a cause, as the bank lists them (s05_identity_belonging.yaml).
RAISING = {
    "concern_kinds": ["violence_interest"],
    "online_concern": "yes",
    "close_person_encourages_harm": "yes",
    "feels_treated_unfairly": "yes",
    "cause_mentioned": "yes",
}


def test_both_questions_share_one_any_of_on_earlier_answers() -> None:
    bank = load_bank()
    ideas, response = (bank.question(qid) for qid in VIEWS)
    assert ideas.show_if == response.show_if
    (condition,) = ideas.show_if
    assert condition.kind == "any" and condition.question == ""
    assert {alt.question for alt in condition.alternatives} == {*RAISING, "influence_who"}
    assert all(alt.kind == "raised" for alt in condition.alternatives)
    assert check_bank() == []


def test_a_walk_with_no_concerns_asks_neither() -> None:
    asked = walk({})
    assert len(asked) == NO_CONCERN_WALK == 60
    assert not set(VIEWS) & set(asked)
    assert "views_of_others" in asked  # asked of everyone: it presumes nothing


@pytest.mark.parametrize("qid", sorted(RAISING))
def test_each_raising_answer_asks_both_and_so_does_not_sure(qid: str) -> None:
    for value in (RAISING[qid], None):  # None: "not sure"
        asked = walk({qid: value})
        assert set(VIEWS) <= set(asked), (qid, value)
        # in bank order, after what raised them, and response_to_other_views after views_of_others
        assert asked.index(qid) < asked.index("ideas_involved") < asked.index("response_to_other_views")


def test_a_group_influencing_them_raises_views_and_another_influence_does_not() -> None:
    assert set(VIEWS) <= set(walk({"influence": "yes", "influence_who": ["group"]}))
    assert not set(VIEWS) & set(walk({"influence": "yes", "influence_who": ["peer"]}))


def test_a_skipped_cause_question_raises_nothing() -> None:
    asked = walk({"cause_mentioned": None}, skipped={"cause_mentioned"})
    assert not set(VIEWS) & set(asked)
    assert len(asked) == NO_CONCERN_WALK


def test_a_raising_answer_on_a_question_not_asked_raises_nothing() -> None:
    """A stale "group" left from a changed "influence" answer opens nothing: influence_who is not asked."""
    bank = load_bank()
    assert not set(VIEWS) & bank.visible_ids({"influence": "no", "influence_who": ["group"]})


def test_hidden_they_are_not_asked_so_never_missing_skipped_or_not_sure() -> None:
    """Answered while a cause was raised, then the cause answer changed to "no": both are hidden again, and
    the still-missing summary (the lead's review, the PDF, the export and "check your answers" all show
    it) lists neither, although their stored answers are a skip and a "not sure"."""
    bank = load_bank()
    raised = {"cause_mentioned": "yes", "ideas_involved": None, "response_to_other_views": None}
    answers = {**raised, SKIPPED: ["ideas_involved"]}
    before = completeness(bank, answers)
    assert [q.id for q in before.skipped] == ["ideas_involved"]
    assert "response_to_other_views" in [q.id for q in before.not_sure] + [
        g.concern.id for g in before.concerns
    ]
    after = completeness(bank, {**answers, "cause_mentioned": "no"})
    listed = [q.id for q in (*after.skipped, *after.not_sure)] + [g.concern.id for g in after.concerns]
    assert not set(VIEWS) & set(listed)
    for in_progress in (True, False):
        gaps = completeness(bank, {"cause_mentioned": "no"}, in_progress=in_progress)
        assert not {gap.concern.id for gap in (*gaps.concerns, *gaps.not_reached)} & set(VIEWS)


def test_progress_counts_them_as_follow_ups_so_of_n_does_not_move() -> None:
    bank = load_bank()
    raised, quiet = {"cause_mentioned": "yes"}, {"cause_mentioned": "no"}
    assert (
        bank.progress("views_of_others", raised).question_count
        == bank.progress("views_of_others", quiet).question_count
    )
    assert bank.progress("ideas_involved", raised).follow_up


# A two-question bank written into tmp_path: line numbers below are this text's (line 1 is `version`).
BANK = """\
version: "1"
sections:
  - id: noticed
    title: What you noticed
    questions:
      - id: cause_mentioned
        text: Have they talked about something they support?
        type: yes_no_unsure
        why: What they said matters.
      - id: words
        text: What did they say?
        type: free_text
        why: Their words can be checked.
      - id: openness
        text: How do they respond to a different view?
        type: single_choice
        optional: true
        show_if:
          any_of:
            - {question: cause_mentioned, raised: "yes"}
            - {question: words, answered: true}
        choices:
          - value: listens
            label: They listen
          - value: rejects
            label: They reject it
        why: Openness is a strength.
"""


def problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "bank.yaml"
    path.write_text(text, encoding="utf-8")
    return [str(problem) for problem in check_bank(path)]


def test_a_clean_any_of_loads_and_holds_when_one_alternative_does(tmp_path: Path) -> None:
    assert problems(tmp_path, BANK) == []
    bank = load_bank(tmp_path / "bank.yaml")
    assert bank.is_visible("openness", {"cause_mentioned": None})  # "not sure"
    assert bank.is_visible("openness", {"cause_mentioned": "no", "words": "Something."})
    assert not bank.is_visible("openness", {"cause_mentioned": "no", "words": "no"})
    assert bank.question("openness").show_if[0] == Condition(
        "",
        "any",
        alternatives=(Condition("cause_mentioned", "raised", ("yes",)), Condition("words", "answered")),
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            '{question: cause_mentioned, raised: "yes"}',
            '{question: openness, raised: "yes"}',
            "20: sections[0].questions[2].show_if.any_of[0].question: refers to itself: a follow-up must "
            "come after the question it depends on",
        ),
        (
            '{question: cause_mentioned, raised: "yes"}',
            '{question: cause_mentoined, raised: "yes"}',
            "20: sections[0].questions[2].show_if.any_of[0].question: refers to unknown question "
            "'cause_mentoined'; did you mean 'cause_mentioned'?",
        ),
        (
            "{question: words, answered: true}",
            "{question: words, raised: something}",
            "21: sections[0].questions[2].show_if.any_of[1].raised: 'raised' needs a yes_no_unsure or choice "
            "question; 'words' is free_text (use 'answered')",
        ),
        (
            '{question: cause_mentioned, raised: "yes"}',
            "{question: cause_mentioned, raised: maybe}",
            "20: sections[0].questions[2].show_if.any_of[0].raised: 'maybe' is not a choice of "
            "'cause_mentioned' (choices: yes, no)",
        ),
        (
            '{question: cause_mentioned, raised: "yes"}',
            "{linked: true}",
            "20: sections[0].questions[2].show_if.any_of[0]: an alternative of any_of is a condition on one "
            "question: question, and one of equals, includes, answered, raised",
        ),
        (
            "            - {question: words, answered: true}\n",
            "",
            "19: sections[0].questions[2].show_if.any_of: needs at least two conditions (one is a plain "
            "show_if)",
        ),
    ],
)
def test_a_broken_any_of_is_reported_at_its_file_and_line(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    assert old in BANK
    assert problems(tmp_path, BANK.replace(old, new, 1)) == [f"{tmp_path / 'bank.yaml'}:{expected}"]


def test_raised_outside_any_of_is_refused(tmp_path: Path) -> None:
    text = BANK.replace(
        "        why: Their words can be checked.\n",
        "        why: Their words can be checked.\n"
        '        show_if: {question: cause_mentioned, raised: "yes"}\n',
    )
    assert problems(tmp_path, text) == [
        f"{tmp_path / 'bank.yaml'}:14: sections[0].questions[1].show_if.raised: 'raised' is only for the "
        "alternatives of any_of; one condition uses equals, includes or answered (evidence: true adds the "
        "follow-ups a concern needs)"
    ]
