"""A submitted practice run of "A plan for Friday" made through the store's services, as the action server
makes one, for the debrief tests (issue #13)."""

from __future__ import annotations

from bot.domain.records import AnswerIn, AssessmentRecord, ChatMessage, TurnIn, UserInfo
from bot.questions import QuestionBank
from bot.store.services import Store
from tests.builders import give_answer, report_danger

SCENARIO = "a_plan_for_friday"
# Two facts left out (the new group, the eviction), the others captured with a source and a date.
ANSWERS: tuple[tuple[str, str, object], ...] = (
    ("threats", "Yes", "yes"),
    (
        "threats_detail",
        "Yesterday a student showed me Casey's post: Friday 3pm, the college gates, they'll see.",
        None,
    ),
    ("threats_detail__source", "Someone else told me", "someone_else_told_me"),
    ("threats_detail__source_role", "A student", None),
    ("supports_violence", "Yes", "yes"),
    ("supports_violence_detail", "Since September: people who look down on us get what's coming.", None),
    ("supports_violence_detail__source", "I saw or heard it myself", "seen_or_heard_myself"),
    ("friendship_changes", "No", "no"),
    ("other_needs", "None of these", ["none"]),
    ("other_explanations", "Showing off in front of friends; something at home.", None),
)


def practice_run(
    store: Store,
    bank: QuestionBank,
    trainee: UserInfo,
    *,
    answers: tuple[tuple[str, str, object], ...] = ANSWERS,
    danger: bool = False,
    typed_danger_stood_down: bool = False,
    submit: bool = True,
) -> AssessmentRecord:
    held = store.practitioners.open_assessment(
        trainee.id, "web", bank.version, mode="rehearsal", scenario_id=SCENARIO
    )
    conversation = held.conversation_id
    for qid, text, value in answers:
        question = bank.question(qid)
        give_answer(
            store,
            conversation,
            AnswerIn(
                question_id=qid,
                revision=1,
                wording=question.text,
                text=text,
                value=text if value is None else value,  # type: ignore[arg-type]
                status="answered",
            ),
        )
        store.conversations.append_chat_messages(
            conversation,
            [ChatMessage(direction="out", text=question.text), ChatMessage(direction="in", text=text)],
        )
    if typed_danger_stood_down:  # danger read in typed text, then "no" to "is anyone in danger now?"
        store.assessments.apply_turn(conversation, TurnIn(urgent_message="he has a knife", urgent_typed=True))
        store.assessments.apply_turn(conversation, TurnIn(urgent_check="not_danger"))
    if danger:
        report_danger(store, conversation, "Someone is in danger now")
    record = (
        store.assessments.submit(conversation) if submit else store.assessments.get_assessment(conversation)
    )
    assert record is not None
    return record
