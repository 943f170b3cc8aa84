"""The lead's review pages: the case list, the case page, and the decision and status forms.

Handlers stay thin: read the request, call one ReviewService method (off the event loop: it is synchronous
SQLAlchemy), render. Scope, audit and validation all live in bot.review.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from multidict import MultiDictProxy

from bot.review.filters import parse_filters
from bot.review.pdf import render_pdf
from bot.review.queries import LOCAL_ZONE
from bot.review.records import ActionIn, DecisionIn
from bot.review.services import ReviewService
from bot.review.vocabulary import (
    CONSENT_DECISIONS,
    HISTORY_LABELS,
    LAWFUL_BASES,
    PATHWAYS,
    REFERRAL_STATUSES,
)
from bot.store.errors import ConflictError, NotFoundError, ValidationError
from bot.web.pages import form_text, render_page
from bot.web.state import USER

REVIEW = web.AppKey("review", ReviewService)
# A change to a case: called with the service, the user's id, their address and the case id.
Change = Callable[[ReviewService, int, str, int], None]
ACTION_ROWS = 3
CASE_PATH = r"/cases/{case_id:\d{1,9}}"
VOCABULARY = {
    "pathways": PATHWAYS,
    "lawful_bases": LAWFUL_BASES,
    "consent_decisions": CONSENT_DECISIONS,
    "statuses": REFERRAL_STATUSES,
    "history_labels": HISTORY_LABELS,
    "action_rows": ACTION_ROWS,
}


def setup(app: web.Application, service: ReviewService) -> None:
    """Give the pages the review service and the date formats they use (times shown in UK local time)."""
    app[REVIEW] = service
    filters = aiohttp_jinja2.get_env(app).filters
    filters["local_time"] = _local_time
    filters["day"] = _day


async def case_list(request: web.Request) -> web.StreamResponse:
    filters, problems = parse_filters(request.query, today=_today())
    cases = await asyncio.to_thread(
        request.app[REVIEW].list_cases, request[USER].id, _address(request), filters
    )
    context = {"cases": cases, "query": dict(request.query), "errors": problems, **VOCABULARY}
    return await render_page(request, "review/list.html", context)


async def case_page(request: web.Request) -> web.StreamResponse:
    return await _render_case(request, DecisionIn(), {}, notice=_notice(request.query.get("done")))


async def transcript_page(request: web.Request) -> web.StreamResponse:
    case_id = int(request.match_info["case_id"])
    try:
        case = await asyncio.to_thread(
            request.app[REVIEW].open_transcript, request[USER].id, _address(request), case_id
        )
    except NotFoundError:
        return await render_page(request, "review/not_found.html", {}, status=404)
    return await render_page(request, "review/transcript.html", {"case": case, **VOCABULARY})


async def export_json(request: web.Request) -> web.StreamResponse:
    data = await _export(request, "json")
    if isinstance(data, web.StreamResponse):
        return data
    body = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    return web.Response(
        body=body.encode("utf-8"),
        content_type="application/json",
        charset="utf-8",
        headers=_attachment(data, "json"),
    )


async def export_pdf(request: web.Request) -> web.StreamResponse:
    data = await _export(request, "pdf")
    if isinstance(data, web.StreamResponse):
        return data
    pdf = await asyncio.to_thread(render_pdf, data, request.app[REVIEW].bank)
    return web.Response(body=pdf, content_type="application/pdf", headers=_attachment(data, "pdf"))


async def _export(request: web.Request, format_: str) -> dict[str, Any] | web.StreamResponse:
    case_id = int(request.match_info["case_id"])
    try:
        return await asyncio.to_thread(
            request.app[REVIEW].export_case, request[USER].id, _address(request), case_id, format_
        )
    except NotFoundError:
        return await render_page(request, "review/not_found.html", {}, status=404)


def _attachment(data: dict[str, Any], extension: str) -> dict[str, str]:
    # The reference is letters, digits and hyphens only, so it is safe in a header as it stands.
    name = f"case-{data['assessment']['reference']}.{extension}"
    return {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}


async def record_decision(request: web.Request) -> web.StreamResponse:
    form = _decision_form(await request.post())
    return await _change(request, "decision", form, lambda s, *a: s.record_decision(*a, form))


async def close_case(request: web.Request) -> web.StreamResponse:
    return await _change(request, "closed", DecisionIn(), lambda s, *a: s.close_case(*a))


async def reopen_case(request: web.Request) -> web.StreamResponse:
    reason = form_text((await request.post()).get("reason"))
    return await _change(request, "reopened", DecisionIn(), lambda s, *a: s.reopen_case(*a, reason), reason)


async def _change(
    request: web.Request, done: str, form: DecisionIn, call: Change, reason: str = ""
) -> web.StreamResponse:
    """Run one change; on a problem, show the case again with the form as sent and a message per field."""
    case_id = int(request.match_info["case_id"])
    service = request.app[REVIEW]
    try:
        await asyncio.to_thread(call, service, request[USER].id, _address(request), case_id)
    except ValidationError as problem:
        return await _render_case(request, form, problem.fields, status=400, reason=reason)
    except ConflictError as problem:
        return await _render_case(request, form, problem.fields, status=409, reason=reason)
    except NotFoundError:
        return await render_page(request, "review/not_found.html", {}, status=404)
    raise web.HTTPSeeOther(f"/cases/{case_id}?done={done}")


async def _render_case(
    request: web.Request,
    form: DecisionIn,
    errors: dict[str, str],
    *,
    status: int = 200,
    notice: str | None = None,
    reason: str = "",
) -> web.StreamResponse:
    case_id = int(request.match_info["case_id"])
    try:
        case = await asyncio.to_thread(
            request.app[REVIEW].open_case, request[USER].id, _address(request), case_id
        )
    except NotFoundError:
        return await render_page(request, "review/not_found.html", {}, status=404)
    context = {
        "case": case,
        "form": form,
        "errors": errors,
        "reason": reason,
        "notice": notice,
        "problem": bool(errors) or None,
        **VOCABULARY,
    }
    return await render_page(request, "review/case.html", context, status=status)


def _decision_form(post: MultiDictProxy[Any]) -> DecisionIn:
    actions = tuple(
        ActionIn(
            description=form_text(post.get(f"action-{n}-description")),
            owner=form_text(post.get(f"action-{n}-owner")),
            due_date=form_text(post.get(f"action-{n}-due")),
        )
        for n in range(1, ACTION_ROWS + 1)
    )
    return DecisionIn(
        pathway=form_text(post.get("pathway")),
        rationale=form_text(post.get("rationale")),
        lawful_bases=tuple(value for value in post.getall("lawful_bases", []) if isinstance(value, str)),
        consent=form_text(post.get("consent")),
        consent_reason=form_text(post.get("consent_reason")),
        review_date=form_text(post.get("review_date")),
        feedback=form_text(post.get("feedback")),
        feedback_given_on=form_text(post.get("feedback_given_on")),
        actions=actions,
    )


def _notice(done: str | None) -> str | None:
    return {
        "decision": "The decision has been recorded.",
        "closed": "The case has been closed.",
        "reopened": "The case has been reopened and is in review again.",
    }.get(done or "")


def _address(request: web.Request) -> str:
    return request.remote or "unknown"


def _today() -> date:
    return datetime.now(LOCAL_ZONE).date()


def _local_time(value: datetime | None) -> str:
    if value is None:
        return ""
    local = value.astimezone(LOCAL_ZONE)
    return f"{local.day} {local:%B %Y}, {local:%H:%M}"


def _day(value: date | None) -> str:
    return "" if value is None else f"{value.day} {value:%B %Y}"
