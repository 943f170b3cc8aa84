"""One change to an account from the admin pages (issue #32), in the GOV.UK pattern: the question with a
reason, a check-answers page, then a confirmation panel.

What each change asks and which service call makes it is the `CHANGES` table below; the form, check and
confirm handlers are the same for every change. Nothing is written until "Confirm": the check page carries
the answers in hidden fields, and the service checks them again (with the reason) in its own transaction,
so an answer edited in between is refused like any other. A reset link is shown once, on the confirmation,
for the admin to pass on: it is never stored.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

from aiohttp import web
from multidict import MultiDictProxy

from bot.domain.account_inputs import EmailIn, OidcIdentityIn, ReasonIn
from bot.domain.account_records import Account
from bot.domain.errors import StoreError
from bot.domain.records import Actor
from bot.domain.roles import ROLES
from bot.store.accounts import AccountService
from bot.store.reset_links import RESET_PATH
from bot.web.admin_users import USER_PATH, account_or_404
from bot.web.field_messages import sentences
from bot.web.pages import form_text, render_page
from bot.web.state import SETTINGS, STORE, USER

CHANGE_PATH = (
    USER_PATH
    + r"/{change:role|team|email|deactivate|reactivate|reset-link|reset-2fa"
    + r"|link-teams|unlink-teams|link-oidc|unlink-oidc}"
)
CONFIRM_PATH = CHANGE_PATH + "/confirm"
LABELS = {
    "role": "The role",
    "team": "The team",
    "email": "The email address",
    "tenant_id": "The Teams tenant ID",
    "aad_object_id": "The Teams user's object ID",
    "link": "The Teams link",
    "issuer": "The issuer",
    "subject": "The subject",
    "oidc_link": "The organisation account",
    "reason": "The reason",
}
MAX_FIELD_CHARS = 200


@dataclass(frozen=True)
class Change:
    title: str  # the form's heading: "Change role"
    fields: tuple[str, ...]  # asked besides the reason
    done: str  # the confirmation panel's heading
    # The service call, given the service, the account id, the answers and the session secret; returns the
    # reset token when there is one to show.
    make: Callable[[AccountService, int, dict[str, str], bytes], str | None]
    warning: bool = False


CHANGES: dict[str, Change] = {
    "role": Change(
        "Change role",
        ("role",),
        "Role changed",
        lambda s, u, a, _: _none(s.set_role(u, a["role"], a["reason"])),
    ),
    "team": Change(
        "Move to another team",
        ("team",),
        "Team changed",
        lambda s, u, a, _: _none(s.set_team(u, a["team"], a["reason"])),
    ),
    "email": Change(
        "Change email address",
        ("email",),
        "Email address changed",
        lambda s, u, a, _: _none(s.set_email(u, a["email"], a["reason"])),
    ),
    "deactivate": Change(
        "Deactivate account",
        (),
        "Account deactivated",
        lambda s, u, a, _: _none(s.set_active(u, False, a["reason"])),
        warning=True,
    ),
    "reactivate": Change(
        "Reactivate account",
        (),
        "Account reactivated",
        lambda s, u, a, _: _none(s.set_active(u, True, a["reason"])),
    ),
    "reset-link": Change(
        "Make a password reset link",
        (),
        "Reset link made",
        lambda s, u, a, secret: s.issue_reset(u, a["reason"], secret)[1],
    ),
    "reset-2fa": Change(
        "Reset the second factor",
        (),
        "Second factor reset",
        lambda s, u, a, _: _none(s.reset_second_factor(u, a["reason"])),
        warning=True,
    ),
    "link-teams": Change(
        "Link a Teams identity",
        ("tenant_id", "aad_object_id"),
        "Teams identity linked",
        lambda s, u, a, _: _none(s.link_teams(u, a["tenant_id"], a["aad_object_id"], a["reason"])),
    ),
    "unlink-teams": Change(
        "Unlink a Teams identity",
        ("link",),
        "Teams identity unlinked",
        lambda s, u, a, _: _none(s.unlink_teams(u, int(a["link"]), a["reason"])),
        warning=True,
    ),
    # Organisation sign-in (OpenID Connect), linked by issuer and subject (bot.store.oidc_links): the radio's
    # value is the issuer, as an account has at most one link per issuer.
    "link-oidc": Change(
        "Link an organisation account",
        ("issuer", "subject"),
        "Organisation account linked",
        lambda s, u, a, _: _none(s.link_oidc(u, a["issuer"], a["subject"], a["reason"])),
    ),
    "unlink-oidc": Change(
        "Unlink an organisation account",
        ("oidc_link",),
        "Organisation account unlinked",
        lambda s, u, a, _: _none(s.unlink_oidc(u, a["oidc_link"], a["reason"])),
        warning=True,
    ),
}


async def change_form(request: web.Request) -> web.StreamResponse:
    account = await account_or_404(request)
    return await _form(request, account, {}, {})


async def check_change(request: web.Request) -> web.StreamResponse:
    """The answers checked for presence and choice, then shown back with "Confirm"; nothing is written."""
    account = await account_or_404(request)
    answers = _answers(await request.post(), _change(request))
    if "edit" in (await request.post()):
        return await _form(request, account, answers, {})
    problems = await _problems(request, account, answers)
    if problems:
        return await _form(request, account, answers, problems)
    context = {"account": account, "change": _change(request), "kind": request.match_info["change"]}
    return await render_page(
        request, "admin/check.html", {**context, "answers": answers, **_choices(account)}
    )


async def confirm_change(request: web.Request) -> web.StreamResponse:
    account = await account_or_404(request)
    change = _change(request)
    answers = _answers(await request.post(), change)
    problems = await _problems(request, account, answers)
    if problems:
        return await _form(request, account, answers, problems)
    service = request.app[STORE].accounts.for_actor(Actor.user(request[USER].id))
    secret = request.app[SETTINGS].session_secret
    try:
        token = await asyncio.to_thread(change.make, service, account.id, answers, secret)
    except StoreError as refused:
        return await _form(request, account, answers, sentences(refused.fields, LABELS))
    changed = await account_or_404(request)
    link = None
    if token is not None:
        link = f"{request.app[SETTINGS].link_base_url.rstrip('/')}{RESET_PATH}{token}"
    context = {"account": changed, "change": change, "answers": answers, "reset_link": link}
    return await render_page(request, "admin/done.html", {**context, **_choices(changed)})


def _change(request: web.Request) -> Change:
    return CHANGES[request.match_info["change"]]


def _answers(form: MultiDictProxy[str | object], change: Change) -> dict[str, str]:
    return {name: form_text(form.get(name)).strip() for name in (*change.fields, "reason")} | {
        "reason": form_text(form.get("reason"))  # verbatim: the reason is kept exactly as typed
    }


async def _problems(request: web.Request, account: Account, answers: dict[str, str]) -> dict[str, str]:
    """What is missing or not one of the choices, in the words of the form; the service checks the rest."""
    problems: dict[str, str] = {}
    choices = _choices(account)
    if "role" in answers and answers["role"] not in ROLES:
        problems["role"] = "Choose the new role."
    if "team" in answers:
        teams = await asyncio.to_thread(request.app[STORE].users.team_names)
        if answers["team"] not in teams:
            problems["team"] = "Choose the team to move them to."
    for name in ("tenant_id", "aad_object_id"):
        if name in answers and not 0 < len(answers[name]) <= MAX_FIELD_CHARS:
            problems[name] = (
                f"Enter {LABELS[name][0].lower() + LABELS[name][1:]} (at most {MAX_FIELD_CHARS} characters)."
            )
    if "email" in answers:
        if not answers["email"]:
            problems["email"] = "Enter the new email address."
        else:
            try:
                EmailIn(email=answers["email"])
            except StoreError as refused:
                problems.update(sentences(refused.fields, LABELS))
    if "link" in answers and answers["link"] not in choices["links"]:
        problems["link"] = "Choose the Teams identity to unlink."
    if "oidc_link" in answers and answers["oidc_link"] not in choices["oidc_links"]:
        problems["oidc_link"] = "Choose the organisation account to unlink."
    if "subject" in answers:
        try:
            OidcIdentityIn(issuer=answers["issuer"], subject=answers["subject"])
        except StoreError as refused:
            problems.update(sentences(refused.fields, LABELS))
    if not answers["reason"].strip():
        problems["reason"] = "Give the reason for this change."
    else:
        try:
            ReasonIn(reason=answers["reason"])
        except StoreError as refused:
            problems.update(sentences(refused.fields, LABELS))
    return problems


def _choices(account: Account) -> dict[str, dict[str, str]]:
    links = {str(link.id): f"{link.aad_object_id} (tenant {link.tenant_id})" for link in account.teams_links}
    oidc = {link.issuer: f"{link.subject} at {link.issuer}" for link in account.oidc_links}
    return {"links": links, "oidc_links": oidc}


async def _form(
    request: web.Request, account: Account, answers: dict[str, str], problems: dict[str, str]
) -> web.Response:
    context = {
        "account": account,
        "change": _change(request),
        "kind": request.match_info["change"],
        "answers": answers,
        "problems": problems,
        "roles": [(role, role.capitalize()) for role in ROLES if role != account.role],
        "teams": [
            (team, team)
            for team in await asyncio.to_thread(request.app[STORE].users.team_names)
            if team != account.team
        ],
        "active_page": "accounts",
        **_choices(account),
    }
    return await render_page(request, "admin/change.html", context, status=400 if problems else 200)


def _none(_account: Account) -> None:
    return None
