"""The authorisation matrix: every route of the app x every role x own team / other team.

Expectations are written here, per access rule, independently of bot.web.access: a route whose rule has no
expectation below, or that has no rule at all, fails the test, so a new route cannot arrive unexamined.
VAF tagging routes admit reviewers at the door but are for leads only: a trainer reaching one for a case
they can see is refused (403) by the review service, and a case of another team is "not found" as always.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.test_utils import TestClient
from review_helpers import Case, csrf_from, page, tagged_answer

from bot.review.records import TagIn
from bot.store.records import UserInfo
from bot.store.services import StoreService
from bot.web.access import ACCESS_RULES, Access
from bot.web.review import REVIEW

AsUser = Callable[[str | None], Awaitable[TestClient]]
ROLES = ("practitioner", "lead", "trainer", "admin")
CASE_READER_ROLES = {"practitioner", "lead", "trainer"}
CASE_REVIEWER_ROLES = {"lead", "trainer"}
LEAD_ONLY_ROUTES = {"/cases/{case_id}/tags", "/cases/{case_id}/tags/{tag_id}/remove"}
# The case each role may open on its own team, and the like case on the other team.
OWN_CASE = {
    "practitioner": "north-live",
    "lead": "north-live",
    "trainer": "north-rehearsal",
    "admin": "north-live",
}
OTHER_CASE = {
    "practitioner": "south-live",
    "lead": "south-live",
    "trainer": "south-rehearsal",
    "admin": "south-live",
}


def outcome(response_status: int, location: str | None) -> str:
    if response_status == 303 and location in {"/sign-in", "/sign-in?reason=idle"}:
        return "sign-in"
    if response_status == 403:
        return "forbidden"
    if response_status == 404:
        return "not-found"
    return "reached"


def expected(rule: Access, role: str | None, has_case: bool, scope: str, path: str) -> set[str]:
    if rule is Access.PUBLIC or rule is Access.API_TOKEN:
        # Their handlers answer for themselves (the API's 401/404/422; an unconfigured endpoint's 404), but
        # never with the sign-in page or a role refusal.
        return {"reached", "not-found"}
    if role is None:
        return {"sign-in"}
    if rule is Access.SIGNED_IN:
        return {"reached"}
    allowed = {Access.CASE_READERS: CASE_READER_ROLES, Access.CASE_REVIEWERS: CASE_REVIEWER_ROLES}.get(rule)
    assert allowed is not None, f"no expectation written for the rule {rule} ({path})"
    if role not in allowed:
        return {"forbidden"}
    if has_case and scope == "other":
        return {"not-found"}
    if path in LEAD_ONLY_ROUTES and role != "lead":
        return {"forbidden"}
    return {"reached"}


def concrete(path: str, case: Case, tag_ids: dict[int, int]) -> str:
    """The route's address for this case; a tag id is the case's own tag (or, lacking one, another's)."""
    path = path.replace("{case_id}", str(case.id))
    path = path.replace("{tag_id}", str(tag_ids.get(case.id, min(tag_ids.values()))))
    return re.sub(r"\{[^}]+\}", "x", path)


def tag_cases(
    app: web.Application, store: StoreService, people: dict[str, UserInfo], cases: dict[str, Case]
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


async def test_every_route_by_role_and_team(
    app: web.Application,
    as_user: AsUser,
    cases: dict[str, Case],
    store: StoreService,
    people: dict[str, UserInfo],
) -> None:
    tag_ids = tag_cases(app, store, people, cases)
    routes = [route for route in app.router.routes() if route.method != "HEAD"]
    rules = app[ACCESS_RULES]
    checked = 0
    for role in (None, *ROLES):
        client = await as_user(None if role is None else f"north-{role}")
        for route in routes:
            rule = rules.get(route, rules.get(route.resource))
            canonical = route.resource.canonical
            assert rule is not None, f"{route.method} {canonical} has no declared access rule"
            if canonical == "/static":
                canonical = "/static/app.css"
            for scope in ("own", "other"):
                case = cases[(OWN_CASE if scope == "own" else OTHER_CASE)[role or "lead"]]
                path = concrete(canonical, case, tag_ids)
                if route.method == "GET":
                    response = await client.get(path, allow_redirects=False)
                else:
                    token = csrf_from(await page(client, "/sign-in" if role is None else "/chat"))
                    response = await client.request(
                        route.method, path, data={"csrf_token": token}, allow_redirects=False
                    )
                got = outcome(response.status, response.headers.get("Location"))
                want = expected(rule, role, "{case_id}" in canonical, scope, canonical)
                assert got in want, (role, route.method, canonical, scope, response.status, got, want)
                checked += 1
                if canonical == "/sign-out" and role is not None:
                    client = await as_user(
                        f"north-{role}"
                    )  # signing out ended the session; carry on signed in
    assert checked == len(routes) * 2 * (len(ROLES) + 1)
