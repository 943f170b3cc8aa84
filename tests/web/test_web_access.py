"""Deny by default: which routes anyone may reach, and what every response carries."""

from __future__ import annotations

from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer
from web_helpers import PASSWORD, FakeEngine, make_settings, page, sign_in
from yarl import URL

from bot.domain.records import UserInfo
from bot.settings import Settings
from bot.store.services import Store
from bot.web.access import ACCESS_RULES, API_PREFIX, Access
from bot.web.app import ROUTES, SESSION_COOKIE, create_app
from bot.web.headers import CONTENT_SECURITY_POLICY

# POST /api/messages is the Teams (Bot Framework) endpoint: no sign-in, it checks its own JWT (tests/teams).
PUBLIC_PAGES = {
    ("GET", "/healthz"),
    ("GET", "/sign-in"),
    ("POST", "/sign-in"),
    # Issue #32: leaving for the organisation's identity provider and coming back (404 while OIDC is off);
    # the callback signs nobody in without the state, nonce and PKCE verifier of this browser's own attempt.
    ("GET", "/sign-in/oidc"),
    ("GET", "/sign-in/oidc/callback"),
    ("POST", "/api/messages"),
    ("GET", "/.well-known/security.txt"),  # RFC 9116: the council's security contact, for anyone
    # Issue #33: the privacy notice, terms and accessibility statement, linked from every footer and Teams.
    ("GET", "/privacy"),
    ("GET", "/terms"),
    ("GET", "/accessibility"),
    # Issue #35: the platform's probes; /readyz names only which part is down, /metrics checks its own address
    # list (BOT_METRICS_ALLOW) and carries no case content.
    ("GET", "/readyz"),
    ("GET", "/metrics"),
    # Issue #32: a one-time password reset link an admin passed on; the token is the credential, a wrong or
    # spent one counts against the address like a failed sign-in (tests/review/test_account_pages.py).
    ("GET", "/password-reset/{token}"),
    ("POST", "/password-reset/{token}"),
    # Issue #32: the second factor's pages, between the password and the session: public as routes, but each
    # handler needs the short pending sign-in a right password leaves, and sends anyone else to sign in
    # (tests/web/test_second_factor_pages.py, the access matrix).
    ("GET", "/sign-in/code"),
    ("POST", "/sign-in/code"),
    ("GET", "/sign-in/set-up"),
    ("POST", "/sign-in/set-up"),
}


def test_every_route_has_a_declared_access_rule(settings: Settings, store: Store) -> None:
    app = create_app(settings, store)
    rules = app[ACCESS_RULES]
    for route in app.router.routes():
        rule = rules.get(route, rules.get(route.resource))
        assert rule is not None, f"{route.method} {route.resource.canonical} has no access rule"
        if rule is Access.API_TOKEN:
            assert route.resource.canonical.startswith(API_PREFIX.rstrip("/"))


def test_only_sign_in_reset_links_probes_metrics_security_txt_and_the_information_pages_are_public() -> None:
    public = {(spec.method, spec.path) for spec in ROUTES if spec.access is Access.PUBLIC}
    assert public == PUBLIC_PAGES


async def test_signed_in_routes_send_strangers_to_sign_in(client: TestClient, engine: FakeEngine) -> None:
    """A GET carries its address to come back to after signing in (bot.web.landing); `/` and posts do not."""
    for spec in ROUTES:
        if spec.access is not Access.SIGNED_IN:
            continue
        response = await client.request(spec.method, spec.path, allow_redirects=False)
        assert response.status == 303, spec
        location = URL(response.headers["Location"])
        assert location.path == "/sign-in", spec
        carries = spec.method == "GET" and spec.path != "/"
        assert location.query.get("next") == (URL(spec.path).raw_path if carries else None), spec
    assert engine.received == []


async def test_unknown_addresses_are_not_revealed_before_sign_in(client: TestClient) -> None:
    """Sent to sign in like any existing page, its address carried the same way."""
    response = await client.get("/no-such-page", allow_redirects=False)
    assert response.status == 303
    assert response.headers["Location"] == "/sign-in?next=/no-such-page"


async def test_a_signed_in_post_to_an_unknown_address_is_a_plain_404(
    client: TestClient, user: UserInfo
) -> None:
    """Not a server error: the CSRF check has no route to look at, and nothing exists to protect."""
    await sign_in(client, user.username, PASSWORD)
    for path in ("/no-such-page", "/cases/1/no-such-action", "/chat/send/extra"):
        response = await client.post(path, data={"csrf_token": "x"}, allow_redirects=False)
        assert response.status == 404, path


async def test_health_and_static_files_need_no_sign_in(client: TestClient) -> None:
    response = await client.get("/healthz")
    assert response.status == 200
    assert await response.text() == "ok"
    for name in ("app.css", "chat.js"):
        response = await client.get(f"/static/{name}")
        assert response.status == 200, name


async def test_json_api_is_mounted_behind_its_own_token(client: TestClient, settings: Settings) -> None:
    response = await client.get("/api/v1/health")
    assert response.status == 200
    assert await response.json() == {"status": "ok"}

    no_token = await client.post("/api/v1/assessments", json={}, allow_redirects=False)
    assert no_token.status == 401  # the API's own answer, not a redirect to the sign-in page

    # No session and no form token: the API takes its bearer token instead of cookies.
    with_token = await client.post(
        "/api/v1/assessments",
        json={"conversation_id": "nope", "bank_version": "v1"},
        headers={"Authorization": f"Bearer {settings.service_token}"},
    )
    assert with_token.status in {404, 422}


async def test_pages_carry_security_headers_and_are_not_cached(client: TestClient) -> None:
    for path in ("/sign-in", "/healthz", "/static/app.css"):
        response = await client.get(path)
        headers = response.headers
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, path
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert "'unsafe-inline'" not in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
    assert (await client.get("/sign-in")).headers["Cache-Control"] == "no-store"


async def test_templates_hold_no_inline_script_or_style(client: TestClient, user: UserInfo) -> None:
    bodies = [await page(client, "/sign-in")]
    await sign_in(client, "alice", PASSWORD)
    bodies.append(await page(client, "/chat"))
    for body in bodies:
        assert "<script>" not in body and "<style" not in body and "style=" not in body
        assert "onclick" not in body and "onsubmit" not in body


async def test_session_cookie_is_http_only_and_same_site_lax(client: TestClient, user: UserInfo) -> None:
    response = await sign_in(client, "alice", PASSWORD)
    cookie = response.cookies[SESSION_COOKIE]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert not cookie["secure"]
    assert not cookie["max-age"]  # a browser-session cookie: closing the browser ends it


async def test_session_cookie_is_secure_when_configured(
    tmp_path: Path, database_url: str, store: Store, user: UserInfo, engine: FakeEngine
) -> None:
    settings = make_settings(tmp_path, database_url, engine.port, BOT_COOKIE_SECURE="true")
    async with TestClient(TestServer(create_app(settings, store))) as client:
        response = await client.get("/sign-in")
        assert response.cookies[SESSION_COOKIE]["secure"] is True


async def test_without_a_service_the_app_opens_the_configured_database(
    settings: Settings, user: UserInfo
) -> None:
    async with TestClient(TestServer(create_app(settings))) as client:
        assert (await sign_in(client, "alice", PASSWORD)).status == 303
        assert "Signed in as alice" in await page(client, "/chat")


def test_changing_identifying_details_is_for_case_reviewers_only() -> None:
    """Issue #12: the form and its save admit reviewers at the door; the review service then refuses all but
    the case's team's leads (tests/review/test_review_access_matrix.py runs every role against them)."""
    rules = {(spec.method, spec.path): spec.access for spec in ROUTES if spec.path.endswith("/details")}
    assert rules == {
        ("GET", "/cases/{case_id:\\d{1,9}}/details"): Access.CASE_REVIEWERS,
        ("POST", "/cases/{case_id:\\d{1,9}}/details"): Access.CASE_REVIEWERS,
    }
