"""The admin's account pages (issue #32): the list with its search, and one account's summary.

Thin: `AccountService` (bot.store.accounts) does the work, as it does for `bot user list`. What an admin sees
is names, roles, teams, Teams links and the reasons given for changes; never a case (guardrail 8). Changes
to an account go through bot.web.admin_changes.
"""

from __future__ import annotations

import asyncio

from aiohttp import web

from bot.domain.account_records import Account, AccountSearch
from bot.domain.audit_actions import LABELS
from bot.domain.errors import NotFoundError
from bot.domain.roles import ROLES
from bot.web.pages import render_page
from bot.web.state import STORE

USERS_PATH = "/admin/users"
USER_PATH = r"/admin/users/{user_id:\d{1,9}}"
STATUSES = {"": None, "active": True, "deactivated": False}
MAX_SEARCH_CHARS = 100
# The audit trail's own words for each change, for the account's list of changes and their reasons.
CHANGE_LABELS = {action.value: label for action, label in LABELS.items()}


async def user_list(request: web.Request) -> web.StreamResponse:
    query = request.query
    text, role, team = (query.get(name, "").strip() for name in ("q", "role", "team"))
    status = query.get("status", "")
    problems: dict[str, str] = {}
    if len(text) > MAX_SEARCH_CHARS:
        problems["q"] = f"Enter at most {MAX_SEARCH_CHARS} characters of a sign-in name."
    if role and role not in ROLES:
        problems["role"] = "Choose a role from the list."
    if status not in STATUSES:
        problems["status"] = "Choose active, deactivated or either."
    store = request.app[STORE]
    teams = await asyncio.to_thread(store.users.team_names)
    if team and team not in teams:
        problems["team"] = "Choose a team from the list."
    accounts = []
    if not problems:
        search = AccountSearch(text=text, role=role or None, team=team or None, active=STATUSES[status])
        accounts = await asyncio.to_thread(store.accounts.list_accounts, search)
    context = {
        "accounts": accounts,
        "search": {"q": text, "role": role, "team": team, "status": status},
        "roles": ROLES,
        "teams": teams,
        "problems": problems,
        "active_page": "accounts",
    }
    return await render_page(request, "admin/users.html", context, status=400 if problems else 200)


async def user_page(request: web.Request) -> web.StreamResponse:
    account = await account_or_404(request)
    return await render_page(request, "admin/user.html", {"account": account, "labels": CHANGE_LABELS})


async def account_or_404(request: web.Request) -> Account:
    """The account the address names, or the app's "not found" page."""
    try:
        return await asyncio.to_thread(
            request.app[STORE].accounts.account, int(request.match_info["user_id"])
        )
    except NotFoundError:
        raise web.HTTPNotFound(text="There is no such account.") from None
