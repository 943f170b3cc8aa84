"""Who may reach which route: every route is declared with its rule, and anything undeclared needs a sign-in.

Rules are looked up from the route aiohttp matched, never by comparing path strings, so a crafted path cannot
borrow another route's rule. A request that matches nothing (a 404) needs a sign-in too, which keeps the list
of existing addresses from anyone not signed in. A chat message posted after its session ended is held for
its author on the way to the sign-in page (bot.web.held), never dropped; a GET's address goes with it, to
come back to once signed in (bot.web.landing).
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from aiohttp import web
from aiohttp.typedefs import Handler
from aiohttp_session import get_session

from bot.domain.roles import Action, permits
from bot.web.held import HELD_REASON, hold_posted_text
from bot.web.landing import IDLE_REASON, LIFETIME_REASON, return_path_of, sign_in_address
from bot.web.sessions import SESSION_ID, signed_in_user
from bot.web.state import LIFETIME_OVER, TIMED_OUT, USER
from bot.web.static_files import StaticFiles

API_PREFIX = "/api/v1/"


class Access(enum.Enum):
    PUBLIC = "anyone"
    SIGNED_IN = "a signed-in user"
    API_TOKEN = "the JSON API's own bearer token (checked by the API)"  # noqa: S105  # a description, not a token
    CASE_READERS = "a practitioner, lead or trainer; the review service limits each to their own cases"
    CASE_REVIEWERS = "a lead or trainer; the review service limits each to their team's cases of their mode"
    REPORT_READERS = "a lead or coordinator; the report service limits a lead to their own team's figures"
    CONCERN_RAISERS = "a practitioner or trainer; the chat limits each to their own assessments"
    # Signing out only: a session that has run out of time must still reach the handler, which clears the
    # browser's storage and replaces the drafts' key; the session's own form token is still checked
    # (bot.web.csrf), so another site cannot sign anyone out.
    OWN_SESSION = "a signed-in user, or one whose session has ended (its cookie still names it)"
    DEBRIEF_READERS = "a practitioner or trainer; the review service limits each to their own or team's runs"
    PRACTICE_OVERSEERS = "a trainer; the review service limits them to their own team's practice runs"
    PRACTICE_MOVERS = "a practitioner or trainer; the store limits each to their own or team's practice runs"
    ACCOUNT_ADMINS = "an admin; the account pages show accounts only, never case content"
    CASE_HOLDERS = "a lead or admin; the retention service limits a lead to their own team's cases"


# Rules that need a permission once signed in (who has it is bot.domain.roles' table); the team and case
# scope is the review service's to check.
ROLE_RULES: dict[Access, Action] = {
    Access.CASE_READERS: Action.READ_CASES,
    Access.CASE_REVIEWERS: Action.REVIEW_CASES,
    Access.REPORT_READERS: Action.VIEW_TEAM_REPORTS,
    Access.CONCERN_RAISERS: Action.RAISE_CONCERNS,
    Access.DEBRIEF_READERS: Action.READ_DEBRIEFS,
    Access.PRACTICE_OVERSEERS: Action.OVERSEE_PRACTICE,
    Access.PRACTICE_MOVERS: Action.MOVE_PRACTICE_TO_LIVE,
    Access.ACCOUNT_ADMINS: Action.MANAGE_ACCOUNTS,
    Access.CASE_HOLDERS: Action.HOLD_CASES,
}


ACCESS_RULES = web.AppKey("access_rules", dict)


@dataclass(frozen=True)
class RouteSpec:
    method: str
    path: str
    handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    access: Access


@dataclass(frozen=True)
class StaticSpec:
    prefix: str
    directory: Path
    access: Access


def add_declared_routes(app: web.Application, routes: Iterable[RouteSpec], static: StaticSpec) -> None:
    rules = app.setdefault(ACCESS_RULES, {})
    for spec in routes:
        rules[app.router.add_route(spec.method, spec.path, spec.handler)] = spec.access
    files = StaticFiles(static.directory)
    # GET and the HEAD aiohttp adds beside it share the resource, so the rule is kept for the resource.
    route = app.router.add_get(static.prefix + "/{name:.+}", files.handle)
    rules[route.resource] = static.access


def mark_api_routes(app: web.Application, before: set[web.AbstractResource]) -> None:
    """Give the API's routes (everything added since `before`) the API rule, after checking that they all
    live under the API prefix: a route added elsewhere would otherwise skip the sign-in check unseen."""
    rules = app.setdefault(ACCESS_RULES, {})
    for resource in app.router.resources():
        if resource in before:
            continue
        if not resource.canonical.startswith(API_PREFIX.rstrip("/")):
            raise RuntimeError(f"the JSON API added {resource.canonical!r}, outside {API_PREFIX}")
        rules[resource] = Access.API_TOKEN


def access_rule(request: web.Request) -> Access:
    rules = request.app[ACCESS_RULES]
    route = request.match_info.route
    rule = rules.get(route)
    if rule is None:
        rule = rules.get(route.resource, Access.SIGNED_IN)
    return rule


@web.middleware
async def access_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    rule = access_rule(request)
    if rule is Access.PUBLIC or rule is Access.API_TOKEN:
        return await handler(request)
    if rule is Access.OWN_SESSION:
        if isinstance((await get_session(request)).get(SESSION_ID), str):
            return await handler(request)
        raise web.HTTPSeeOther(sign_in_address(None))
    user = await signed_in_user(request)
    if user is None:
        if await hold_posted_text(request):
            raise web.HTTPSeeOther(sign_in_address(HELD_REASON))
        # A GET (a link followed, a page reloaded) comes back here after the sign-in (bot.web.landing).
        reason = IDLE_REASON if request.get(TIMED_OUT) else None
        reason = LIFETIME_REASON if request.get(LIFETIME_OVER) else reason
        raise web.HTTPSeeOther(sign_in_address(reason, return_path_of(request)))
    request[USER] = user
    if rule in ROLE_RULES and not permits(user.role, ROLE_RULES[rule]):
        raise web.HTTPForbidden(text="Your role does not give you access to this page.")
    return await handler(request)
