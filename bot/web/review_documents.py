""" "Documents to send" (issue #12): a lead enters identifying details and makes a Prevent referral, a
children's social care referral or a partner request from the decision; then downloads it as PDF or JSON.

Thin handlers, as in bot.web.review: read the form, call one ReviewService method. The service decides who
may (leads of the case's team only: others get 403 or "not found") and checks the form (bad input: the form
again, as sent, with a message per field and nothing saved).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from typing import Any

from aiohttp import web

from bot.domain.errors import ConflictError, ValidationError
from bot.domain.vocabulary import LAWFUL_BASES, SHARING_METHODS
from bot.review.case_details import prefilled
from bot.review.document_basis import note_for
from bot.review.document_content import to_json
from bot.review.document_pdf import render_document_pdf
from bot.review.document_records import DETAIL_LABELS, DocumentChoice, DocumentForm, DocumentIn, SentDocument
from bot.review.document_types import DOCUMENT_TYPES
from bot.review.partners import PARTNER_BY_KEY
from bot.web.case_calls import CaseCall, case_call
from bot.web.pages import form_text, form_texts, render_page
from bot.web.review import CASE_PATH

DOCUMENTS_PATH = CASE_PATH + "/documents"
DOCUMENT_PDF_PATH = DOCUMENTS_PATH + r"/{document_id:\d{1,9}}.pdf"
DOCUMENT_JSON_PATH = DOCUMENTS_PATH + r"/{document_id:\d{1,9}}.json"
_FIELDS = ("pathway", "method", "lawful_basis", "child_name", "date_of_birth", "address", "school", "carers")


async def documents_page(request: web.Request) -> web.StreamResponse:
    made = request.query.get("made", "")
    # ?pathway=<id> opens the form for one document, with that document's fields left out by default ticked.
    return await _page(
        request, None, {}, made=made if made.isdecimal() else "", pathway=request.query.get("pathway", "")
    )


async def make_document(request: web.Request) -> web.StreamResponse:
    post = await request.post()
    left_out = tuple(form_text(value) for value in post.getall("left_out", []))
    form = DocumentIn(**form_texts(post, _FIELDS), left_out=left_out)
    result = await call_service(request, lambda s, *a: s.make_document(*a, form))
    if isinstance(result, ValidationError | ConflictError):
        return await _page(
            request, form, result.fields, status=400 if isinstance(result, ValidationError) else 409
        )
    if isinstance(result, web.StreamResponse):
        return result
    raise web.HTTPSeeOther(f"/cases/{request.match_info['case_id']}/documents?made={result}")


async def document_pdf(request: web.Request) -> web.StreamResponse:
    document = await _read(request, "pdf")
    if isinstance(document, web.StreamResponse):
        return document
    pdf = await asyncio.to_thread(render_document_pdf, document)
    return web.Response(body=pdf, content_type="application/pdf", headers=_attachment(document, "pdf"))


async def document_json(request: web.Request) -> web.StreamResponse:
    document = await _read(request, "json")
    if isinstance(document, web.StreamResponse):
        return document
    body = json.dumps(to_json(document), ensure_ascii=False, indent=2)
    return web.Response(text=body, content_type="application/json", headers=_attachment(document, "json"))


async def _read(request: web.Request, format_: str) -> SentDocument | web.StreamResponse:
    document_id = int(request.match_info["document_id"])
    result = await call_service(request, lambda s, *a: s.read_document(*a, document_id, format_))
    if isinstance(result, ValidationError | ConflictError):  # a draft: nothing to send from yet
        return web.Response(text=result.message, status=409)
    return result


async def _page(
    request: web.Request,
    form: DocumentIn | None,
    errors: dict[str, str],
    *,
    status: int = 200,
    made: str = "",
    pathway: str = "",
) -> web.StreamResponse:
    """The form: as posted after a problem, else pre-filled with the case's identifying details and, for the
    document chosen (or the only one), with the fields its type leaves out by default ticked."""
    found = await call_service(request, lambda s, *a: s.document_form(*a))
    if isinstance(found, web.StreamResponse):
        return found
    if isinstance(found, ValidationError | ConflictError):  # a draft: nothing to send from yet
        errors, status = found.fields, 409
        found = DocumentForm((), None, "")
    choices = found.choices
    chosen = _chosen(choices, form.pathway if form is not None else pathway)
    defaults = DOCUMENT_TYPES[chosen.kind].left_out_by_default if chosen is not None else {}
    if form is None:
        form = replace(prefilled(found.details), pathway=str(chosen.pathway.id) if chosen else "")
        form = replace(form, left_out=tuple(defaults))
    context = {
        "case_id": request.match_info["case_id"],
        "form": form,
        "detail_labels": DETAIL_LABELS,
        "default_why": defaults,
        "default_title": _label(chosen) if chosen is not None else "",
        "with_defaults": _with_defaults(choices),
        "details": found.details,
        "basis_note": note_for(found.basis),
        "errors": errors,
        "choices": choices,
        "choice_items": {str(choice.pathway.id): _label(choice) for choice in choices},
        "sharing_methods": SHARING_METHODS,
        "lawful_bases": LAWFUL_BASES,
        "made": made,
    }
    return await render_page(request, "review/documents.html", context, status=status)


def _chosen(choices: tuple[DocumentChoice, ...], pathway: str) -> DocumentChoice | None:
    """The document the form is for: the one named, or the only one there is."""
    if len(choices) == 1:
        return choices[0]
    return next((choice for choice in choices if str(choice.pathway.id) == pathway), None)


def _with_defaults(choices: tuple[DocumentChoice, ...]) -> list[tuple[DocumentChoice, str, list[str]]]:
    """The documents that leave fields out by default: each with its label and those fields' labels."""
    return [
        (
            choice,
            _label(choice),
            [DETAIL_LABELS[name] for name in DOCUMENT_TYPES[choice.kind].left_out_by_default],
        )
        for choice in choices
        if DOCUMENT_TYPES[choice.kind].left_out_by_default
    ]


def _label(choice: DocumentChoice) -> str:
    partner = PARTNER_BY_KEY.get(choice.partner or "")
    return f"{choice.title}: {partner.name}" if partner else choice.title


async def call_service(request: web.Request, call: CaseCall) -> Any:
    """The service's answer; a refusal as the page to send (403 leads only, 404 not found), and a form
    problem (ValidationError, or ConflictError for a case not yet submitted) returned for the caller."""
    return await case_call(request, call, problems=(ValidationError, ConflictError))


def _attachment(document: SentDocument, extension: str) -> dict[str, str]:
    # The reference is letters, digits and hyphens only, and the kind a fixed key: safe in a header.
    name = f"case-{document.reference}-{document.kind.replace('_', '-')}-{document.id}.{extension}"
    return {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
