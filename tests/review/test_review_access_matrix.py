"""The authorisation matrix: every route of the app x every role x own team / other team.

Expectations are written here, per access rule, independently of bot.web.access: a route whose rule has no
expectation below, or that has no rule at all, fails the test, so a new route cannot arrive unexamined.
VAF tagging routes, "Record what you did" and "Stand down the urgent flag" on an urgent case admit reviewers
at the door but are for leads only: a trainer reaching one for a case they can see is refused (403) by the
review service, and a case of another team is "not found" as always.

A second matrix covers an urgent case its practitioner has not submitted yet, which only the team's leads
may open (and on which decisions, tags and status changes are refused as "not yet": 409), an id that does
not exist, and every form posted without its token.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qs, urlsplit

import pytest
from aiohttp import ClientResponse, web
from aiohttp.test_utils import TestClient
from review_helpers import Case, csrf_from, make_case, page, tagged_answer
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.review.document_records import DocumentIn
from bot.review.forms import DecisionIn, TagIn
from bot.review.pathway_records import PathwayIn
from bot.store.document_models import IdentifyingDetails
from bot.store.outcome_models import CaseReview, SharingEntry
from bot.store.retention_models import LegalHold
from bot.store.review_models import DecisionPathway, Referral
from bot.store.services import Store
from bot.store.urgent_models import UrgentResponse, UrgentStandDown
from bot.web.access import ACCESS_RULES, Access
from bot.web.review import REVIEW

AsUser = Callable[[str | None], Awaitable[TestClient]]
ROLES = ("practitioner", "lead", "trainer", "coordinator", "admin")
CASE_READER_ROLES = {"practitioner", "lead", "trainer"}
CASE_REVIEWER_ROLES = {"lead", "trainer"}
# Figures, never cases (issue #16): a lead sees their team's, a coordinator every team's.
REPORT_READER_ROLES = {"lead", "coordinator"}
# Issue #26: only practitioners and trainers raise concerns; of them only trainers start practice runs.
CONCERN_RAISER_ROLES = {"practitioner", "trainer"}
# Issue #13: a practice run's debrief, for the trainee and the trainers of their team (Action.READ_DEBRIEFS).
DEBRIEF_READER_ROLES = {"practitioner", "trainer"}
# Issue #13: the trainer pages over the team's practice runs (Action.OVERSEE_PRACTICE): trainers alone.
PRACTICE_OVERSEER_ROLES = {"trainer"}
# Issue #32: the account pages (Action.MANAGE_ACCOUNTS): admins alone, over every team's accounts.
ACCOUNT_ADMIN_ROLES = {"admin"}
# The change an account route's address names in the matrix (its form, check and confirm: with no reason
# given, each is reached and refused as bad input, so nothing changes).
ACCOUNT_CHANGE = "deactivate"
# Issue #13: a feedback note on a practice run's debrief: through the debrief's door, then trainers alone.
FEEDBACK_PATH = "/practice/runs/{reference}/feedback"
# Issue #13: moving a practice run about a real child to live (Action.MOVE_PRACTICE_TO_LIVE): the trainee's
# own run, or a trainer's team's; the store decides which run, so past the door the run "x" is not found.
PRACTICE_MOVER_ROLES = {"practitioner", "trainer"}
# Issue #31: a legal hold (Action.HOLD_CASES): a lead of the case's team, or an admin of any team (who sees
# the hold page, never the case); another team's case is "not found" to a lead, the refusal audited.
CASE_HOLDER_ROLES = {"lead", "admin"}
DOCUMENT_ROUTES = (
    "/cases/{case_id}/documents",
    "/cases/{case_id}/documents/{document_id}.pdf",
    "/cases/{case_id}/documents/{document_id}.json",
)
# Issue #12: "Change identifying details" on its own, the same leads as the documents (Action.SEND_DOCUMENTS).
DETAILS_ROUTE = "/cases/{case_id}/details"
LEAD_ONLY_ROUTES = {
    "/cases/{case_id}/tags",
    "/cases/{case_id}/tags/{tag_id}/remove",
    "/cases/{case_id}/urgent-responses",
    "/cases/{case_id}/urgent-stand-down",
    # Issue #12: identifying details and the documents a lead sends (Action.SEND_DOCUMENTS).
    *DOCUMENT_ROUTES,
    DETAILS_ROUTE,
    # Issue #12: the case-record link and the assignment (Action.LINK_CASE_RECORDS, Action.ASSIGN_CASES).
    "/cases/{case_id}/case-record",
    "/cases/{case_id}/case-record/remove",
    "/cases/{case_id}/assignment",
}
# Changes that wait for submission: refused as "not yet" (409) on an urgent case still in progress.
SUBMITTED_ONLY_ROUTES = {
    "/cases/{case_id}/decision",
    "/cases/{case_id}/close",
    "/cases/{case_id}/reopen",
    # Issue #12: only a submitted Request for Support is sent back for the full assessment.
    "/cases/{case_id}/ask-full",
    "/cases/{case_id}/tags",
    "/cases/{case_id}/tags/{tag_id}/remove",
    # Issue #12: what happened next (information shared, an outcome, a review date).
    "/cases/{case_id}/sharing",
    "/cases/{case_id}/outcomes",
    "/cases/{case_id}/reviews",
    *DOCUMENT_ROUTES,
    DETAILS_ROUTE,
    # Issue #12: an urgent case still being written is no referral yet, so nothing to link or assign.
    "/cases/{case_id}/case-record",
    "/cases/{case_id}/case-record/remove",
    "/cases/{case_id}/assignment",
}
NEXT_ROUTES = ("/cases/{case_id}/sharing", "/cases/{case_id}/reviews")
# A complete share and a review date (issue #12): what passes every check, so the rule alone decides.
NEXT_FORMS = {
    "/cases/{case_id}/sharing": {
        "shared_what": "The referral form.",
        "recipient": "Police Prevent team",
        "shared_on": "1/1/2026",
        "method": "secure_email",
        "lawful_basis": "art6_public_task",
    },
    "/cases/{case_id}/reviews": {"review_on": "1/1/2099"},
}
# Issue #32: the second factor's sign-in pages are open at the door, but only a session waiting after a right
# password reaches them (tests/web/test_second_factor_pages.py); a signed-in user or a stranger is sent to
# sign in.
SECOND_FACTOR_SIGN_IN_ROUTES = {"/sign-in/code", "/sign-in/set-up"}
# Issue #35: readiness answers 503 naming the parts that did not answer, and no engine runs here; that is its
# answer, not a crash (a 500 from it still fails the matrix).
NOT_READY_ROUTES = {"/readyz"}
# The words of the chat's own page when the engine cannot be reached (bot.chat.messages), a 503 by design.
ENGINE_DOWN_WORDS = "The assistant is not available right now"
UNKNOWN_ID = 999999
DECISION_PATH = "/cases/{case_id}/decision"
# A complete decision that combines two pathways (issue #12), one with a partner from the directory.
COMBINED_DECISION = {
    "pathways": ["early_help", "community_partner"],
    "pathway-early_help-rationale": "Family asked for help.",
    "pathway-early_help-shared": "The concern, to the early help team.",
    "pathway-early_help-owner": "Early help coordinator",
    "pathway-community_partner-rationale": "Mentoring fits what he said he wants.",
    "pathway-community_partner-shared": "Name and school, with the family's consent.",
    "pathway-community_partner-owner": "Designated safeguarding lead",
    "pathway-community_partner-partner": "example_mentoring",
    "lawful_bases": "art6_public_task",
    "consent": "given",
}
# The case each role may open on its own team, and the like case on the other team.
OWN_CASE = {
    "practitioner": "north-live",
    "lead": "north-live",
    "trainer": "north-rehearsal",
    "coordinator": "north-live",
    "admin": "north-live",
}
OTHER_CASE = {
    "practitioner": "south-live",
    "lead": "south-live",
    "trainer": "south-rehearsal",
    "coordinator": "south-live",
    "admin": "south-live",
}


def no_crash(status: int, body: str, role: str | None, method: str, path: str, scope: str = "") -> None:
    """A 5xx is a page that crashed, never an access outcome: it fails the matrix, naming the route and role
    (a crash is not "reached", so a route cannot pass the matrix by breaking). Two 503s are answers by design:
    readiness's "not ready", and the chat's "the assistant is not available" page (no engine runs here)."""
    if status == 503 and (path in NOT_READY_ROUTES or ENGINE_DOWN_WORDS in body):
        return
    where = f" ({scope})" if scope else ""
    assert status < 500, f"{method} {path}{where} crashed with {status} for {role or 'no one signed in'}"


# The form-token check's refusal page (bot/web/templates/csrf_failed.html): a post in the matrices must pass
# that check, so that its 403 is the access rule's, never a stale token's.
TOKEN_REFUSED = "This form could not be sent"


async def session_token(client: TestClient, role: str | None) -> str:
    """The session's form token, read once per sign-in: it lasts as long as the session (bot.web.sessions),
    and the matrices check that no post was refused for it, so a route that changed it would fail there."""
    return csrf_from(await page(client, "/sign-in" if role is None else "/chat"))


async def body_of(response: ClientResponse) -> str:
    """Enough of the answer for no_crash to tell a designed 503 page from a crash (a PDF is no text)."""
    return (await response.read()).decode("utf-8", errors="replace")


def outcome(response_status: int, location: str | None) -> str:
    # Sent to sign in (for want of a session, or after it timed out), with or without the address to come back
    # to (bot.web.landing); signing out's own redirect (reason=signed-out) is that route reached.
    sent = urlsplit(location or "")
    reason = parse_qs(sent.query).get("reason")
    if response_status == 303 and sent.path == "/sign-in" and reason in (None, ["idle"]):
        return "sign-in"
    if response_status == 403:
        return "forbidden"
    if response_status == 404:
        return "not-found"
    if response_status == 409:
        return "not-yet"
    if response_status >= 500 and response_status != 503:
        return "crashed"  # never expected: no_crash names the route and role first
    # A 503 here has passed no_crash: readiness's "not ready" or the engine-down page, the route reached.
    return "reached"


def expected(rule: Access, role: str | None, has_case: bool, scope: str, path: str) -> set[str]:
    if path in SECOND_FACTOR_SIGN_IN_ROUTES:
        assert rule is Access.PUBLIC
        return {"sign-in"}
    if rule is Access.PUBLIC or rule is Access.API_TOKEN:
        # Their handlers answer for themselves (the API's 401/404/422; an unconfigured endpoint's 404), but
        # never with the sign-in page or a role refusal.
        return {"reached", "not-found"}
    if role is None:
        return {"sign-in"}
    if rule is Access.OWN_SESSION:
        return {"reached"}  # signing out (its redirect carries reason=signed-out, so it is not "sign-in")
    if rule is Access.SIGNED_IN:
        # A page of one of the practitioner's own assessments (/chat/{reference}): another's is not found.
        return {"reached", "not-found"} if re.search(r"\{(?!case_id)", path) else {"reached"}
    allowed = {
        Access.CASE_READERS: CASE_READER_ROLES,
        Access.CASE_REVIEWERS: CASE_REVIEWER_ROLES,
        Access.REPORT_READERS: REPORT_READER_ROLES,
        Access.CONCERN_RAISERS: CONCERN_RAISER_ROLES,
        Access.DEBRIEF_READERS: DEBRIEF_READER_ROLES,
        Access.PRACTICE_OVERSEERS: PRACTICE_OVERSEER_ROLES,
        Access.PRACTICE_MOVERS: PRACTICE_MOVER_ROLES,
        Access.ACCOUNT_ADMINS: ACCOUNT_ADMIN_ROLES,
        Access.CASE_HOLDERS: CASE_HOLDER_ROLES,
    }.get(rule)
    assert allowed is not None, f"no expectation written for the rule {rule} ({path})"
    if role not in allowed:
        return {"forbidden"}
    if rule is Access.CONCERN_RAISERS:
        if path == "/chat/practice" and role != "trainer":
            return {"forbidden"}  # refused by the store: START_PRACTICE_RUNS
        # Another's assessment (or none) is not found; starting one is reached (the engine may be down).
        return {"reached", "not-found"} if "{" in path else {"reached"}
    if rule is Access.DEBRIEF_READERS:
        if path == FEEDBACK_PATH and role != "trainer":
            return {"forbidden"}  # refused by the review service: WRITE_PRACTICE_FEEDBACK (trainers only)
        # Past the door; the run named "x" is nobody's (tests/review/test_practice_debrief.py and
        # tests/review/test_practice_feedback.py have real runs).
        return {"not-found"}
    if rule is Access.PRACTICE_MOVERS:
        return {"not-found"}  # past the door; tests/review/test_practice_move.py has real runs
    if rule is Access.ACCOUNT_ADMINS:
        return {"reached"}  # an account of their own team or another: admins look after every team's
    if rule is Access.REPORT_READERS:
        # No case in the address; a table id that is no table ("x" here) is not found.
        return {"reached", "not-found"} if "{table_id}" in path else {"reached"}
    if rule is Access.CASE_HOLDERS:
        # An empty reason is the page again (400, "reached"); lifting a hold that is not there is a 409.
        if scope == "other" and role != "admin":
            return {"not-found"}
        return {"reached", "not-yet"}
    if has_case and scope == "other":
        return {"not-found"}
    if path in LEAD_ONLY_ROUTES and role != "lead":
        return {"forbidden"}
    if path in SUBMITTED_ONLY_ROUTES:
        return {"reached", "not-yet"}  # past the door and in scope; the case's state may not allow it
    return {"reached"}


def concrete(
    path: str,
    case: Case,
    tag_ids: dict[int, int],
    document_ids: dict[int, int] | None = None,
    account: UserInfo | None = None,
) -> str:
    """The route's address for this case; a tag id is the case's own tag (or, lacking one, another's), a
    document id the case's own document (or, lacking one, 1), and an account the practitioner of the scope's
    team."""
    path = path.replace("{case_id}", str(case.id))
    if account is not None:
        path = path.replace("{user_id}", str(account.id)).replace("{change}", ACCOUNT_CHANGE)
    path = path.replace("{tag_id}", str(tag_ids.get(case.id, min(tag_ids.values()))))
    path = path.replace("{document_id}", str((document_ids or {}).get(case.id, 1)))
    return re.sub(r"\{[^}]+\}", "x", path)


def tag_cases(
    app: web.Application, store: Store, people: dict[str, UserInfo], cases: dict[str, Case]
) -> dict[int, int]:
    """One tag on each team's live case, made by that team's lead, so the removal route has one to reach."""
    tag_ids = {}
    for team in ("north", "south"):
        case, lead = cases[f"{team}-live"], people[f"{team}-lead"]
        question_id, revision = tagged_answer(store, case)
        app[REVIEW].tag_evidence(
            lead.id, "127.0.0.1", case.id, TagIn(question_id, str(revision), ("intent",))
        )
        view = app[REVIEW].open_case(lead.id, "127.0.0.1", case.id)
        tag_ids[case.id] = next(
            answer.tags[0].id for section in view.sections for answer in section.answers if answer.tags
        )
    return tag_ids


def document_cases(
    app: web.Application, people: dict[str, UserInfo], cases: dict[str, Case]
) -> dict[int, int]:
    """A Prevent referral made by each team's lead from a decision on its live case (the documents' ids)."""
    document_ids = {}
    for team in ("north", "south"):
        case, lead = cases[f"{team}-live"], people[f"{team}-lead"]
        prevent = PathwayIn("prevent_referral", "Police screening.", "The form.", "DSL")
        decision = DecisionIn(pathways=(prevent,), lawful_bases=("art6_public_task",), consent="given")
        app[REVIEW].record_decision(lead.id, "127.0.0.1", case.id, decision)
        (choice,) = app[REVIEW].document_choices(lead.id, "127.0.0.1", case.id)
        form = DocumentIn(str(choice.pathway.id), "secure_email", "art6_public_task", child_name="A Name")
        document_ids[case.id] = app[REVIEW].make_document(lead.id, "127.0.0.1", case.id, form)
    return document_ids


async def test_every_route_by_role_and_team(
    app: web.Application,
    as_user: AsUser,
    cases: dict[str, Case],
    store: Store,
    people: dict[str, UserInfo],
) -> None:
    tag_ids = tag_cases(app, store, people, cases)
    document_ids = document_cases(app, people, cases)
    routes = [route for route in app.router.routes() if route.method != "HEAD"]
    rules = app[ACCESS_RULES]
    checked = 0
    for role in (None, *ROLES):
        client = await as_user(None if role is None else f"north-{role}")
        token = await session_token(client, role)
        for route in routes:
            rule = rules.get(route, rules.get(route.resource))
            canonical = route.resource.canonical
            assert rule is not None, f"{route.method} {canonical} has no declared access rule"
            if canonical == "/static":
                canonical = "/static/app.css"
            for scope in ("own", "other"):
                case = cases[(OWN_CASE if scope == "own" else OTHER_CASE)[role or "lead"]]
                account = people["north-practitioner" if scope == "own" else "south-practitioner"]
                path = concrete(canonical, case, tag_ids, document_ids, account)
                if route.method == "GET":
                    response = await client.get(path, allow_redirects=False)
                else:
                    response = await client.request(
                        route.method, path, data={"csrf_token": token}, allow_redirects=False
                    )
                body = await body_of(response)
                no_crash(response.status, body, role, route.method, canonical, scope)
                assert route.method == "GET" or TOKEN_REFUSED not in body, (role, canonical, scope)
                got = outcome(response.status, response.headers.get("Location"))
                want = expected(rule, role, "{case_id}" in canonical, scope, canonical)
                assert got in want, (role, route.method, canonical, scope, response.status, got, want)
                checked += 1
                if canonical == "/sign-out" and role is not None:
                    # Signing out ended the session (and its token); carry on signed in.
                    client = await as_user(f"north-{role}")
                    token = await session_token(client, role)
    assert checked == len(routes) * 2 * (len(ROLES) + 1)


@pytest.fixture
def unsubmitted(store: Store, bank: QuestionBank, people: dict[str, UserInfo]) -> Case:
    """North's urgent case its practitioner is still writing."""
    return make_case(store, bank, people["north-practitioner"], submit=False, urgent=True)


def expected_for_unsubmitted(rule: Access, role: str, path: str, unknown: bool) -> set[str]:
    """What each role gets on North's urgent unsubmitted case (or an id that does not exist)."""
    allowed = {
        Access.CASE_READERS: CASE_READER_ROLES,
        Access.CASE_REVIEWERS: CASE_REVIEWER_ROLES,
        Access.CASE_HOLDERS: CASE_HOLDER_ROLES,
    }[rule]
    if role not in allowed:
        return {"forbidden"}
    if rule is Access.CASE_HOLDERS:
        # A draft is a record the schedule erases too, so it can be held, by the team's lead or an admin.
        return {"not-found"} if unknown else {"reached", "not-yet"}
    if unknown or role != "lead":  # only the team's leads see it before submission
        return {"not-found"}
    if path in SUBMITTED_ONLY_ROUTES:
        return {"not-yet"}
    return {"reached"}  # pages, exports, and "Record what you did" (its empty form: 400, the page again)


async def test_an_urgent_unsubmitted_case_and_an_unknown_id_by_role(
    app: web.Application,
    as_user: AsUser,
    unsubmitted: Case,
    sessions: sessionmaker[Session],
) -> None:
    case_routes = [
        route
        for route in app.router.routes()
        if route.method != "HEAD" and "{case_id}" in route.resource.canonical
    ]
    rules = app[ACCESS_RULES]
    unknown = Case(UNKNOWN_ID, "A-ZZZZZZ", "none")
    checked = 0
    for role in ROLES:
        client = await as_user(f"north-{role}")
        token = await session_token(client, role)
        for route in case_routes:
            rule = rules.get(route, rules.get(route.resource))
            canonical = route.resource.canonical
            for case in (unsubmitted, unknown):
                path = concrete(canonical, case, {UNKNOWN_ID: 1})
                if route.method == "GET":
                    response = await client.get(path, allow_redirects=False)
                else:
                    response = await client.post(path, data={"csrf_token": token}, allow_redirects=False)
                body = await body_of(response)
                no_crash(response.status, body, role, route.method, canonical, f"case {case.id}")
                assert route.method == "GET" or TOKEN_REFUSED not in body, (role, canonical, case.id)
                got = outcome(response.status, response.headers.get("Location"))
                want = expected_for_unsubmitted(rule, role, canonical, case is unknown)
                assert got in want, (role, route.method, canonical, case.id, response.status, got, want)
                checked += 1
    assert checked == len(case_routes) * 2 * len(ROLES)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Referral)) == 0, (
            "no referral before submission"
        )
        assert session.scalar(select(func.count()).select_from(UrgentResponse)) == 0
        assert session.scalar(select(func.count()).select_from(UrgentStandDown)) == 0


async def test_every_form_without_its_token_is_refused_and_changes_nothing(
    app: web.Application,
    as_user: AsUser,
    cases: dict[str, Case],
    unsubmitted: Case,
    sessions: sessionmaker[Session],
) -> None:
    posts = [r for r in app.router.routes() if r.method == "POST" and "{case_id}" in r.resource.canonical]
    assert any(r.resource.canonical == "/cases/{case_id}/urgent-responses" for r in posts)
    assert any(r.resource.canonical == "/cases/{case_id}/urgent-stand-down" for r in posts)
    assert {"/cases/{case_id}/sharing", "/cases/{case_id}/outcomes"} <= {r.resource.canonical for r in posts}
    form = {
        "response": "Rang them.",
        "stand_down_reason": "Not an emergency.",
        "reason": "Litigation.",  # a legal hold's (issue #31)
        **COMBINED_DECISION,
        **NEXT_FORMS["/cases/{case_id}/sharing"],
        **NEXT_FORMS["/cases/{case_id}/reviews"],
    }
    for role in ("lead", "trainer"):
        client = await as_user(f"north-{role}")
        for route in posts:
            for case in (cases["north-live"], unsubmitted):
                path = concrete(route.resource.canonical, case, {case.id: 1})
                response = await client.post(path, data=form, allow_redirects=False)
                body = await response.text()
                assert response.status == 403, (role, path, response.status)
                if role == "trainer" and "/legal-hold" in path:  # refused at the door by role, first
                    assert "Your role does not give you access" in body, (role, path)
                    continue
                assert "This form could not be sent" in body, (role, path)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(UrgentResponse)) == 0
        assert session.scalar(select(func.count()).select_from(Referral)) == 0
        assert session.scalar(select(func.count()).select_from(DecisionPathway)) == 0
        assert session.scalar(select(func.count()).select_from(SharingEntry)) == 0
        assert session.scalar(select(func.count()).select_from(CaseReview)) == 0
        assert session.scalar(select(func.count()).select_from(IdentifyingDetails)) == 0
        assert session.scalar(select(func.count()).select_from(LegalHold)) == 0


async def test_a_complete_combined_decision_is_recorded_only_by_a_reviewer_on_their_own_teams_case(
    app: web.Application, as_user: AsUser, cases: dict[str, Case], sessions: sessionmaker[Session]
) -> None:
    """The decision route with a form that passes every check: the matrix's rule decides, not the form."""
    rule = app[ACCESS_RULES][next(r for r in app.router.routes() if r.resource.canonical == DECISION_PATH)]
    recorded = []
    for role in ROLES:
        client = await as_user(f"north-{role}")
        token = csrf_from(await page(client, "/chat"))
        for scope in ("own", "other"):
            case = cases[(OWN_CASE if scope == "own" else OTHER_CASE)[role]]
            path = DECISION_PATH.replace("{case_id}", str(case.id))
            form = [("csrf_token", token)] + [
                (name, value)
                for name, values in COMBINED_DECISION.items()
                for value in (values if isinstance(values, list) else [values])
            ]
            response = await client.post(path, data=form, allow_redirects=False)
            no_crash(response.status, await body_of(response), role, "POST", DECISION_PATH, scope)
            got = outcome(response.status, response.headers.get("Location"))
            assert got in expected(rule, role, True, scope, DECISION_PATH), (role, scope, response.status)
            if response.status == 303:
                recorded.append((role, scope))
    assert set(recorded) <= {("lead", "own"), ("trainer", "own")} and ("lead", "own") in recorded
    with sessions() as session:
        rows = session.scalars(select(DecisionPathway).order_by(DecisionPathway.id)).all()
    assert len(rows) == 2 * len(recorded)
    assert [(row.pathway, row.partner) for row in rows[:2]] == [
        ("early_help", None),
        ("community_partner", "example_mentoring"),
    ]


@pytest.mark.parametrize("route", NEXT_ROUTES)
async def test_what_happened_next_is_recorded_only_by_a_reviewer_on_their_own_teams_case(
    app: web.Application,
    as_user: AsUser,
    cases: dict[str, Case],
    sessions: sessionmaker[Session],
    route: str,
) -> None:
    """Issue #12: a share and a review date that pass every check; the matrix's rule decides, not the form."""
    rule = app[ACCESS_RULES][next(r for r in app.router.routes() if r.resource.canonical == route)]
    recorded = []
    for role in ROLES:
        client = await as_user(f"north-{role}")
        token = csrf_from(await page(client, "/chat"))
        for scope in ("own", "other"):
            case = cases[(OWN_CASE if scope == "own" else OTHER_CASE)[role]]
            path = route.replace("{case_id}", str(case.id))
            response = await client.post(
                path, data={"csrf_token": token, **NEXT_FORMS[route]}, allow_redirects=False
            )
            no_crash(response.status, await body_of(response), role, "POST", route, scope)
            got = outcome(response.status, response.headers.get("Location"))
            assert got in expected(rule, role, True, scope, route), (role, scope, response.status)
            if response.status == 303:
                recorded.append((role, scope))
    assert set(recorded) == {("lead", "own"), ("trainer", "own")}
    with sessions() as session:
        stored = session.scalar(select(func.count()).select_from(SharingEntry)) + session.scalar(
            select(func.count()).select_from(CaseReview)
        )
    assert stored == 2


def test_a_crash_fails_the_matrix_naming_the_route_and_role() -> None:
    """A 5xx once counted as "reached"; now it stops the matrix with what crashed and for whom."""
    with pytest.raises(
        AssertionError, match=r"GET /admin/users/\{user_id\} \(own\) crashed with 500 for admin"
    ):
        no_crash(500, "", "admin", "GET", "/admin/users/{user_id}", "own")
    with pytest.raises(AssertionError, match="crashed with 503 for no one signed in"):
        no_crash(503, "Service Unavailable", None, "POST", "/sign-in")
    no_crash(404, "", "lead", "GET", "/cases/{case_id}")
    no_crash(503, "{}", None, "GET", "/readyz")  # not ready is readiness's answer
    with pytest.raises(AssertionError, match="GET /readyz crashed with 500"):
        no_crash(500, "", None, "GET", "/readyz")
    no_crash(
        503,
        f"<p>{ENGINE_DOWN_WORDS}; your answers so far are saved.</p>",
        "practitioner",
        "POST",
        "/chat/start",
    )
    assert outcome(502, None) == "crashed" and outcome(500, None) == "crashed"
