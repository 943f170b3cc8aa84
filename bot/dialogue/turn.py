"""A Plan's changes to the record as the store's one turn input: the only place a plan becomes a TurnIn.

The action server sends `TurnIn.to_json()` of what this returns, and the store applies it in one call
(AssessmentService.apply_turn), so the plan, the wire body and the service input cannot drift apart.
"""

from __future__ import annotations

from bot.dialogue.plan import Plan
from bot.domain.records import AnswerIn, TurnIn, UrgentDetailIn


def turn_in(plan: Plan, *, danger_reports: int | None = None) -> TurnIn | None:
    """The store's turn for `plan`; None when the plan changes nothing (help, a refusal, "which did you
    mean?"), so that nothing is sent at all. A danger report carries `danger_reports`, how many the record the
    plan was made from held, so that the store raises it once however often the turn is sent (a retry, the
    chat's own check after it: AssessmentService.report_danger)."""
    draft, detail = plan.record, plan.urgent_detail
    turn = TurnIn(
        answer=None
        if draft is None
        else AnswerIn(
            question_id=draft.question_id,
            revision=draft.revision,
            wording=draft.wording,
            text=draft.text,
            value=draft.value,
            status=draft.status,
            fact_date=draft.fact_date,
        ),
        start_again=plan.start_again,
        move=plan.move_to is not None,
        move_to=None if plan.move_to is None else plan.move_to.stored(),
        urgent_message=plan.urgent_message,
        urgent_known=danger_reports if plan.urgent_message is not None else None,
        urgent_typed=plan.urgent_message is not None and plan.urgent_typed,
        urgent_check=plan.urgent_check,
        urgent_detail=None
        if detail is None
        else UrgentDetailIn(question_id=detail.question_id, wording=detail.wording, text=detail.text),
        submit=plan.submit,
        submit_stage=plan.submit_stage.value if plan.submit else "full",
    )
    return None if turn == TurnIn() else turn
