"""Issue #18: each need of the whole family ticked gets its own follow-ups (bot.questions.per_choice): who in
the family, what (verbatim, with how it is known), since when (a rough date with its range) and which
service is involved. Walked through the real dialogue planner over the shipped bank, answer by answer."""

from __future__ import annotations

from datetime import date

from bot.dialogue.plans import plan_answer
from bot.domain.positions import AtQuestion
from bot.domain.records import AnswerRecord
from bot.questions import QuestionBank
from tests.dialogue.records import WHEN, answer, record

TODAY = date(2026, 3, 10)
MUM = "Mum drinks most evenings and misses appointments, her sister told me"
BROTHER = "His older brother has an EHCP for autism"
# What the practitioner types at each question the walk reaches, by question id.
TYPED = {
    "other_needs": "Drug or alcohol misuse, Special educational needs, disability or neurodivergence",
    "need__substance_misuse": "A parent or carer",
    "need__substance_misuse__what": MUM,
    "need__substance_misuse__what__source": "Someone else told me",
    "need__substance_misuse__what__source_role": "aunt",
    "need__substance_misuse__when": "last summer",
    "need__substance_misuse__service": "none that I know of",
    "need__send": "A brother or sister",
    "need__send__what": BROTHER,
    "need__send__what__source": "From records or case notes",
    "need__send__when": "since Year 9",
    "need__send__service": "SEND team at the council",
}


def walk(bank: QuestionBank) -> tuple[list[str], dict[str, AnswerRecord]]:
    """Every question asked from other_needs (in the screening) and then from the family section's first
    question to the first one after the needs' follow-ups, with the answers recorded on the way."""
    given: dict[str, AnswerRecord] = {"young_person_age": answer("young_person_age", 15, "15")}
    asked: list[str] = []

    def reply(at: str) -> str:
        asked.append(at)
        plan = plan_answer(bank, record(AtQuestion(at), *given.values()), TYPED[at], today=TODAY)
        draft = plan.record
        assert draft is not None, (at, [said.text for said in plan.say])
        given[at] = AnswerRecord(
            at, 1, draft.wording, draft.text, draft.value, draft.status, draft.fact_date, None, WHEN
        )
        assert isinstance(plan.move_to, AtQuestion), (at, plan.move_to)
        return plan.move_to.question_id

    reply("other_needs")  # the screening goes on; the follow-ups open the family section
    family = bank.section("family_context").questions
    at = next(q.id for q in family if bank.is_visible(q.id, {k: a.value for k, a in given.items()}))
    while at in TYPED:
        at = reply(at)
    asked.append(at)
    return asked, given


def test_two_needs_ticked_are_each_followed_by_who_what_how_since_when_and_service(
    bank: QuestionBank,
) -> None:
    asked, given = walk(bank)
    assert asked == [*TYPED, "carers_aware"]  # every follow-up, in order, then the section goes on
    assert given["other_needs"].value == ["substance_misuse", "send"]
    # Each need its own member, words, date and service: nothing shared between them.
    assert given["need__substance_misuse"].value == ["parent_or_carer"]
    assert given["need__send"].value == ["sibling"]
    assert given["need__substance_misuse__what"].value == MUM
    assert given["need__send__what"].value == BROTHER
    assert given["need__substance_misuse__when"].value == {
        "as_typed": "last summer",
        "earliest": "2025-06-01",
        "latest": "2025-08-31",
    }
    # Fifteen now, so Year 9 began in September 2023 or 2024; "since" runs to today.
    assert given["need__send__when"].value == {
        "as_typed": "since Year 9",
        "earliest": "2023-09-01",
        "latest": "2026-03-10",
    }
    assert given["need__send__service"].value == "SEND team at the council"
    assert given["need__substance_misuse__service"].value == "none that I know of"
    # The wording says which need it asks about.
    assert bank.question("need__send").text.startswith("Special educational needs")


def test_a_need_not_ticked_asks_nothing_and_none_of_these_asks_nothing(bank: QuestionBank) -> None:
    ticked_one = {"other_needs": ["domestic_abuse"]}
    visible = bank.visible_ids(ticked_one)
    assert {q for q in visible if q.startswith("need__")} == {
        "need__domestic_abuse",
        "need__domestic_abuse__what",
        "need__domestic_abuse__when",
        "need__domestic_abuse__service",
    }
    assert not {q for q in bank.visible_ids({"other_needs": ["none"]}) if q.startswith("need__")}
