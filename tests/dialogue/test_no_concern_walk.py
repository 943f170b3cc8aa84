"""Issue #18, "Must show": a path with no concerns stays within 10% of the 62 questions it was asked before
the evidence pattern. Walked through the dialogue's own functions (tests/dialogue/no_concern_walk.py), so what
is counted is what the practitioner is asked and sends, including the choice to carry on after screening;
no engine and no timings."""

from __future__ import annotations

from bot.questions.loader import load_bank
from tests.dialogue.no_concern_walk import ISSUE_WALK, TODAY_WALK, walk_with_no_concerns

WITHIN = 0.10


def test_a_path_with_no_concerns_asks_within_ten_percent_of_62_questions() -> None:
    bank = load_bank()
    sent = walk_with_no_concerns(bank)
    asked = [where for where, _ in sent if where in bank]
    assert len(sent) - len(asked) == 1  # the one choice after the screening part, which is no question
    assert len(asked) == TODAY_WALK  # 62 -> 60: nothing raised views, so neither views question is asked
    assert not {"ideas_involved", "response_to_other_views"} & set(asked)
    assert abs(len(asked) - ISSUE_WALK) <= ISSUE_WALK * WITHIN, (
        f"turns for a path with no concerns: {len(asked)} ({ISSUE_WALK} at the issue, "
        f"{(len(asked) - ISSUE_WALK) / ISSUE_WALK:+.0%})"
    )


def test_a_path_with_no_concerns_opens_no_evidence_follow_up() -> None:
    """ "No" to every concern question opens none of its what, when or how-known questions."""
    bank = load_bank()
    asked = [where for where, _ in walk_with_no_concerns(bank) if where in bank]
    opened = [qid for qid in asked if bank.question(qid).evidence_of is not None]
    assert opened == []
    assert "weapons_or_materials" in asked and "threats" in asked  # asked, and answered "no"


VIEWS = {"ideas_involved", "response_to_other_views"}


def test_a_walk_raising_views_asks_both_questions_about_them() -> None:
    """Through the dialogue's own reading of what is typed: "Not sure" whether they talked about a cause, or
    an interest in violence ticked at screening, raises views; each asks both, in bank order."""
    bank = load_bank()
    for typed in (
        {"cause_mentioned": "Not sure"},
        {"concern_kinds": "An interest in violence, weapons or attacks"},
    ):
        asked = [where for where, _ in walk_with_no_concerns(bank, typed) if where in bank]
        assert set(asked) >= VIEWS, typed
        assert asked.index("ideas_involved") < asked.index("response_to_other_views")
