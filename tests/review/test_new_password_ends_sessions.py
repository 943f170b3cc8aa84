"""A new password ends the account's other open sessions at their next request (issue #32), by the same
per-request read of the account that ends a deactivated account's sessions (bot.web.sessions): changing your
own keeps the session that changed it; a reset link ends every one, even in the browser that used it. Real
app and real SQLite store; each session is its own cookie, swapped in and out of one client's jar."""

from __future__ import annotations

import re
from http.cookies import BaseCookie

from aiohttp import web
from aiohttp.test_utils import TestClient
from review_helpers import PASSWORD, csrf_from, page, sign_in
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.domain.records import Actor, UserInfo
from bot.store.services import Store
from bot.store.session_models import EndedSessionRow
from bot.web.state import SETTINGS

NEW_PASSWORD = "violet kettle marching orbit"


async def new_session(client: TestClient, username: str) -> BaseCookie[str]:
    """Sign `username` in afresh (a session of its own) and keep its cookie."""
    client.session.cookie_jar.clear()
    await sign_in(client, username)
    return client.session.cookie_jar.filter_cookies(client.make_url("/"))


def use(client: TestClient, cookies: BaseCookie[str]) -> None:
    client.session.cookie_jar.clear()
    client.session.cookie_jar.update_cookies(cookies, response_url=client.make_url("/"))


async def still_signed_in(client: TestClient, cookies: BaseCookie[str]) -> bool:
    use(client, cookies)
    response = await client.get("/chat", allow_redirects=False)
    if response.status == 303:
        assert response.headers["Location"].startswith("/sign-in"), response.headers["Location"]
        return False
    assert response.status == 200, response.status
    return True


def ended(sessions: sessionmaker[Session], why: str) -> int:
    with sessions() as session:
        return len(session.scalars(select(EndedSessionRow.id).where(EndedSessionRow.why == why)).all())


async def test_changing_your_password_ends_your_other_sessions_and_keeps_this_one(
    client: TestClient, people: dict[str, UserInfo], sessions: sessionmaker[Session]
) -> None:
    phone, laptop = (
        await new_session(client, "north-practitioner"),
        await new_session(client, "north-practitioner"),
    )
    colleague = await new_session(client, "north-colleague")
    this_one = await new_session(client, "north-practitioner")
    token = csrf_from(await page(client, "/account/password"))
    fields = {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD}
    changed = await client.post("/account/password", data={"csrf_token": token, **fields})
    assert changed.status == 200 and "Password changed" in await changed.text()

    assert await still_signed_in(client, this_one)
    assert not await still_signed_in(client, phone)
    assert not await still_signed_in(client, laptop)
    assert await still_signed_in(client, colleague)  # another account's session is untouched
    assert await still_signed_in(client, this_one)  # and so is this one, page after page
    # Kept as ended, like a deactivated account's, so a copy of the cookie cannot even hold a message.
    assert ended(sessions, "password_changed") == 2
    assert not await still_signed_in(client, phone)


async def test_a_reset_link_ends_every_session_even_the_one_that_used_it(
    app: web.Application, client: TestClient, people: dict[str, UserInfo], store: Store
) -> None:
    target, admin = people["south-practitioner"], people["south-admin"]
    accounts = store.accounts.for_actor(Actor.user(admin.id))
    _, token = accounts.issue_reset(target.id, "Forgot their password", app[SETTINGS].session_secret)
    elsewhere = await new_session(client, "south-practitioner")
    here = await new_session(client, "south-practitioner")
    reset_path = f"/password-reset/{token}"
    form_page = await page(client, reset_path)
    assert re.search(r"south-practitioner", form_page)
    fields = {"csrf_token": csrf_from(form_page), "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    response = await client.post(reset_path, data=fields)
    assert response.status == 200 and "Password changed" in await response.text()

    assert not await still_signed_in(client, here)
    assert not await still_signed_in(client, elsewhere)
    client.session.cookie_jar.clear()
    await sign_in_with(client, "south-practitioner", NEW_PASSWORD)
    assert (await client.get("/chat", allow_redirects=False)).status == 200


async def sign_in_with(client: TestClient, username: str, password: str) -> None:
    token = csrf_from(await page(client, "/sign-in"))
    fields = {"username": username, "password": password, "csrf_token": token}
    response = await client.post("/sign-in", data=fields, allow_redirects=False)
    assert response.status == 303, await response.text()
