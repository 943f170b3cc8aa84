"""The case page's "Child's case record and assignment" (issue #12): link the referral to the council's
case-record ID, unlink it, and assign it to a lead of the team.

Thin handlers, as in bot.web.review: read the form, call one ReviewService method, go back to the case with a
message; on bad input the case again, with the form as sent, an error summary and nothing changed.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.review.case_records import FIELD
from bot.review.child_links import ASSIGNEE_FIELD
from bot.web.pages import form_text
from bot.web.review import CASE_PATH, attempt

CASE_RECORD_PATH = CASE_PATH + "/case-record"
UNLINK_PATH = CASE_RECORD_PATH + "/remove"
ASSIGNMENT_PATH = CASE_PATH + "/assignment"


async def link_case_record(request: web.Request) -> web.StreamResponse:
    typed = form_text((await request.post()).get(FIELD))
    result = await attempt(
        request, lambda s, *a: s.link_case_record(*a, typed), next_form={"child": {FIELD: typed}}
    )
    return _back(request, result, "linked")


async def unlink_case_record(request: web.Request) -> web.StreamResponse:
    result = await attempt(request, lambda s, *a: s.unlink_case_record(*a))
    if isinstance(result, web.StreamResponse):
        return result
    return _back(request, result, "unlinked" if result else "unlink-unchanged")


async def assign_case(request: web.Request) -> web.StreamResponse:
    chosen = form_text((await request.post()).get(ASSIGNEE_FIELD))
    result = await attempt(
        request, lambda s, *a: s.assign_case(*a, chosen), next_form={"child": {ASSIGNEE_FIELD: chosen}}
    )
    if isinstance(result, web.StreamResponse):
        return result
    return _back(request, result, "assigned" if result is not None else "unassigned")


def _back(request: web.Request, result: Any, done: str) -> web.StreamResponse:
    if isinstance(result, web.StreamResponse):
        return result
    raise web.HTTPSeeOther(f"/cases/{request.match_info['case_id']}?done={done}#child")
