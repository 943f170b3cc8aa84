"""Issue #18: a `per_choice` template in the bank is asked once for each choice ticked, and a template that
cannot be expanded is refused with its file:line (the loader's problems are the bank check's first)."""

from __future__ import annotations

import pytest

from bot.questions import bank_from_text
from bot.questions.model import BankError

NEEDS = """
  - id: needs
    text: Any of these?
    type: multiple_choice
    why: w
    choices:
      - {value: money, label: Money worries}
      - {value: health, label: Health needs}
      - {value: none, label: None of these}
"""
TEMPLATE = """
  - id: need
    per_choice: {target}
    text: "{text}"
    type: multiple_choice
    why: w
    choices:
      - {{value: parent, label: A parent}}
      - {{value: sibling, label: A brother or sister}}
"""


def bank_text(*questions: str) -> str:
    body = "".join(questions)
    return f"version: '1'\nsections:\n- id: s\n  title: S\n  questions:{body}"


def test_each_choice_but_none_gets_who_what_since_and_service() -> None:
    bank = bank_from_text(bank_text(NEEDS, TEMPLATE.format(target="needs", text="{choice}: who?")))
    ids = [q.id for q in bank.questions]
    assert ids == [
        "needs",
        "need__money",
        "need__money__what",
        "need__money__when",
        "need__money__service",
        "need__health",
        "need__health__what",
        "need__health__when",
        "need__health__service",
    ]
    assert bank.question("need__health").text == "Health needs: who?"
    assert bank.visible_ids({"needs": ["health"]}) == {"needs", *ids[5:]}


def test_a_template_naming_a_later_question_or_without_its_placeholder_is_refused_with_its_line() -> None:
    later = TEMPLATE.format(target="needs", text="{choice}: who?")
    unnamed = TEMPLATE.format(target="needs", text="who?").replace("id: need", "id: other")
    text = bank_text(later, NEEDS, unnamed)
    with pytest.raises(BankError) as raised:
        bank_from_text(text, filename="bank.yaml")
    messages = [str(problem) for problem in raised.value.problems]
    assert messages == [
        "bank.yaml:6: sections[0].questions[0].per_choice: 'needs' must name an earlier question",
        "bank.yaml:24: sections[0].questions[2].per_choice: the text must say which choice it asks about: "
        "write {choice} where its label goes",
    ]
