"""A decision that combines pathways (issue #12), through the real ReviewService on a migrated SQLite store:
the pathways and partners as data, what is stored per pathway, what is refused, and what the case document,
PDF and JSON carry."""

from __future__ import annotations

import pytest
from review_helpers import Case
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.errors import ValidationError
from bot.domain.pathways import PATHWAY_BY_KEY, PATHWAY_LIST
from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.review.case_json import to_json
from bot.review.forms import DecisionIn
from bot.review.partners import PARTNERS
from bot.review.pathway_records import PathwayIn
from bot.review.pdf import print_html
from bot.review.services import ReviewService
from bot.store.models import AuditEvent
from bot.store.review_models import Decision, DecisionPathway, Referral

ADDRESS = "192.0.2.9"
HELP = PathwayIn(
    "early_help", "  Family asked;\nschool agrees. ", "Concern and contacts, to early help.", "Ms Khan"
)
PARTNER = PathwayIn(
    "community_partner", "Mentoring fits.", "Name and school, with consent.", "DSL", "example_mentoring"
)
NONE = PathwayIn("no_further_action", "Isolated remark, explained.", "Nothing shared.", "DSL")


def decision(*pathways: PathwayIn) -> DecisionIn:
    return DecisionIn(pathways=pathways, lawful_bases=("art6_public_task",), consent="given")


@pytest.fixture
def review(sessions: sessionmaker[Session], bank: QuestionBank) -> ReviewService:
    return ReviewService(sessions, bank)


def count(sessions: sessionmaker[Session], model: type) -> int:
    with sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_the_pathways_are_those_of_the_domain_reference_each_with_a_description() -> None:
    assert set(PATHWAY_BY_KEY) == {
        "no_further_action",
        "early_help",
        "s17_assessment",
        "s47_strategy",
        "prevent_referral",
        "community_partner",
        "open_case_update",
    }
    assert all(p.label.strip() and p.description.strip() for p in PATHWAY_LIST)
    assert [p.key for p in PATHWAY_LIST if p.needs_partner] == ["community_partner"]
    assert [p.key for p in PATHWAY_LIST if p.alone] == ["no_further_action"]
    assert "Channel" in PATHWAY_BY_KEY["prevent_referral"].description  # reached only from there


def test_the_shipped_partners_are_fictional_examples_and_say_so() -> None:
    assert 2 <= len(PARTNERS) <= 3
    assert all(p.example and "example" in p.name.lower() and p.offer and p.contact for p in PARTNERS)


def test_two_pathways_are_stored_each_with_its_own_words_and_audited(
    review: ReviewService,
    people: dict[str, UserInfo],
    cases: dict[str, Case],
    sessions: sessionmaker[Session],
) -> None:
    case, lead = cases["north-live"], people["north-lead"]
    review.record_decision(lead.id, ADDRESS, case.id, decision(PARTNER, HELP))
    with sessions() as session:
        stored = session.scalars(select(DecisionPathway).order_by(DecisionPathway.position)).all()
        rows = [(r.position, r.pathway, r.rationale, r.shared, r.owner, r.partner) for r in stored]
        [event] = session.scalars(select(AuditEvent).where(AuditEvent.action == "decision.recorded")).all()
        detail = event.detail
    # In the data file's order, whatever order they were posted in; the rationale byte for byte.
    assert rows == [
        (1, "early_help", HELP.rationale, HELP.shared, "Ms Khan", None),
        (2, "community_partner", "Mentoring fits.", PARTNER.shared, "DSL", "example_mentoring"),
    ]
    assert detail["pathways"] == ["early_help", "community_partner"]

    document = review.export_case(lead.id, ADDRESS, case.id, "json")
    [shown] = document.decisions
    assert [p.key for p in shown.pathways] == ["early_help", "community_partner"]
    data = to_json(document)["decisions"][0]["pathways"]
    assert data[1] == {
        "pathway": "community_partner",
        "label": PATHWAY_BY_KEY["community_partner"].label,
        "rationale": "Mentoring fits.",
        "shared": PARTNER.shared,
        "owner": "DSL",
        "partner": "example_mentoring",
        "partner_name": PARTNERS[0].name,
    }
    html = print_html(document)
    assert "Pathway 1 of 2" in html and "Pathway 2 of 2" in html and PARTNERS[0].name in html
    assert "Family asked;\nschool agrees." in html and "Ms Khan" in html


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        (decision(), "pathways", "Select at least one pathway"),
        (decision(NONE, HELP), "pathways", "cannot be combined with another pathway"),
        (decision(PathwayIn("channel_panel", "r", "s", "o")), "pathways", "Select pathways from the list"),
        (
            decision(PathwayIn("community_partner", "r", "s", "o")),
            "pathway-community_partner-partner",
            "partner",
        ),
        (
            decision(PathwayIn("community_partner", "r", "s", "o", "nobody")),
            "pathway-community_partner-partner",
            "",
        ),
        (decision(PathwayIn("early_help", "r", " ", "o")), "pathway-early_help-shared", "what is shared"),
        (
            decision(PathwayIn("early_help", "r", "s", "")),
            "pathway-early_help-owner",
            "named person or a role",
        ),
        (decision(PathwayIn("early_help", "   ", "s", "o")), "pathway-early_help-rationale", "rationale for"),
    ],
)
def test_bad_pathways_are_refused_with_a_message_and_nothing_is_saved(
    review: ReviewService,
    people: dict[str, UserInfo],
    cases: dict[str, Case],
    sessions: sessionmaker[Session],
    form: DecisionIn,
    field: str,
    message: str,
) -> None:
    case, lead = cases["north-live"], people["north-lead"]
    with pytest.raises(ValidationError) as refused:
        review.record_decision(lead.id, ADDRESS, case.id, form)
    assert message in refused.value.fields[field]
    assert count(sessions, Decision) == 0 and count(sessions, DecisionPathway) == 0
    with sessions() as session:
        assert session.scalar(select(Referral.status).where(Referral.assessment_id == case.id)) != "decided"


def test_no_further_action_alone_is_a_decision(
    review: ReviewService,
    people: dict[str, UserInfo],
    cases: dict[str, Case],
    sessions: sessionmaker[Session],
) -> None:
    case, lead = cases["north-live"], people["north-lead"]
    review.record_decision(lead.id, ADDRESS, case.id, decision(NONE))
    assert count(sessions, DecisionPathway) == 1
