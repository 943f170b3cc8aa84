"""The admin's "Create an account" (issue #32), in the GOV.UK pattern the other account changes use: the
question with a reason, a check-answers page, then a confirmation with a one-time link.

`AccountService.create_account` makes the account as `bot user add` does (bot.store.users.add_user), into
an existing team; the admin never types a password: the confirmation shows a link (24 hours, once) for the
person to set their own, and leads, coordinators and admins set up their second factor at first sign-in.
The check-answers page says what the CLI would print after `bot user add` (a team whose urgent reports
would reach no lead), before anything is made. Nothing is written until "Confirm"; a second "Confirm" (a
refresh, a double click) finds the name taken and makes nothing.
"""

from __future__ import annotations

import asyncio
from functools import partial

from aiohttp import web
from multidict import MultiDictProxy

from bot.domain import second_factor
from bot.domain.account_inputs import NewAccountIn
from bot.domain.errors import StoreError
from bot.domain.records import Actor
from bot.domain.roles import ROLES
from bot.runtime.lead_gaps import lead_gap_warnings
from bot.store.reset_links import RESET_PATH
from bot.web.admin_users import USERS_PATH
from bot.web.field_messages import sentences
from bot.web.pages import form_text, render_page
from bot.web.state import SETTINGS, STORE, USER

NEW_PATH = USERS_PATH + "/new"
NEW_CONFIRM_PATH = NEW_PATH + "/confirm"
FIELDS = ("username", "email", "role", "team", "reason")
LABELS = {
    "username": "The sign-in name",
    "email": "The email address",
    "role": "The role",
    "team": "The team",
    "reason": "The reason",
}


async def new_form(request: web.Request) -> web.StreamResponse:
    return await _form(request, {}, {})


async def check_new(request: web.Request) -> web.StreamResponse:
    """The answers checked, then shown back with any warning and "Confirm"; nothing is written."""
    form = await request.post()
    answers = _answers(form)
    if "edit" in form:
        return await _form(request, answers, {})
    problems = await _problems(request, answers)
    if problems:
        return await _form(request, answers, problems)
    adding = (answers["role"], bool(answers["email"]))
    warnings = await asyncio.to_thread(
        partial(lead_gap_warnings, pages=True), request.app[STORE].users, answers["team"], adding
    )
    context = {"answers": answers, "warnings": warnings, "active_page": "accounts"}
    return await render_page(request, "admin/new_check.html", context)


async def confirm_new(request: web.Request) -> web.StreamResponse:
    answers = _answers(await request.post())
    problems = await _problems(request, answers)
    if problems:
        return await _form(request, answers, problems)
    service = request.app[STORE].accounts.for_actor(Actor.user(request[USER].id))
    settings = request.app[SETTINGS]
    try:
        account, token = await asyncio.to_thread(
            service.create_account,
            answers["username"],
            answers["role"],
            answers["team"],
            answers["email"] or None,
            answers["reason"],
            settings.session_secret,
        )
    except StoreError as refused:
        return await _form(request, answers, sentences(refused.fields, LABELS))
    link = f"{settings.link_base_url.rstrip('/')}{RESET_PATH}{token}"
    context = {
        "account": account,
        "reset_link": link,
        "second_factor": second_factor.required_for(account.role),
        "active_page": "accounts",
    }
    return await render_page(request, "admin/new_done.html", context)


def _answers(form: MultiDictProxy[str | object]) -> dict[str, str]:
    answers = {name: form_text(form.get(name)).strip() for name in FIELDS}
    return answers | {"reason": form_text(form.get("reason"))}  # verbatim: kept exactly as typed


async def _problems(request: web.Request, answers: dict[str, str]) -> dict[str, str]:
    """What is missing, taken or not one of the choices, in the words of the form; the service checks the
    same again in its own transaction."""
    problems: dict[str, str] = {}
    users = request.app[STORE].users
    if answers["role"] not in ROLES:
        problems["role"] = "Choose the role."
    if answers["team"] not in await asyncio.to_thread(users.team_names):
        problems["team"] = "Choose the team."
    if not answers["reason"].strip():
        problems["reason"] = "Give the reason for this account."
    given = {name: answers[name] for name in ("username", "role", "team", "reason")}
    try:
        NewAccountIn(**given, email=answers["email"] or None)
    except StoreError as refused:
        found = sentences(refused.fields, LABELS)
        problems.update({name: text for name, text in found.items() if name not in problems})
    named = answers["username"] if "username" not in problems else ""
    if named and await asyncio.to_thread(users.find_user, named) is not None:
        problems["username"] = f"There is already an account called {answers['username']}."
    return problems


async def _form(request: web.Request, answers: dict[str, str], problems: dict[str, str]) -> web.Response:
    context = {
        "answers": answers,
        "problems": problems,
        "roles": [(role, role.capitalize()) for role in ROLES],
        "teams": [(team, team) for team in await asyncio.to_thread(request.app[STORE].users.team_names)],
        "active_page": "accounts",
    }
    return await render_page(request, "admin/new.html", context, status=400 if problems else 200)
