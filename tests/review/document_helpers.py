"""A case to send documents from (issue #12): a submitted assessment whose concern is answered in the
practitioner's words with how it is known and when, decided with a Prevent referral and community partner
support, through the real store and review services."""

from __future__ import annotations

from datetime import date

from review_helpers import Case
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import AnswerIn, UserInfo
from bot.questions import QuestionBank
from bot.review.forms import DecisionIn
from bot.review.pathway_records import PathwayIn
from bot.review.services import ReviewService
from bot.store.review_models import DecisionPathway
from bot.store.services import Store
from tests.builders import give_answer
from tests.pdf_text import pdftotext as pdftotext  # the document tests read their PDFs with it from here

# Leading spaces, a blank line and characters HTML must escape: the documents carry them exactly as typed.
CONCERN = '  He said "they\'ll all see" & showed\n\na video of a knife attack to younger pupils. '
HOW_KNOWN = "Told by a teaching assistant who heard it"
NOTICED_ON = date(2026, 11, 20)
PROTECTIVE = "His grandmother, whom he trusts and sees every weekend."
PREVENT = PathwayIn("prevent_referral", "Police screening is needed.", "The referral form.", "DSL")
PARTNER = PathwayIn(
    "community_partner",
    "Mentoring fits what he says he wants.",
    "Concern and consent.",
    "DSL",
    "example_mentoring",
)


def documents_case(store: Store, bank: QuestionBank, practitioner: UserInfo, *, mode: str = "live") -> Case:
    conversation = store.conversations.open_conversation(practitioner.id, "web")
    store.assessments.start_or_resume(conversation, bank.version, mode)
    for qid, text, source, when in (
        ("concern_summary", CONCERN, HOW_KNOWN, NOTICED_ON),
        ("family_strengths", PROTECTIVE, None, None),
    ):
        give_answer(
            store,
            conversation,
            AnswerIn(
                question_id=qid,
                revision=1,
                wording=bank.question(qid).text,
                text=text,
                value=text,
                status="answered",
                source=source,
                fact_date=when,
            ),
        )
    record = store.assessments.submit(conversation)
    assert record is not None
    return Case(record.id, record.reference, record.conversation_id)


def decide(
    review: ReviewService, sessions: sessionmaker[Session], lead: UserInfo, case: Case
) -> dict[str, int]:
    """Record a Prevent + community partner decision; the decision_pathways ids by pathway key."""
    form = DecisionIn(pathways=(PREVENT, PARTNER), lawful_bases=("art6_public_task",), consent="given")
    review.record_decision(lead.id, "192.0.2.1", case.id, form)
    with sessions() as session:
        rows = session.scalars(select(DecisionPathway).order_by(DecisionPathway.id))
        return {row.pathway: row.id for row in rows}
