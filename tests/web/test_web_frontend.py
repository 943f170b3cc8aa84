"""govuk-frontend on the pages: the pinned package's own files, served safely, council-neutral.

The fetch script checks the tarball's sha512 against the pin when it downloads; these tests check that what
is installed and served is what it extracted (by the sha256 its stamp recorded), that the script refuses
anything else, that no page names GOV.UK, shows a crown or loads the GDS font, and that the pages work in a
real browser with govuk-frontend's JavaScript, and without its files at all.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import re
import subprocess
import sys
import tarfile
from pathlib import Path
from types import ModuleType
from typing import Any

import aiohttp_jinja2
import pytest
from aiohttp.test_utils import TestClient
from axe import REPO, assert_accessible
from playwright.async_api import Browser, Page, expect
from web_helpers import (
    BUTTONS,
    PASSWORD,
    START_REPLIES,
    FakeEngine,
    conversation_of,
    csrf_from,
    page,
    post_chat,
    practitioners,
    sign_in,
    start_practice_run,
    start_screening,
    textarea_text,
)

from bot.domain.records import UserInfo
from bot.domain.roles import ROLES, roles_permitted
from bot.store.services import Store
from bot.web.access import ROLE_RULES, Access
from bot.web.headers import SECURITY_HEADERS

ARTIFACTS = REPO / "test-artifacts" / "test_web_frontend"
SCRIPT = REPO / "tools" / "fetch_govuk_frontend.py"
REHEARSAL_LINE = "What you noticed, question 2 of 9; section 1 of 4 · Rehearsal - fictional case"
LIVE_LINE = "What you noticed, question 3 of 9; section 1 of 4 · Live case"
JAVASCRIPT_TYPES = {"text/javascript", "application/javascript"}


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fetch_govuk_frontend", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


fetcher = load_script()


def installed_stamp() -> dict[str, Any]:
    return json.loads((fetcher.DESTINATION / fetcher.STAMP).read_text(encoding="utf-8"))


# -- the fetch script ---------------------------------------------------------------------------------------


def test_the_installed_files_are_the_pinned_release() -> None:
    problems = fetcher.problems(fetcher.DESTINATION)
    assert not problems, f"{problems}: run `make run`, `make pytest` or `python {SCRIPT.relative_to(REPO)}`"
    stamp = installed_stamp()
    assert stamp["version"] == fetcher.VERSION and stamp["integrity"] == fetcher.INTEGRITY
    assert (
        stamp["source"] == f"https://registry.npmjs.org/govuk-frontend/-/govuk-frontend-{fetcher.VERSION}.tgz"
    )
    assert fetcher.VERSION.startswith("5.")
    # The files say which release they come from, too.
    css = (fetcher.DESTINATION / "govuk-frontend.min.css").read_text(encoding="utf-8")
    js = (fetcher.DESTINATION / "govuk-frontend.min.js").read_text(encoding="utf-8")
    assert f'--govuk-frontend-version:"{fetcher.VERSION}"' in css
    assert f'const version="{fetcher.VERSION}"' in js
    # Nothing else was installed: no fonts, no crown images.
    assert sorted(p.name for p in fetcher.DESTINATION.iterdir()) == sorted(
        [fetcher.STAMP, *fetcher.FILES.values()]
    )


def test_the_readme_records_the_pin() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for pinned in (fetcher.VERSION, fetcher.INTEGRITY, fetcher.TARBALL_URL):
        assert pinned in readme


def tarball(css: str, *, version: str | None = None, extra: dict[str, bytes] | None = None) -> bytes:
    """A gzipped npm tarball laid out like the real one."""
    members = {
        "package/package.json": json.dumps(
            {"name": "govuk-frontend", "version": version or fetcher.VERSION}
        ).encode(),
        "package/dist/govuk/govuk-frontend.min.css": css.encode(),
        "package/dist/govuk/govuk-frontend.min.js": b'const version="x";export{initAll};',
        **(extra or {}),
    }
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return buffer.getvalue()


REAL_LOOKING_CSS = (
    '@font-face{font-family:GDS Transport;src:url(/assets/fonts/light-94a07e06a1-v2.woff2) format("woff2")}'
    ".govuk-footer__copyright-logo{background-image:url(/assets/images/govuk-crest.svg)}"
    '.govuk-x{background:url("data:image/svg+xml,%3Csvg%3E")}'
)


def test_extract_keeps_only_the_built_files(tmp_path: Path) -> None:
    data = tarball(
        REAL_LOOKING_CSS,
        extra={
            "package/dist/govuk/assets/fonts/light-94a07e06a1-v2.woff2": b"font",
            "package/dist/govuk/assets/images/govuk-crest.svg": b"<svg/>",
            "../../outside.txt": b"never written",
        },
    )
    files = fetcher.extract(data)
    assert sorted(files) == ["govuk-frontend.min.css", "govuk-frontend.min.js"]

    destination = tmp_path / "static" / "govuk"
    fetcher.install(files, destination)
    assert fetcher.problems(destination) == []
    assert sorted(p.name for p in destination.iterdir()) == [".stamp", *sorted(files)]
    assert not (tmp_path / "outside.txt").exists() and not list(tmp_path.glob("static/.govuk-*"))
    stamp = json.loads((destination / ".stamp").read_text(encoding="utf-8"))
    assert stamp["files"]["govuk-frontend.min.css"] == hashlib.sha256(REAL_LOOKING_CSS.encode()).hexdigest()

    (destination / "govuk-frontend.min.css").write_text("tampered", encoding="utf-8")
    assert any("differs" in problem for problem in fetcher.problems(destination))


@pytest.mark.parametrize(
    ("css", "version", "message"),
    [
        (REAL_LOOKING_CSS + ".a{background:url(/assets/images/new.png)}", None, "does not install"),
        (REAL_LOOKING_CSS, "4.8.0", "not govuk-frontend"),
        ("", None, "is empty"),
    ],
    ids=["unknown-asset", "other-version", "empty-file"],
)
def test_extract_refuses_what_it_cannot_serve(css: str, version: str | None, message: str) -> None:
    with pytest.raises(fetcher.FetchError, match=message):
        fetcher.extract(tarball(css, version=version))


def test_a_tarball_without_the_pinned_integrity_is_refused(tmp_path: Path) -> None:
    copy = tmp_path / "govuk-frontend.tgz"
    copy.write_bytes(tarball(REAL_LOOKING_CSS))
    destination = tmp_path / "govuk"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--tarball", str(copy), "--dest", str(destination)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "not the pinned" in result.stderr and fetcher.INTEGRITY in result.stderr
    assert not destination.exists()


def test_check_says_how_to_fetch_when_the_files_are_missing(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--check", "--dest", str(tmp_path / "govuk")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "missing" in result.stderr and "tools/fetch_govuk_frontend.py" in result.stderr
    installed = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], capture_output=True, text=True, check=False
    )
    assert installed.returncode == 0, installed.stderr


def test_integrity_is_the_registry_form() -> None:
    assert fetcher.sri_digest(b"abc") == (
        "sha512-3a81oZNherrMQXNJriBBMRLm+k6JqX6iCp7u5ktV05ohkpkqJ0/BqDa6PCOj/uu9RU1EI2Q86A4qmslPpUyknw=="
    )
    with pytest.raises(fetcher.FetchError, match="only sha512"):
        fetcher.check_integrity(b"abc", "sha1-qZk+NkcGgWq6PiVxeFDCbJzQ2J0=")


# -- serving ----------------------------------------------------------------------------------------------


async def test_served_files_are_the_fetched_ones_with_security_headers(client: TestClient) -> None:
    """Reachable without signing in (the sign-in page needs them), byte for byte what the script installed."""
    recorded = installed_stamp()["files"]
    for name, content_types in (
        ("govuk/govuk-frontend.min.css", {"text/css"}),
        ("govuk/govuk-frontend.min.js", JAVASCRIPT_TYPES),
        ("app.css", {"text/css"}),
        ("govuk-supported.js", JAVASCRIPT_TYPES),
        ("govuk-init.js", JAVASCRIPT_TYPES),
        ("chat.js", JAVASCRIPT_TYPES),
        ("favicon.svg", {"image/svg+xml"}),
    ):
        response = await client.get(f"/static/{name}", allow_redirects=False)
        assert response.status == 200, name
        body = await response.read()
        assert body, name
        # A module script is refused unless its type is JavaScript; nosniff makes the browser hold to that.
        assert response.content_type in content_types, (name, response.content_type)
        for header, value in SECURITY_HEADERS.items():
            assert response.headers[header] == value, (name, header)
        if name.startswith("govuk/"):
            assert hashlib.sha256(body).hexdigest() == recorded[name.removeprefix("govuk/")], name


async def test_the_stylesheet_needs_nothing_the_policy_or_the_server_refuses(client: TestClient) -> None:
    policy = dict(part.split(" ", 1) for part in SECURITY_HEADERS["Content-Security-Policy"].split("; "))
    assert "'unsafe-inline'" not in SECURITY_HEADERS["Content-Security-Policy"]
    assert "'unsafe-eval'" not in SECURITY_HEADERS["Content-Security-Policy"]
    assert policy["default-src"] == "'none'"
    assert policy["script-src"] == policy["style-src"] == policy["img-src"] == "'self'"
    # Fonts only from here, where none is served: the GDS font's files are never fetched (the browser test
    # shows no request for them is even made).
    assert policy["font-src"] == "'self'"
    css = await (await client.get("/static/govuk/govuk-frontend.min.css")).text()
    # Every address the stylesheet names is a font or the crest, which no page uses, or inline data.
    assert fetcher.unexpected_css_references(css) == []
    referenced = set(fetcher.CSS_URL.findall(css))
    assert referenced and all(
        ref.startswith(("data:", "/assets/fonts/", "/assets/images/govuk-crest")) for ref in referenced
    )


def assert_council_neutral(body: str, where: str) -> None:
    lowered = body.lower()
    assert "gov.uk" not in lowered, where
    assert "crown" not in lowered and "crest" not in lowered, where
    assert "gds transport" not in lowered, where
    assert "govuk-header" not in body and "govuk-footer__copyright-logo" not in body, where
    assert "<svg" not in lowered, (
        where
    )  # the crown and the licence logo are inline SVGs in the package's templates
    # Nothing inline for the Content-Security-Policy to refuse.
    assert "<style" not in lowered and " style=" not in lowered, where
    for tag in re.findall(r"<script\b[^>]*>", body):
        assert " src=" in tag, (where, tag)
    assert '<link rel="stylesheet" href="/static/govuk/govuk-frontend.min.css">' in body, where
    assert '<script type="module" src="/static/govuk-init.js"></script>' in body, where


async def sign_out(client: TestClient) -> None:
    response = await client.post(
        "/sign-out", data={"csrf_token": csrf_from(await page(client, "/chat"))}, allow_redirects=False
    )
    assert response.status == 303


async def test_no_page_names_govuk_or_shows_a_crown(
    client: TestClient, store: Store, user: UserInfo, engine: FakeEngine
) -> None:
    assert_council_neutral(await page(client, "/sign-in"), "the sign-in page")
    assert_council_neutral(await page(client, "/sign-in?reason=signed-out"), "the signed-out page")
    no_token = await client.post("/sign-in", data={"username": "alice"}, allow_redirects=False)
    assert no_token.status == 403
    assert_council_neutral(await no_token.text(), "the form-refused page")
    wrong = await sign_in(client, "alice", "not the password")
    assert_council_neutral(await wrong.text(), "the sign-in page with an error")
    await sign_in(client, "alice", PASSWORD)
    assert_council_neutral(await page(client, "/chat"), "the home page before starting")
    path = await start_screening(client)
    assert_council_neutral(await page(client, path), "the chat page with a question")
    assert_council_neutral(await page(client, "/chat"), "the home page with a draft")
    refused = await post_chat(client, f"{path}/send", text="/submit")
    assert refused.status == 400
    assert_council_neutral(await refused.text(), "the chat page with an error")
    missing = await client.get("/chat/A-ZZZZZZ", allow_redirects=False)
    assert missing.status == 404
    assert_council_neutral(await missing.text(), "the home page saying there is no such assessment")
    store.assessments.submit(conversation_of(store, user.id, path))
    assert_council_neutral(await page(client, path), "a submitted assessment's page")
    await sign_out(client)
    store.users.create_user("lena", PASSWORD, "lead", "North team")
    await sign_in(client, "lena", PASSWORD)
    assert_council_neutral(await page(client, "/cases"), "the lead's case list")


async def test_the_cases_link_is_shown_to_exactly_the_roles_that_may_open_cases(
    client: TestClient, store: Store
) -> None:
    for role in ROLES:
        store.users.create_user(f"user-{role}", PASSWORD, role, "North team")
        await sign_in(client, f"user-{role}", PASSWORD)
        body = await page(client, "/chat")
        raises = role in {"practitioner", "trainer"}  # issue #26: only they raise concerns
        assert (role in roles_permitted(ROLE_RULES[Access.CONCERN_RAISERS])) == raises, role
        assert ('href="/chat"' in body) == raises, role
        assert ('action="/chat/start"' in body) == raises, role
        assert ('href="/practice"' in body) == raises, role  # issue #13: trainees practise too
        # The link, the route rule and the table agree (and the table says what the README says).
        reads_cases = role in {
            "practitioner",
            "lead",
            "trainer",
        }  # not admins, nor coordinators (figures only)
        assert (role in roles_permitted(ROLE_RULES[Access.CASE_READERS])) == reads_cases, role
        assert ('href="/cases"' in body) == reads_cases, role
        assert ('href="/reports"' in body) == (role in {"lead", "coordinator"}), role
        if raises:
            assert '<a class="govuk-service-navigation__link" href="/chat" aria-current="page">' in body
        await sign_out(client)


async def test_a_practice_run_carries_the_rehearsal_banner(
    client: TestClient, signed_in: TestClient, engine: FakeEngine, store: Store, user: UserInfo
) -> None:
    """Issue #26: a run's mode is fixed by how it starts: a screening is live whatever is said in it, and only
    a trainer's "Start a practice run" starts a practice run, which stays one."""
    path = await start_screening(signed_in)
    conversation = conversation_of(store, user.id, path)
    assert 'id="rehearsal-banner"' not in await page(signed_in, path)
    # Words in the chat never raise the banner, whoever says them: only the store's mode does.
    await post_chat(signed_in, f"{path}/send", text=REHEARSAL_LINE)
    assert 'id="rehearsal-banner"' not in await page(signed_in, path)
    assert store.assessments.assessment_mode(conversation) == "live"
    # Issue #13: without a scenario there is no practice run; the free control is gone.
    assert 'action="/chat/practice"' not in await page(signed_in, "/chat")
    assert len(practitioners(store).assessments_of(user.id)) == 1
    # A trainee's run from a scenario: marked with the scenario's title, its case card reopenable.
    practice = await start_practice_run(signed_in)
    body = await page(signed_in, practice)
    assert "Rehearsal - fictional case: A plan for Friday" in body and 'id="case-card"' in body
    assert "Thistlecombe College" in body[body.index('id="case-card"') :]
    assert practitioners(store).own_assessment(user.id, practice.rsplit("/", 1)[1]).scenario_id == (  # type: ignore[union-attr]
        "a_plan_for_friday"
    )
    await sign_out(signed_in)

    trainer = store.users.create_user("tara", PASSWORD, "trainer", "North team")
    await sign_in(client, "tara", PASSWORD)
    practice = await start_practice_run(client)
    body = await page(client, practice)
    # Right above the answers, where every reply brings the reader: from the very first question.
    banner = body[body.index('id="controls"') : body.index(f'action="{practice}/send"')]
    assert 'id="rehearsal-banner"' in banner and "Rehearsal - fictional case" in banner
    await post_chat(client, f"{practice}/send", text=LIVE_LINE)
    assert 'id="rehearsal-banner"' in await page(client, practice)
    [held] = practitioners(store).assessments_of(trainer.id)
    assert held.mode == "rehearsal"
    assert await start_screening(client) != practice  # the trainer's screenings are live runs
    assert {a.mode for a in practitioners(store).assessments_of(trainer.id)} == {"live", "rehearsal"}


def render(client: TestClient, source: str, **context: Any) -> str:
    """A snippet through the app's own template environment (autoescape and whitespace rules included)."""
    return str(aiohttp_jinja2.get_env(client.app).from_string(source).render(**context))


def test_component_macros_render_the_design_system_markup(client: TestClient) -> None:
    choices = render(
        client,
        '{% from "_macros.html" import radios, checkboxes %}'
        "{{ radios('pathway', 'Pathway', {'early_help': 'Early help', 'none': 'No further action'}, 'none',"
        " error='Choose a pathway') }}"
        "{{ checkboxes('bases', 'Lawful basis', [('a', 'A <b>'), ('b', 'B')], ['a', 'b'],"
        " hint='All that apply') }}",
    )
    assert '<div class="govuk-form-group govuk-form-group--error">' in choices
    assert '<fieldset class="govuk-fieldset" aria-describedby="pathway-error">' in choices
    assert (
        '<p id="pathway-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span>'
        in choices
    )
    # The first choice takes the field's own id, so an error summary link "#pathway" lands on it.
    assert 'id="pathway" name="pathway" type="radio" value="early_help">' in choices
    assert 'id="pathway-none" name="pathway" type="radio" value="none" checked>' in choices
    assert '<div class="govuk-radios" data-module="govuk-radios">' in choices
    assert (
        '<label class="govuk-label govuk-radios__label" for="pathway-none">No further action</label>'
        in choices
    )
    assert (
        'aria-describedby="bases-hint"' in choices
        and 'id="bases-hint" class="govuk-hint">All that apply' in choices
    )
    assert choices.count('type="checkbox"') == 2 and choices.count(" checked>") == 3
    assert "A &lt;b&gt;" in choices  # labels are text, escaped

    verbatim = "\n  leading newline, CRLF\r\nand <tags> kept"
    box = render(
        client,
        '{% from "_macros.html" import textarea %}{{ textarea("rationale", "Rationale", text, hint="Why") }}',
        text=verbatim,
    )
    assert (
        '<textarea class="govuk-textarea" id="rationale" name="rationale" rows="5"'
        ' aria-describedby="rationale-hint">' in box
    )
    assert textarea_text(box) == verbatim  # what a browser puts in the box is the text, exactly

    rows = render(
        client,
        '{% from "_macros.html" import summary_row, table, notification_banner, error_summary %}'
        '<dl class="govuk-summary-list">'
        '{% call summary_row("Status", id="status") %}<b>In review</b>{% endcall %}</dl>'
        '{{ table("Actions", ["Action", "Owner"], [["Visit", "Lead <x>"]], caption_hidden=True) }}'
        '{% call notification_banner("Success", "done", success=True) %}Saved{% endcall %}'
        '{{ error_summary(items=[("Enter a rationale", "#rationale"), ("Choose a pathway", "#pathway")]) }}',
    )
    assert '<div class="govuk-summary-list__row" id="status">' in rows
    assert '<dt class="govuk-summary-list__key">Status</dt>' in rows
    assert '<dd class="govuk-summary-list__value"><b>In review</b></dd>' in rows
    assert (
        '<caption class="govuk-table__caption govuk-table__caption--m govuk-visually-hidden">'
        "Actions</caption>" in rows
    )
    assert '<th scope="row" class="govuk-table__header">Visit</th>' in rows
    assert '<td class="govuk-table__cell">Lead &lt;x&gt;</td>' in rows
    assert 'class="govuk-notification-banner govuk-notification-banner--success" id="done"' in rows
    assert 'role="alert" aria-labelledby="done-title" data-module="govuk-notification-banner"' in rows
    assert '<li><a href="#rationale">Enter a rationale</a></li>' in rows
    assert '<li><a href="#pathway">Choose a pathway</a></li>' in rows


# -- in a real browser -------------------------------------------------------------------------------------


class Watch:
    """Every request the page makes, every static file that failed, and every console error (a script, style
    or font the policy refuses shows there). Refused forms answer 400 by design, so pages and form posts are
    not counted as failures, nor is the browser's note about their status."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.base_url = base_url
        self.requests: list[str] = []
        self.failures: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("requestfailed", lambda request: self.failures.append(request.url))
        page.on("response", self._response)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _response(self, response: Any) -> None:
        if "/static/" in response.url and response.status >= 400:
            self.failures.append(f"{response.status} {response.url}")

    def _console(self, message: Any) -> None:
        if message.type == "error" and "status of 400" not in message.text:
            self.errors.append(message.text)

    def assert_clean(self) -> None:
        assert not self.errors, (self.errors, self.requests)
        assert not self.failures, self.failures
        assert all(url.startswith(self.base_url) for url in self.requests), self.requests
        assert not [url for url in self.requests if "/assets/" in url or "/fonts/" in url], self.requests
        assert any(url.endswith("/static/govuk/govuk-frontend.min.js") for url in self.requests)


# What the browser drew: any element whose font names GDS Transport, and the page's text.
FONTS_IN_USE = (
    """() => [...new Set([...document.querySelectorAll("*")].map((el) => getComputedStyle(el).fontFamily))]"""
)


async def assert_drawn_council_neutral(page: Page, where: str) -> None:
    fonts = await page.evaluate(FONTS_IN_USE)
    assert not [font for font in fonts if "GDS Transport" in font], (where, fonts)
    assert "GOV.UK" not in await page.inner_text("body"), where
    assert await page.locator("svg, img").count() == 0, where
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(path=str(ARTIFACTS / f"{where.replace(' ', '-')}.png"), full_page=True)


async def test_the_pages_run_govuk_frontend_under_the_policy(
    browser: Browser, base_url: str, user: UserInfo, engine: FakeEngine, store: Store
) -> None:
    page = await (await browser.new_context()).new_page()  # no bypass_csp: the page's own policy applies
    watch = Watch(page, base_url)
    await page.goto(f"{base_url}/sign-in")
    assert "govuk-frontend-supported" in (await page.get_attribute("body", "class") or "")
    # govuk-frontend's module ran: its components mark the elements they started on.
    await expect(page.locator(".govuk-skip-link")).to_have_attribute("data-govuk-skip-link-init", "")
    await assert_drawn_council_neutral(page, "sign-in")

    await page.get_by_label("Username").fill("alice")
    await page.get_by_role("button", name="Sign in").click()
    summary = page.locator("#error-summary")
    await expect(summary).to_have_attribute("data-govuk-error-summary-init", "")
    await expect(summary).to_be_focused()
    await summary.get_by_role("link").click()  # govuk-frontend's handler: focus the field, show its label
    await expect(page.get_by_label("Username")).to_be_focused()

    store.users.create_user("tara", PASSWORD, "trainer", "North team")  # trainers start practice runs
    await page.get_by_label("Username").fill("tara")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await expect(page.get_by_role("heading", name="Your assessments")).to_be_visible()
    await expect(page.locator(".govuk-service-navigation")).to_have_attribute(
        "data-govuk-service-navigation-init", ""
    )
    await assert_drawn_council_neutral(page, "home")
    # Issue #13: a practice run starts from a scenario's case card.
    await page.get_by_role("button", name="Practise with a scenario").click()
    await page.get_by_role("link", name="A plan for Friday").click()
    await page.get_by_role("button", name="Start this practice run").click()  # a page of its own
    await expect(page.get_by_text(START_REPLIES[1])).to_be_visible()
    await page.evaluate("window.loadedOnce = true")

    # A practice run (fixed as practice when it started, issue #26): the banner is there from the first
    # question and comes back in place with the next reply (chat.js swaps it in with the controls), in view.
    await expect(page.get_by_role("region", name="Rehearsal")).to_be_visible()
    await page.get_by_label("Or type your answer").fill(REHEARSAL_LINE)
    await page.get_by_role("button", name="Send").click()
    banner = page.get_by_role("region", name="Rehearsal")
    await expect(banner).to_contain_text("Rehearsal - fictional case")
    await expect(banner).to_be_in_viewport()
    await expect(banner).to_have_attribute("data-govuk-notification-banner-init", "")
    await expect(page.locator("#choices button").first).to_be_focused()
    await assert_drawn_council_neutral(page, "chat-rehearsal")

    # A refused answer swapped in by chat.js: govuk-frontend starts on the new error summary too.
    await page.get_by_label("Or type your answer").fill("/submit")
    await page.get_by_role("button", name="Send").click()
    await expect(page.locator("#error-summary")).to_have_attribute("data-govuk-error-summary-init", "")
    await expect(page.locator("#error-summary")).to_be_focused()
    await page.locator("#error-summary a").click()
    await expect(page.get_by_label("Or type your answer")).to_be_focused()
    assert await page.evaluate("window.loadedOnce") is True

    assert engine.messages() == ["/start_assessment", REHEARSAL_LINE]
    watch.assert_clean()


async def test_the_rehearsal_banner_is_accessible(
    browser: Browser, base_url: str, user: UserInfo, engine: FakeEngine, store: Store
) -> None:
    page = await (await browser.new_context(bypass_csp=True)).new_page()  # bypass_csp: to inject axe-core
    await page.goto(f"{base_url}/sign-in")
    store.users.create_user("tara", PASSWORD, "trainer", "North team")  # trainers start practice runs
    await page.get_by_label("Username").fill("tara")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    # Issue #13: the scenario list and the case card, each checked, then the run it starts.
    await page.get_by_role("button", name="Practise with a scenario").click()
    await expect(page.get_by_role("heading", name="Practise with a scenario")).to_be_visible()
    await assert_accessible(page, "the scenario list")
    await page.get_by_role("link", name="A plan for Friday").click()
    await expect(page.get_by_role("heading", name="A plan for Friday")).to_be_visible()
    await assert_accessible(page, "a scenario's case card")
    await page.get_by_role("button", name="Start this practice run").click()
    await expect(page.get_by_text(START_REPLIES[1])).to_be_visible()
    await page.get_by_label("Or type your answer").fill(REHEARSAL_LINE)
    await page.get_by_role("button", name="Send").click()
    await expect(page.get_by_role("region", name="Rehearsal")).to_be_visible()
    await assert_accessible(page, "the chat page in a practice run")
    await page.get_by_role("button", name=BUTTONS[1]["title"], exact=True).click()
    await expect(page.get_by_role("region", name="Rehearsal")).to_be_visible()  # still there on the next turn


@pytest.mark.parametrize("javascript", [True, False], ids=["js-on", "js-off"])
async def test_the_chat_works_without_the_fetched_files(
    browser: Browser, base_url: str, user: UserInfo, engine: FakeEngine, javascript: bool
) -> None:
    """The decision for a machine where the fetch has not run: pages are unstyled but everything works."""
    page = await (await browser.new_context(java_script_enabled=javascript)).new_page()
    await page.route("**/static/govuk/**", lambda route: route.fulfill(status=404, body="not fetched"))
    await page.goto(f"{base_url}/sign-in")
    await page.get_by_label("Username").fill("alice")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()
    await page.get_by_role("button", name="Start a new screening").click()
    await expect(page.get_by_text(START_REPLIES[1])).to_be_visible()
    await page.get_by_label("Or type your answer").fill("line one\n  line two")
    await page.get_by_role("button", name="Send").click()
    await expect(page.get_by_text("Echo: line one")).to_be_visible()
    assert engine.messages() == ["/start_assessment", "line one\r\n  line two"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    await page.screenshot(
        path=str(ARTIFACTS / f"without-govuk-frontend-{'js-on' if javascript else 'js-off'}.png")
    )
