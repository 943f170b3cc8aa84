""" "Change identifying details" (issue #12): a lead corrects a case's identifying details on their own,
without making a document.

Thin handlers, as in bot.web.review_documents (whose refusals they share): read the form, call one
ReviewService method. The service decides who may (leads of the case's team only: others get 403 or "not
found") and checks the form (bad input: the form again, as sent, with a GOV.UK error summary and nothing
saved).
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.domain.errors import ConflictError, ValidationError
from bot.review.case_details import prefilled
from bot.review.detail_checks import DetailsIn
from bot.review.document_records import DETAIL_LABELS, DetailsVersion
from bot.web.pages import form_texts, render_page
from bot.web.review import CASE_PATH
from bot.web.review_documents import call_service

DETAILS_PATH = CASE_PATH + "/details"
_FIELDS = tuple(DETAIL_LABELS)


async def details_page(request: web.Request) -> web.StreamResponse:
    found = await call_service(request, lambda s, *a: s.details_form(*a))
    if isinstance(found, web.StreamResponse):
        return found
    if isinstance(found, ValidationError | ConflictError):  # a draft: nothing to correct yet
        return await _page(request, DetailsIn(), None, found.fields, status=409)
    shown = prefilled(found)
    form = DetailsIn(**{name: getattr(shown, name) for name in _FIELDS})
    return await _page(request, form, found, {})


async def change_details(request: web.Request) -> web.StreamResponse:
    post = await request.post()
    form = DetailsIn(**form_texts(post, _FIELDS))
    result = await call_service(request, lambda s, *a: s.change_details(*a, form))
    if isinstance(result, web.StreamResponse):
        return result
    if isinstance(result, ValidationError | ConflictError):
        current = await call_service(request, lambda s, *a: s.details_form(*a))
        version = current if isinstance(current, DetailsVersion) else None
        status = 400 if isinstance(result, ValidationError) else 409
        return await _page(request, form, version, result.fields, status=status)
    done = "details-unchanged" if result is None else "details-changed"
    raise web.HTTPSeeOther(f"/cases/{request.match_info['case_id']}?done={done}")


async def _page(
    request: web.Request,
    form: DetailsIn,
    current: DetailsVersion | None,
    errors: dict[str, str],
    *,
    status: int = 200,
) -> web.StreamResponse:
    context: dict[str, Any] = {
        "case_id": request.match_info["case_id"],
        "form": form,
        "details": current,
        "errors": errors,
    }
    return await render_page(request, "review/details.html", context, status=status)
