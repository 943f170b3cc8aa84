""" "What happened next" on the case page (issue #12): record information shared, an outcome, a review date.

Thin handlers, as in bot.web.review: read the form, call one ReviewService method, go back to the case with a
message; on bad input the case again, with the form as sent, an error summary and nothing saved.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.review.next_records import OutcomeIn, SharingIn
from bot.web.pages import form_text, form_texts
from bot.web.review import CASE_PATH, attempt

SHARING_PATH = CASE_PATH + "/sharing"
OUTCOMES_PATH = CASE_PATH + "/outcomes"
REVIEWS_PATH = CASE_PATH + "/reviews"
_SHARING_FIELDS = ("shared_what", "recipient", "partner", "shared_on", "method", "lawful_basis", "corrects")


async def record_sharing(request: web.Request) -> web.StreamResponse:
    post = await request.post()
    form = SharingIn(
        **form_texts(post, _SHARING_FIELDS),
        pathway=form_text(post.get("sharing_pathway")),
    )
    result = await attempt(request, lambda s, *a: s.record_sharing(*a, form), next_form={"sharing": form})
    return _back(request, result, "shared")


async def record_outcome(request: web.Request) -> web.StreamResponse:
    post = await request.post()
    # One select names the decision's pathway and the outcome together: "<pathway id>:<outcome key>".
    choice = form_text(post.get("outcome"))
    pathway, _, outcome = choice.partition(":")
    form = OutcomeIn(
        pathway=pathway,
        outcome=outcome,
        outcome_on=form_text(post.get("outcome_on")),
        note=form_text(post.get("note")),
        corrects=form_text(post.get("outcome_corrects")),
    )
    sent = {"outcome": {"choice": choice, **form.__dict__}}
    result = await attempt(request, lambda s, *a: s.record_outcome(*a, form), next_form=sent)
    return _back(request, result, "outcome")


async def set_review(request: web.Request) -> web.StreamResponse:
    review_on = form_text((await request.post()).get("review_on"))
    result = await attempt(
        request, lambda s, *a: s.set_review(*a, review_on), next_form={"review_on": review_on}
    )
    return _back(request, result, "review")


def _back(request: web.Request, result: Any, done: str) -> web.StreamResponse:
    if isinstance(result, web.StreamResponse):
        return result
    raise web.HTTPSeeOther(f"/cases/{request.match_info['case_id']}?done={done}#what-next")
