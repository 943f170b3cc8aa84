"""Suggested next steps: transparent rules over the shipped bank, reasons quoted, never a score."""

from __future__ import annotations

from bot.dialogue.next_step import describe, load_steps, suggest_next_steps
from bot.questions import load_bank
from tests.dialogue.records import answer, record


def test_every_rule_names_a_real_question_and_choice() -> None:
    bank = load_bank()
    for step in load_steps():
        for rule in step.when_any:
            if rule.question is None:
                assert rule.always or rule.flag == "urgent", step.id
                continue
            assert rule.question in bank, (step.id, rule.question)
            values = {c.value for c in bank.question(rule.question).choices}
            assert set(rule.equals) | set(rule.includes) <= values, (step.id, rule.question)


def test_quiet_answers_suggest_only_the_lead_review() -> None:
    quiet = record(None, answer("immediate_danger", "no", "No"), urgent=False)
    steps = suggest_next_steps(load_bank(), quiet)
    assert [s.step_id for s in steps] == ["lead_review"]


def test_each_reason_quotes_the_practitioners_answer() -> None:
    flagged = record(
        None,
        answer("threats", "yes", "Yes"),
        answer("other_needs", ["criminal_exploitation", "send"], "criminal exploitation and SEN"),
        urgent=True,
    )
    steps = {s.step_id: s for s in suggest_next_steps(load_bank(), flagged)}
    assert set(steps) == {"discuss_now", "childrens_front_door", "lead_review"}
    assert any("'Yes'" in reason for reason in steps["discuss_now"].reasons)
    assert any("immediate danger" in reason for reason in steps["discuss_now"].reasons)
    # A chosen option is quoted by its label, however it was typed.
    labels = "'Criminal exploitation or gangs, Special educational needs, disability or neurodivergence'"
    assert any(labels in r for r in steps["childrens_front_door"].reasons)
    text = describe(list(steps.values())).lower()
    for banned in ("score", "risk level", "radicalised", "extremist", "high risk", "low risk"):
        assert banned not in text
