"""The review pages in the GOV.UK Design System's own component markup, as govuk-frontend's CSS and JavaScript
expect it: without the right classes and data-module attributes the page still works but the components do not
(no focus on the error summary, no pagination layout, no current page in the navigation).

Pages come from the real app over a real SQLite store; the many-pages case list is drawn through the app's own
template environment, since a real list that long would need hundreds of cases.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path

import aiohttp_jinja2
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from playwright.async_api import Browser, Page, expect
from review_helpers import PASSWORD, Case, csrf_from, make_case, page, post_form, tagged_answer

from bot.domain.records import UserInfo
from bot.questions import QuestionBank
from bot.review.records import CaseList, CaseSummary
from bot.review.services import PAGE_SIZE
from bot.store.services import Store
from bot.web.review import VOCABULARY
from tests.e2e.browser import Keyboard, Shots, new_context
from tests.web.axe import assert_accessible

AsUser = Callable[[str | None], Awaitable[TestClient]]
WEB = Path(__file__).resolve().parents[2] / "bot" / "web"
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


# -- a small reader for the served HTML ------------------------------------------------------------------


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list[Element] = field(default_factory=list)
    parts: list[str | Element] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    @property
    def text(self) -> str:
        """The text a screen reader gets from the markup (visually hidden text included), spaces folded."""
        return " ".join(self.raw_text.split())

    @property
    def raw_text(self) -> str:
        return "".join(part if isinstance(part, str) else part.raw_text for part in self.parts)

    def walk(self) -> Iterator[Element]:
        for child in self.children:
            yield child
            yield from child.walk()

    def all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Element]:
        """Every element below this one with that tag, class and attributes (trailing _ dropped: class_)."""
        wanted = {name.rstrip("_").replace("_", "-"): value for name, value in attrs.items()}
        return [
            element
            for element in self.walk()
            if (tag is None or element.tag == tag)
            and (cls is None or cls in element.classes)
            and all(element.attrs.get(name) == value for name, value in wanted.items())
        ]

    def one(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Element:
        found = self.all(tag, cls, **attrs)
        assert len(found) == 1, (tag, cls, attrs, len(found))
        return found[0]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.open[-1].children.append(element)
        self.open[-1].parts.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.open.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        while len(self.open) > 1:
            if self.open.pop().tag == tag:
                break

    def handle_data(self, data: str) -> None:
        self.open[-1].parts.append(data)


def read(body: str) -> Element:
    reader = _Reader()
    reader.feed(body)
    reader.close()
    return reader.root


def assert_cases_is_the_current_page(document: Element, where: str) -> None:
    active = document.all("li", cls="govuk-service-navigation__item--active")
    assert [item.text for item in active] == ["Cases"], where
    link = active[0].one("a")
    assert link.attrs["href"] == "/cases" and link.attrs.get("aria-current") == "page", where
    assert link.one("strong", cls="govuk-service-navigation__active-fallback").text == "Cases", where
    assert len(document.one("nav", aria_label="Menu").all(aria_current="page")) == 1, where  # not "Screening"


def assert_every_button_is_a_govuk_button(document: Element, where: str) -> None:
    """The page's own buttons; the service navigation's sign-out and menu toggle belong to base.html."""
    main = document.one("main")
    buttons = main.all("button")
    assert buttons, where
    for button in buttons:
        assert button.attrs.get("data-module") == "govuk-button", (where, button.text)
        assert "govuk-button" in button.classes and button.attrs.get("type") == "submit", (where, button.text)


# -- the case list -----------------------------------------------------------------------------------------


async def test_the_case_list_is_the_current_page_and_its_filters_are_design_system_controls(
    as_user: AsUser, cases: dict[str, Case]
) -> None:
    client = await as_user("north-lead")
    document = read(await page(client, "/cases"))
    assert_cases_is_the_current_page(document, "the case list")
    assert_every_button_is_a_govuk_button(document, "the case list")
    form = document.one("form", cls="app-filters")
    group = form.one("div", cls="govuk-button-group")
    assert [(child.tag, child.text) for child in group.children] == [
        ("button", "Apply filters"),
        ("a", "Clear filters"),
    ]
    assert group.one("a").attrs["href"] == "/cases" and "govuk-link" in group.one("a").classes
    for name in ("reference", "submitted_from", "submitted_to"):
        control = form.one("input", id=name)
        assert {"govuk-input", "govuk-input--width-10"} <= control.classes, name
    assert not document.all("nav", cls="govuk-pagination")  # two cases: one page, nothing to page through


async def test_a_long_case_list_pages_with_the_pagination_component_keeping_the_filters(
    as_user: AsUser,
    cases: dict[str, Case],
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
) -> None:
    # North's lead sees North's live cases: two from the fixture, and enough more for a second page.
    for _ in range(PAGE_SIZE + 1 - 2):
        make_case(store, bank, people["north-colleague"])
    client = await as_user("north-lead")

    first = read(await page(client, "/cases?sort=oldest"))
    nav = first.one("nav", cls="govuk-pagination")
    assert nav.attrs["aria-label"] == "Pages of cases"
    assert not nav.all(cls="govuk-pagination__prev")  # nothing before the first page
    next_link = nav.one("div", cls="govuk-pagination__next").one("a")
    assert {"govuk-link", "govuk-pagination__link"} <= next_link.classes
    assert next_link.attrs["rel"] == "next" and next_link.attrs["href"] == "/cases?sort=oldest&page=2"
    assert next_link.one("span", cls="govuk-pagination__link-title").text == "Next page"
    icon = next_link.one("svg", cls="govuk-pagination__icon--next")
    assert icon.attrs["aria-hidden"] == "true" and icon.attrs["focusable"] == "false"
    items = nav.one("ul", cls="govuk-pagination__list").all("li", cls="govuk-pagination__item")
    assert [item.text for item in items] == ["1", "2"]
    assert "govuk-pagination__item--current" in items[0].classes
    assert (
        items[0].one("a").attrs["aria-current"] == "page"
        and items[0].one("a").attrs["aria-label"] == "Page 1"
    )
    assert "aria-current" not in items[1].one("a").attrs
    assert items[1].one("a").attrs["href"] == "/cases?sort=oldest&page=2"

    second = read(await page(client, "/cases?sort=oldest&page=2"))
    assert_cases_is_the_current_page(second, "the case list, page 2")
    nav = second.one("nav", cls="govuk-pagination")
    assert not nav.all(cls="govuk-pagination__next")  # nothing after the last page
    previous = nav.one("div", cls="govuk-pagination__prev").one("a")
    assert previous.attrs["rel"] == "prev" and previous.attrs["href"] == "/cases?sort=oldest&page=1"
    assert previous.one("span", cls="govuk-pagination__link-title").text == "Previous page"
    current = nav.one("li", cls="govuk-pagination__item--current")
    assert current.text == "2" and current.one("a").attrs["aria-current"] == "page"
    assert len(second.one("table", id="cases").one("tbody").all("tr")) == 1


def render_list(app: web.Application, page_number: int, pages: int) -> Element:
    """The case list template, through the app's own environment, as page `page_number` of `pages`."""
    case = CaseSummary(
        1, "A-7F3K2Q", "live", "submitted", False, "north-practitioner", datetime(2026, 3, 1, tzinfo=UTC)
    )
    context = {
        "user": UserInfo(1, "north-lead", "lead", "North team"),
        "draft_key": "a-draft-key",  # what bot.web.pages gives a signed-in page (bot.web.held)
        "offer_second_factor": False,  # and whether to offer setting up a second factor (issue #32)
        "csrf_token": "token",
        "problem": None,
        "cases": CaseList((case,), PAGE_SIZE * pages, page_number, pages, ("live",)),
        "query": {"status": "submitted", "page": str(page_number)},
        "errors": {},
        **VOCABULARY,
    }
    template = aiohttp_jinja2.get_env(app).get_template("review/list.html")
    return read(template.render(**context))


def page_items(document: Element) -> list[str]:
    """The numbered items as shown: a number, "…" for a gap, and "[n]" for the current page."""
    shown = []
    for item in document.one("ul", cls="govuk-pagination__list").all("li"):
        if "govuk-pagination__item--ellipses" in item.classes:
            shown.append("…")
        elif "govuk-pagination__item--current" in item.classes:
            shown.append(f"[{item.text}]")
        else:
            shown.append(item.text)
    return shown


def test_many_pages_show_the_first_the_last_and_the_neighbours_of_the_current_one(
    app: web.Application,
) -> None:
    assert page_items(render_list(app, 5, 9)) == ["1", "…", "4", "[5]", "6", "…", "9"]
    assert page_items(render_list(app, 1, 9)) == ["[1]", "2", "…", "9"]
    assert page_items(render_list(app, 9, 9)) == ["1", "…", "8", "[9]"]
    assert page_items(render_list(app, 2, 3)) == ["1", "[2]", "3"]
    middle = render_list(app, 5, 9)
    for item in middle.all("li", cls="govuk-pagination__item"):
        if "govuk-pagination__item--ellipses" not in item.classes:
            link = item.one("a")
            assert link.attrs["href"] == f"/cases?status=submitted&page={item.text}", "the filters are kept"
            assert link.attrs["aria-label"] == f"Page {item.text}"
    ellipsis = middle.all("li", cls="govuk-pagination__item--ellipses")[0]
    assert ellipsis.text == "⋯" and not ellipsis.all("a")


async def test_a_filter_that_cannot_be_used_is_named_in_the_error_summary(
    as_user: AsUser, cases: dict[str, Case]
) -> None:
    client = await as_user("north-lead")
    body = await page(client, "/cases?status=nope&submitted_from=someday&page=0")
    assert "<title>Error: Cases" in body
    document = read(body)
    summary = document.one("div", cls="govuk-error-summary")
    assert summary.attrs["data-module"] == "govuk-error-summary"
    assert summary.attrs["tabindex"] == "-1" and "autofocus" in summary.attrs
    assert summary.one("div", role="alert").one("h2").text == "There is a problem"
    links = {link.text: link.attrs["href"] for link in summary.all("a")}
    # Each links to its own filter on this page (the case page's "status goes to the decision" is not here).
    assert links == {
        "Choose a status from the list": "#status",
        "Enter a real date, for example 27/3/2026": "#submitted_from",
    }
    assert document.one("select", id="status") and document.one("input", id="submitted_from")
    assert "govuk-select--error" in document.one("select", id="status").classes
    assert "govuk-input--error" in document.one("input", id="submitted_from").classes
    # The page number has no field of its own: named, not linked.
    [unlinked] = [item for item in summary.all("li") if not item.all("a")]
    assert unlinked.text == "That page does not exist; showing the first page"


# -- the case page -----------------------------------------------------------------------------------------


async def test_the_case_page_uses_the_design_system_components(
    as_user: AsUser, cases: dict[str, Case], store: Store
) -> None:
    case = cases["north-live"]
    client = await as_user("north-lead")
    # A tag on an answer, so that the page has a "Remove" button too.
    question_id, revision = tagged_answer(store, case)
    tagged = await client.post(
        f"/cases/{case.id}/tags",
        data={
            "csrf_token": csrf_from(await page(client, f"/cases/{case.id}")),
            "question_id": question_id,
            "revision": str(revision),
            "dimensions": "engagement",
            "note": "",
        },
        allow_redirects=False,
    )
    assert tagged.status == 303
    document = read(await page(client, f"/cases/{case.id}"))
    assert_cases_is_the_current_page(document, "the case page")
    assert_every_button_is_a_govuk_button(document, "the case page")
    texts = [button.text for button in document.one("main").all("button")]
    assert "Record the decision" in texts and any(
        text.startswith("Remove the Engagement tag") for text in texts
    )

    urgent = document.one("div", id="urgent")
    assert {"govuk-notification-banner", "app-urgent"} <= urgent.classes
    assert urgent.attrs["role"] == "region" and urgent.attrs["aria-labelledby"] == "urgent-title"
    assert urgent.attrs["data-module"] == "govuk-notification-banner"
    assert document.one(id="urgent-title").text == "Immediate danger was reported"

    form = document.one("form", id="decision-form")
    assert form.one("input", id="consent").attrs["type"] == "radio"
    assert form.one("input", id="pathways").attrs["type"] == "checkbox"  # a decision may combine pathways
    assert form.all("div", cls="govuk-radios", data_module="govuk-radios")
    assert all(
        box.attrs["data-module"] == "govuk-checkboxes" for box in form.all("div", cls="govuk-checkboxes")
    )
    # Each pathway reveals its own rationale, what is shared and owner when ticked.
    revealed = form.one("div", id="conditional-pathway-early_help")
    assert "govuk-checkboxes__conditional" in revealed.classes
    assert {"pathway-early_help-rationale", "pathway-early_help-shared"} == {
        box.attrs["id"] for box in revealed.all("textarea")
    }
    assert form.one("select", id="pathway-community_partner-partner")
    # Each action row is a fieldset of its own, named "Action N", with its due date a date-sized box.
    rows = form.all("fieldset", cls="app-action-row")
    assert len(rows) == VOCABULARY["action_rows"]
    for n, row in enumerate(rows, start=1):
        assert row.one("legend").text == f"Action {n}"
        assert row.attrs["aria-describedby"] == "actions-hint"
        assert {f"action-{n}-{part}" for part in ("description", "owner", "due")} == {
            control.attrs["id"] for control in row.all("input")
        }
        assert "govuk-input--width-10" in row.one("input", id=f"action-{n}-due").classes
    assert not [outer for outer in form.all("fieldset") if outer.all("fieldset")], (
        "no fieldset inside another"
    )
    for name in ("review_date", "feedback_given_on"):
        assert "govuk-input--width-10" in form.one("input", id=name).classes, name


async def test_decision_errors_use_the_error_summary_and_mark_each_field(
    as_user: AsUser, cases: dict[str, Case]
) -> None:
    case = cases["north-live"]
    client = await as_user("north-lead")
    response = await post_form(
        client, f"/cases/{case.id}/decision", [("action-1-description", "Call the school")]
    )
    assert response.status == 400
    body = await response.text()
    assert f"<title>Error: Case {case.reference}" in body
    document = read(body)
    assert_cases_is_the_current_page(document, "the case page with errors")
    summary = document.one("div", cls="govuk-error-summary")
    assert summary.attrs["data-module"] == "govuk-error-summary" and "autofocus" in summary.attrs
    hrefs = [link.attrs["href"] for link in summary.all("a")]
    assert {"#pathways", "#lawful_bases", "#consent", "#action-1-owner", "#action-1-due"} <= set(hrefs)
    for href in hrefs:  # every link lands on a control of the form
        assert document.one(id=href[1:]).tag in {"input", "textarea"}, href
    assert "govuk-input--error" in document.one("input", id="action-1-owner").classes
    assert document.one("input", id="action-1-description").attrs["value"] == "Call the school"


async def test_a_change_that_worked_is_told_in_a_success_notification_banner(
    as_user: AsUser, cases: dict[str, Case]
) -> None:
    case = cases["north-live"]
    client = await as_user("north-lead")
    assert "govuk-notification-banner--success" not in await page(client, f"/cases/{case.id}")
    decided = await post_form(
        client,
        f"/cases/{case.id}/decision",
        [
            ("pathways", "early_help"),
            ("pathway-early_help-rationale", "Worries at school and at home."),
            ("pathway-early_help-shared", "The concern and the family's details, to the early help team."),
            ("pathway-early_help-owner", "Early help coordinator"),
            ("lawful_bases", "art6_public_task"),
            ("consent", "given"),
        ],
    )
    assert decided.status == 303, await decided.text()
    document = read(await page(client, decided.headers["Location"]))
    banner = document.one("div", cls="govuk-notification-banner--success")
    assert "govuk-notification-banner" in banner.classes
    assert banner.attrs["role"] == "alert"
    assert banner.attrs["data-module"] == "govuk-notification-banner"
    title = banner.one("h2", cls="govuk-notification-banner__title")
    assert title.text == "Success" and banner.attrs["aria-labelledby"] == title.attrs["id"]
    assert banner.one(cls="govuk-notification-banner__heading").text == "The decision has been recorded."


# -- the other review pages ------------------------------------------------------------------------------


async def test_the_transcript_and_not_found_pages_mark_cases_as_current(
    as_user: AsUser, cases: dict[str, Case]
) -> None:
    client = await as_user("north-lead")
    case = cases["north-live"]
    assert_cases_is_the_current_page(
        read(await page(client, f"/cases/{case.id}/transcript")), "the transcript"
    )
    missing = read(await page(client, f"/cases/{cases['south-live'].id}", status=404))
    assert missing.one("h1").text == "Case not found"
    assert_cases_is_the_current_page(missing, "case not found")


def test_the_evidence_tag_classes_have_a_style_and_no_page_styles_itself_inline() -> None:
    css = (WEB / "static" / "app.css").read_text(encoding="utf-8")
    templates = WEB / "templates" / "review"
    used = set()
    for name in ("_evidence_tags.html", "_evidence_by_dimension.html"):
        text = (templates / name).read_text(encoding="utf-8")
        used |= set(re.findall(r"\b(app-(?:evidence-tags|dimension-evidence)[\w-]*)", text))
    assert used >= {"app-evidence-tags", "app-evidence-tags__list", "app-evidence-tags__item"}
    for name in sorted(used):
        assert re.search(rf"\.{re.escape(name)}(?![\w-])[^{{]*{{", css), f"{name} has no rule in app.css"
    for template in templates.glob("*.html"):
        if template.name != "pdf.html":  # the PDF is drawn by WeasyPrint, never served to a browser
            assert " style=" not in template.read_text(encoding="utf-8"), template.name


# -- in Chromium, with govuk-frontend's own script ---------------------------------------------------------


async def test_the_review_components_come_alive_and_pass_axe(
    request: pytest.FixtureRequest,
    browser: Browser,
    base_url: str,
    cases: dict[str, Case],
    store: Store,
    bank: QuestionBank,
    people: dict[str, UserInfo],
) -> None:
    for _ in range(PAGE_SIZE + 1 - 2):  # a second page of North's live cases
        make_case(store, bank, people["north-colleague"])
    shots = Shots(request)
    page_: Page = await (await new_context(browser)).new_page()
    keys = Keyboard(page_)
    await page_.goto(f"{base_url}/sign-in")
    await page_.get_by_label("Username").fill("north-lead")
    await page_.get_by_label("Password").fill(PASSWORD)
    await page_.get_by_role("button", name="Sign in").click()
    await expect(page_.get_by_role("button", name="Sign out")).to_be_visible()

    # The list: "Cases" is the current page, and the pages of cases are a navigation landmark of their own.
    await page_.goto(f"{base_url}/cases")
    menu = page_.get_by_role("navigation", name="Menu")
    await expect(menu.get_by_role("link", name="Cases")).to_have_attribute("aria-current", "page")
    pages = page_.get_by_role("navigation", name="Pages of cases")
    await expect(pages.get_by_role("link", name="Page 1")).to_have_attribute("aria-current", "page")
    await keys.reach(pages.get_by_role("link", name="Next page"))
    await assert_accessible(page_, "the case list, first of two pages")
    await shots.take(page_, "case-list-page-1")
    await page_.keyboard.press("Enter")
    await expect(page_).to_have_url(re.compile(r"/cases\?page=2$"))
    await expect(pages.get_by_role("link", name="Page 2")).to_have_attribute("aria-current", "page")
    await expect(pages.get_by_role("link", name="Previous page")).to_be_visible()

    # A tag through the case page's form: back at the answer, which shows its new tag; the banner says so too.
    case = cases["north-live"]
    question_id, _ = tagged_answer(store, case)
    await page_.goto(f"{base_url}/cases/{case.id}")
    tags = page_.locator(f"#tags-{question_id}")
    await tags.get_by_text("Tag this answer with a VAF dimension").click()
    await tags.get_by_label("Engagement").check()
    await tags.get_by_role("button", name=re.compile("^Save tags")).click()
    # The confirmation sits in the tagged answer's row and is the fragment's target, so the jump to it and
    # govuk-frontend's focus on the alert agree: it is in view, focused, and read out.
    banner = page_.locator(f"#answer-{question_id}").get_by_role("alert").filter(has_text="Success")
    await expect(page_.locator(":target")).to_have_attribute("id", "notice")
    await expect(banner).to_contain_text("The answer has been tagged.")
    await expect(banner).to_be_in_viewport()
    await expect(banner).to_be_focused()
    await expect(banner).to_have_attribute("data-govuk-notification-banner-init", "")
    urgent = page_.get_by_role("region", name="Immediate danger was reported")
    await expect(urgent).to_have_attribute("data-govuk-notification-banner-init", "")
    await expect(menu.get_by_role("link", name="Cases")).to_have_attribute("aria-current", "page")
    await keys.reach(tags.get_by_role("button", name=re.compile("^Remove the Engagement tag")))
    await assert_accessible(page_, "a case page with a tag and a success banner")
    await shots.take(page_, "case-with-a-tag")

    # A decision with nothing filled in: the error summary takes focus and its links lead to the fields.
    await page_.get_by_role("button", name="Record the decision").click()
    summary = page_.locator("#error-summary")
    await expect(summary).to_have_attribute("data-govuk-error-summary-init", "")
    await expect(summary).to_be_focused()
    await summary.get_by_role("link", name=re.compile("at least one pathway", re.IGNORECASE)).click()
    await expect(page_.locator("#pathways")).to_be_focused()
    await assert_accessible(page_, "a case page with decision errors")
    await shots.take(page_, "decision-errors")

    # The decision made: the success banner takes focus, so that it is read out first.
    await page_.get_by_role("group", name="Pathways").get_by_label("Early help", exact=True).check()
    await page_.locator("#pathway-early_help-rationale").fill("Worries at school and at home.")
    await page_.locator("#pathway-early_help-shared").fill("The concern, to the early help team.")
    await page_.locator("#pathway-early_help-owner").fill("Early help coordinator")
    await (
        page_.get_by_role("group", name="Lawful basis for recording and sharing")
        .locator("input")
        .first.check()
    )
    await page_.get_by_role("group", name="Consent", exact=True).locator("input").first.check()
    await page_.get_by_role("button", name="Record the decision").click()
    banner = page_.get_by_role("alert").filter(has_text="Success")
    await expect(banner).to_contain_text("The decision has been recorded.")
    await expect(banner).to_be_focused()
    await assert_accessible(page_, "a case page with its decision and a success banner")
    await shots.take(page_, "decided")
