"""One turn contract: a Plan becomes a TurnIn in one place (bot.dialogue.turn), the client sends its JSON,
and the route parses that JSON back into the very same TurnIn (openapi.yaml is checked against TurnIn in
test_openapi.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bot.api.body import parse
from bot.dialogue.plan import AnswerDraft, Plan, Say, UrgentDetail
from bot.dialogue.turn import turn_in
from bot.domain.positions import AtQuestion, AtReview, FollowingUpDanger
from bot.domain.records import TurnIn
from bot.domain.stages import SubmittedStage

DRAFT = AnswerDraft(
    question_id="q1",
    revision=2,
    wording="When did it happen?",
    text="  last Tuesday, “twice” 😠\r\n",
    value="2026-02-24",
    status="answered",
    fact_date=date(2026, 2, 24),
)

PLANS: dict[str, tuple[Plan, dict[str, Any]]] = {
    "answer and move": (
        Plan(record=DRAFT, move_to=AtQuestion("q2")),
        {
            "answer": {
                "question_id": "q1",
                "revision": 2,
                "wording": DRAFT.wording,
                "text": DRAFT.text,
                "value": "2026-02-24",
                "status": "answered",
                "fact_date": "2026-02-24",
            },
            "move_to": "q2",
        },
    ),
    "typed danger report": (
        Plan(urgent_message="he has a knife", urgent_typed=True, move_to=FollowingUpDanger("now", None)),
        {"urgent_message": "he has a knife", "urgent_typed": True, "move_to": "__danger__.now"},
    ),
    "danger check and detail": (
        Plan(urgent_check="not_danger", urgent_detail=UrgentDetail("where", "Where are they?", "at school")),
        {
            "urgent_check": "not_danger",
            "urgent_detail": {"question_id": "where", "wording": "Where are they?", "text": "at school"},
        },
    ),
    "request for support": (
        Plan(submit=True, submit_stage=SubmittedStage.SCREENING, move_to=AtReview(SubmittedStage.SCREENING)),
        {"submit": True, "submit_stage": "screening", "move_to": AtReview(SubmittedStage.SCREENING).stored()},
    ),
    "full submission": (Plan(submit=True), {"submit": True}),
    "start again": (Plan(start_again=True), {"start_again": True}),
}


@pytest.mark.parametrize("name", sorted(PLANS))
def test_a_plan_is_sent_as_the_turn_the_route_parses_back(name: str) -> None:
    plan, body = PLANS[name]
    turn = turn_in(plan)
    assert turn is not None
    assert turn.to_json() == body
    # Exactly as bot/api/routes.py parses the body it receives.
    assert parse(TurnIn, body, move="move_to" in body) == turn


def test_a_plan_that_changes_nothing_sends_no_turn() -> None:
    assert turn_in(Plan(say=(Say(text="Here is why we ask"),), wait_for_reply=True, misfit=True)) is None


def test_a_turn_with_nothing_to_change_is_an_empty_body_and_a_move_to_the_start_is_not() -> None:
    assert TurnIn().to_json() == {}
    assert TurnIn(move=True).to_json() == {"move_to": None}
    assert parse(TurnIn, {"move_to": None}, move=True) == TurnIn(move=True)
