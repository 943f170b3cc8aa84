"""The lead's review pages: the case list, the case page, the decision and status forms, VAF tagging, and
"Record what you did" and "Stand down the urgent flag" on an urgent case (submitted or not yet).

Handlers stay thin: read the request, call one ReviewService method (off the event loop: it is synchronous
SQLAlchemy), render. Scope, audit and validation all live in bot.review.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from multidict import MultiDictProxy

from bot.domain.audit_actions import LABELS as AUDIT_LABELS
from bot.domain.errors import ConflictError, ValidationError
from bot.domain.local_time import LOCAL_ZONE
from bot.domain.pathways import PATHWAY_BY_KEY, PATHWAY_LIST, outcome_label
from bot.domain.roles import Action, permits
from bot.domain.vocabulary import (
    CASE_STATUSES,
    CONSENT_DECISIONS,
    LAWFUL_BASES,
    MAX_TAG_NOTE_CHARS,
    NOTICE_CHANNELS,
    NOTICE_PURPOSES,
    NOTICE_STATES,
    PATHWAYS,
    REVIEW_DUE_SOON_DAYS,
    REVIEW_SOURCES,
    REVIEW_STATES,
    SHARING_METHODS,
    URGENT_UNSUBMITTED,
    VAF_DIMENSIONS,
)
from bot.review.case_json import to_json
from bot.review.case_records import CASE_RECORD_FORMAT
from bot.review.filters import parse_filters
from bot.review.formats import day, day_range, local_time, waited
from bot.review.forms import ActionIn, DecisionIn, TagIn
from bot.review.partners import PARTNERS
from bot.review.pathway_records import PathwayIn
from bot.review.pdf import render_pdf
from bot.review.records import ASSIGNED_TO_ME, CaseDocument, CaseFilters
from bot.review.services import ReviewService
from bot.review.short_forms import RESPONSE_FIELD, STAND_DOWN_FIELD
from bot.web.case_calls import REVIEW, CaseCall, case_call
from bot.web.client_address import client_address
from bot.web.pages import form_text, render_page
from bot.web.review_messages import notice_for
from bot.web.state import USER

ACTION_ROWS = 3
PATHWAY_FIELDS = ("rationale", "shared", "owner", "partner")
CASE_PATH = r"/cases/{case_id:\d{1,9}}"
TAGS_PATH = CASE_PATH + "/tags"
TAG_REMOVE_PATH = TAGS_PATH + r"/{tag_id:\d{1,9}}/remove"
URGENT_RESPONSES_PATH = CASE_PATH + "/urgent-responses"
STAND_DOWN_PATH = CASE_PATH + "/urgent-stand-down"
ASSIGNED_TO_ME_FIRST = CaseFilters(assigned=ASSIGNED_TO_ME, by_waiting=True)
VOCABULARY = {
    "pathways": PATHWAYS,
    "pathway_list": PATHWAY_LIST,
    "partners": PARTNERS,
    "partner_names": {partner.key: partner.name for partner in PARTNERS},
    "lawful_bases": LAWFUL_BASES,
    "consent_decisions": CONSENT_DECISIONS,
    "statuses": CASE_STATUSES,
    "urgent_unsubmitted": URGENT_UNSUBMITTED,
    "notice_channels": NOTICE_CHANNELS,
    "notice_purposes": NOTICE_PURPOSES,
    "notice_states": NOTICE_STATES,
    "response_field": RESPONSE_FIELD,
    "stand_down_field": STAND_DOWN_FIELD,
    "history_labels": AUDIT_LABELS,
    "action_rows": ACTION_ROWS,
    "dimensions": VAF_DIMENSIONS,
    "max_tag_note": MAX_TAG_NOTE_CHARS,
    # Issue #12: what happened next.
    "sharing_methods": SHARING_METHODS,
    "review_states": REVIEW_STATES,
    "review_sources": REVIEW_SOURCES,
    "outcome_label": outcome_label,
    "outcome_options": lambda key: [(o.key, o.label) for o in PATHWAY_BY_KEY[key].outcomes],
    "case_record_example": CASE_RECORD_FORMAT.example,  # issue #12: the case-record ID's hint
}


def setup(app: web.Application, service: ReviewService) -> None:
    """Give the pages the review service and the date formats they use (times shown in UK local time)."""
    app[REVIEW] = service
    filters = aiohttp_jinja2.get_env(app).filters
    filters["local_time"] = local_time
    filters["day"] = day
    filters["day_range"] = day_range
    filters["waited"] = waited


async def case_list(request: web.Request) -> web.StreamResponse:
    filters, problems = parse_filters(request.query, today=_today())
    cases = await asyncio.to_thread(
        request.app[REVIEW].list_cases, request[USER].id, _address(request), filters
    )
    today = _today()
    # Issue #12: a lead's home page shows what is assigned to them, longest waiting first.
    mine = None
    if not request.query and permits(request[USER].role, Action.ASSIGN_CASES):
        mine = await asyncio.to_thread(
            request.app[REVIEW].list_cases, request[USER].id, _address(request), ASSIGNED_TO_ME_FIRST
        )
    context = {
        "cases": cases,
        "mine": mine,
        "query": dict(request.query),
        "errors": problems,
        "today": today,
        "review_due_by": today + timedelta(days=REVIEW_DUE_SOON_DAYS),  # issue #12: the list's review tag
        **VOCABULARY,
    }
    return await render_page(request, "review/list.html", context)


async def case_page(request: web.Request) -> web.StreamResponse:
    at = request.query.get("at", "")
    return await _render_case(
        request,
        DecisionIn(),
        {},
        notice=notice_for(request.query.get("done")),
        notice_at=at if _QUESTION_ID.fullmatch(at) else None,
    )


# A tag's confirmation is shown beside the answer it changed, and the redirect's fragment is that notice:
# the browser's jump to the fragment and govuk-frontend's focus on the alert land on the same element, so a
# screen reader hears it and the lead keeps their place among the answers.
_QUESTION_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.\-]{0,99}")


def _back_to_answer(case_id: str, done: str, question_id: str) -> web.HTTPSeeOther:
    if not _QUESTION_ID.fullmatch(question_id):
        return web.HTTPSeeOther(f"/cases/{case_id}?done={done}")
    return web.HTTPSeeOther(f"/cases/{case_id}?done={done}&at={question_id}#notice")


async def transcript_page(request: web.Request) -> web.StreamResponse:
    case = await case_call(request, ReviewService.open_transcript)
    if isinstance(case, web.StreamResponse):
        return case
    return await render_page(request, "review/transcript.html", {"case": case, **VOCABULARY})


async def export_json(request: web.Request) -> web.StreamResponse:
    document = await _export(request, "json")
    if isinstance(document, web.StreamResponse):
        return document
    body = json.dumps(to_json(document), ensure_ascii=False, indent=2) + "\n"
    return web.Response(
        body=body.encode("utf-8"),
        content_type="application/json",
        charset="utf-8",
        headers=_attachment(document, "json"),
    )


async def export_pdf(request: web.Request) -> web.StreamResponse:
    document = await _export(request, "pdf")
    if isinstance(document, web.StreamResponse):
        return document
    pdf = await asyncio.to_thread(render_pdf, document)
    return web.Response(body=pdf, content_type="application/pdf", headers=_attachment(document, "pdf"))


async def _export(request: web.Request, format_: str) -> CaseDocument | web.StreamResponse:
    return await case_call(request, lambda s, *a: s.export_case(*a, format_))


def _attachment(document: CaseDocument, extension: str) -> dict[str, str]:
    # The reference is letters, digits and hyphens only, so it is safe in a header as it stands.
    name = f"case-{document.reference}.{extension}"
    return {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}


async def record_decision(request: web.Request) -> web.StreamResponse:
    form = _decision_form(await request.post())
    return await _change(request, "decision", form, lambda s, *a: s.record_decision(*a, form))


async def close_case(request: web.Request) -> web.StreamResponse:
    return await _change(request, "closed", DecisionIn(), lambda s, *a: s.close_case(*a))


async def reopen_case(request: web.Request) -> web.StreamResponse:
    reason = form_text((await request.post()).get("reason"))
    return await _change(request, "reopened", DecisionIn(), lambda s, *a: s.reopen_case(*a, reason), reason)


async def ask_for_full_assessment(request: web.Request) -> web.StreamResponse:
    """A lead sends a Request for Support back for the full assessment, with an optional message (#12)."""
    message = form_text((await request.post()).get("message"))
    result = await attempt(
        request, lambda s, *a: s.ask_for_full_assessment(*a, message), full_message=message
    )
    if isinstance(result, web.StreamResponse):
        return result
    raise web.HTTPSeeOther(f"/cases/{request.match_info['case_id']}?done=full-asked")


async def add_tags(request: web.Request) -> web.StreamResponse:
    post = await request.post()
    form = TagIn(
        question_id=form_text(post.get("question_id")),
        revision=form_text(post.get("revision")),
        dimensions=tuple(value for value in post.getall("dimensions", []) if isinstance(value, str)),
        note=form_text(post.get("note")),
    )
    result = await attempt(request, lambda s, *a: s.tag_evidence(*a, form), tag_form=form)
    if isinstance(result, web.StreamResponse):
        return result
    done = "tagged" if result.added else "tag-unchanged"
    raise _back_to_answer(request.match_info["case_id"], done, result.question_id)


async def remove_tag(request: web.Request) -> web.StreamResponse:
    tag_id = int(request.match_info["tag_id"])
    # Which answer the button sat beside: only where to show the confirmation, never what is removed.
    beside = form_text((await request.post()).get("question_id"))
    result = await attempt(request, lambda s, *a: s.remove_tag(*a, tag_id))
    if isinstance(result, web.StreamResponse):
        return result
    done = "untagged" if result else "untag-unchanged"
    raise _back_to_answer(request.match_info["case_id"], done, beside)


async def record_urgent_response(request: web.Request) -> web.StreamResponse:
    """A lead's "Record what you did" on an urgent case; back to the case, where it is listed."""
    return await _urgent_form(
        request, RESPONSE_FIELD, "response", ReviewService.record_urgent_response, "responded"
    )


async def stand_down_urgent_flag(request: web.Request) -> web.StreamResponse:
    """A lead's "Stand down the urgent flag", with their reason; back to the case, where it is shown."""
    return await _urgent_form(
        request, STAND_DOWN_FIELD, "stand_down", ReviewService.stand_down_urgent_flag, "stood-down"
    )


async def _urgent_form(
    request: web.Request, field: str, kept_as: str, write: Callable[..., None], done: str
) -> web.StreamResponse:
    """One lead's text on an urgent case, as typed; on a problem the case again with the text kept in the
    form (`kept_as`: its name in the page's context), else back to the case with `done`."""
    text = form_text((await request.post()).get(field))
    result = await attempt(request, lambda s, *a: write(s, *a, text), **{kept_as: text})
    if isinstance(result, web.StreamResponse):
        return result
    raise web.HTTPSeeOther(f"/cases/{request.match_info['case_id']}?done={done}")


async def _change(
    request: web.Request, done: str, form: DecisionIn, call: CaseCall, reason: str = ""
) -> web.StreamResponse:
    """Run one change and go back to the case with a success message (see attempt for problems)."""
    result = await attempt(request, call, form=form, reason=reason)
    if isinstance(result, web.StreamResponse):
        return result
    raise web.HTTPSeeOther(f"/cases/{request.match_info['case_id']}?done={done}")


async def attempt(
    request: web.Request,
    call: CaseCall,
    *,
    form: DecisionIn | None = None,
    reason: str = "",
    tag_form: TagIn | None = None,
    response: str = "",
    stand_down: str = "",
    next_form: dict[str, Any] | None = None,
    full_message: str = "",
) -> Any:
    """Run one change and return what it returned; on a problem, the response to send instead: the case again
    with the form as sent and a message per field, "not found", or "leads only"."""
    form = form or DecisionIn()
    sent = {
        "reason": reason,
        "tag_form": tag_form,
        "response": response,
        "stand_down": stand_down,
        "next_form": next_form,
        "full_message": full_message,
    }
    result = await case_call(request, call, problems=(ValidationError, ConflictError))
    if isinstance(result, ValidationError):
        return await _render_case(request, form, result.fields, status=400, **sent)
    if isinstance(result, ConflictError):
        return await _render_case(request, form, result.fields, status=409, **sent)
    return result


async def _render_case(
    request: web.Request,
    form: DecisionIn,
    errors: dict[str, str],
    *,
    status: int = 200,
    notice: str | None = None,
    notice_at: str | None = None,
    reason: str = "",
    tag_form: TagIn | None = None,
    response: str = "",
    stand_down: str = "",
    next_form: dict[str, Any] | None = None,
    full_message: str = "",
) -> web.StreamResponse:
    case = await case_call(request, ReviewService.open_case)
    if isinstance(case, web.StreamResponse):
        return case
    context = {
        "case": case,
        "form": form,
        "errors": errors,
        "reason": reason,
        "tag_form": tag_form,
        "response": response,
        "stand_down": stand_down,
        "full_message": full_message,
        "next_form": next_form,  # what happened next: the form as sent back (bot.web.review_next)
        "notice": notice,
        "notice_at": notice_at if notice else None,
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
    # Each ticked pathway's own fields are named pathway-<key>-<field>; an unticked one's are not read.
    ticked = dict.fromkeys(value for value in post.getall("pathways", []) if isinstance(value, str))
    pathways = tuple(
        PathwayIn(
            key=key,
            **{part: form_text(post.get(f"pathway-{key}-{part}")) for part in PATHWAY_FIELDS},
        )
        for key in ticked
    )
    return DecisionIn(
        pathways=pathways,
        lawful_bases=tuple(value for value in post.getall("lawful_bases", []) if isinstance(value, str)),
        consent=form_text(post.get("consent")),
        consent_reason=form_text(post.get("consent_reason")),
        review_date=form_text(post.get("review_date")),
        feedback=form_text(post.get("feedback")),
        feedback_given_on=form_text(post.get("feedback_given_on")),
        actions=actions,
    )


def _address(request: web.Request) -> str:
    return client_address(request)


def _today() -> date:
    return datetime.now(LOCAL_ZONE).date()
