"""The chat pages: a practitioner's home page (their assessments) and one page per assessment.

Form post, then redirect, then a fresh page, so everything works with JavaScript off. A refused answer is not
redirected: the page is shown again straight away with the message and the typed text still in the box,
because the text can be far larger than a cookie could carry across a redirect.

The "Someone is in danger now" control is a form of its own on every chat page, so it works without
JavaScript and needs nothing typed.
"""

from __future__ import annotations

from aiohttp import web

from bot.chat.chat_view import ChatRefused, alike
from bot.chat.choosing import checkbox_options, exclusive_option
from bot.chat.where import where_stopped
from bot.domain.lifecycle import Mode
from bot.domain.limits import MAX_ANSWER_CHARS
from bot.domain.roles import Action, permits
from bot.domain.vocabulary import REFERRAL_STATUSES
from bot.web.chat_json import chat_response, wants_json
from bot.web.held import take_held_text
from bot.web.pages import form_text, render_page
from bot.web.state import CONVERSATIONS, USER

HOME = "/chat"
CHAT_PATH = "/chat/{reference}"


def chat_address(reference: str) -> str:
    """Where a reply lands: the start of the assistant's newest messages, with or without JavaScript."""
    return f"/chat/{reference}#latest"


async def home(request: web.Request) -> web.StreamResponse:
    return await _render_home(request)


async def start_new(request: web.Request) -> web.StreamResponse:
    """Start a new screening; if the engine is down the new draft's page says so, with a way to retry.

    The form carries how many new screenings (assessments adding to none) the home page listed (`known`),
    so that a double click or a second tab lands on the screening the first one started rather than opening
    another."""
    try:
        reference = await request.app[CONVERSATIONS].start_new(request[USER].id, known=await _known(request))
    except ChatRefused as refused:
        return await _render_refusal(request, None, refused)
    raise web.HTTPSeeOther(chat_address(reference))


async def report_danger_from_home(request: web.Request) -> web.StreamResponse:
    return await _report_danger(request, None)


async def chat_page(request: web.Request) -> web.StreamResponse:
    return await _render_chat(request, request.match_info["reference"])


async def start(request: web.Request) -> web.StreamResponse:
    reference = request.match_info["reference"]
    try:
        await request.app[CONVERSATIONS].start(request[USER].id, reference)
    except ChatRefused as refused:
        return await _render_chat(request, reference, refused)
    raise web.HTTPSeeOther(chat_address(reference))


async def send(request: web.Request) -> web.StreamResponse:
    # Only these fields are read: a sender id or payload posted alongside is never looked at.
    reference = request.match_info["reference"]
    form = await request.post()
    text, seen, button = form_text(form.get("text")), form_text(form.get("seen")), form.get("button")
    chat = request.app[CONVERSATIONS]
    try:
        if form.get("continue") is not None:  # the checkboxes of a multiple choice question
            picked = [form_text(value) for value in form.getall("chosen", [])]
            await chat.choose_many(request[USER].id, reference, picked, seen, typed=text)
        elif button is not None:
            await chat.choose(request[USER].id, reference, form_text(button), seen, typed=text)
        else:
            await chat.send_text(request[USER].id, reference, text, seen)
    except ChatRefused as refused:
        return await _render_chat(request, reference, refused, text)
    raise web.HTTPSeeOther(chat_address(reference))


async def report_danger(request: web.Request) -> web.StreamResponse:
    return await _report_danger(request, request.match_info["reference"])


async def add_to(request: web.Request) -> web.StreamResponse:
    """A submitted assessment is read-only: adding to it starts a new assessment linked to it."""
    reference = request.match_info["reference"]
    try:
        new = await request.app[CONVERSATIONS].start_new(
            request[USER].id, linked_from=reference, known=await _known(request)
        )
    except ChatRefused as refused:
        return await _render_refusal(request, reference, refused)
    raise web.HTTPSeeOther(chat_address(new))


async def _known(request: web.Request) -> str | None:
    """How many assessments like the one to open the posting page knew of (chat_view.alike); None from a
    form without the field."""
    known = (await request.post()).get("known")
    return None if known is None else form_text(known)


async def _report_danger(request: web.Request, reference: str | None) -> web.StreamResponse:
    try:
        held = await request.app[CONVERSATIONS].report_danger(request[USER].id, reference)
    except ChatRefused as refused:
        return await _render_refusal(request, reference, refused)
    raise web.HTTPSeeOther(chat_address(held))


async def _render_refusal(request: web.Request, reference: str | None, refused: ChatRefused) -> web.Response:
    """A refusal on the page of the assessment it concerns: one opened before it (the new draft, or the one
    holding a danger report) if any, else the one asked about, else the home page."""
    shown = refused.reference or reference
    if shown is None:
        return await _render_home(request, refused)
    return await _render_chat(request, shown, refused)


async def _render_home(request: web.Request, refused: ChatRefused | None = None) -> web.Response:
    assessments = await request.app[CONVERSATIONS].assessments(request[USER].id)
    bank = request.app[CONVERSATIONS].bank
    context = {
        "drafts": [(a, where_stopped(bank, a)) for a in assessments if not a.submitted],
        "submitted_assessments": [a for a in assessments if a.submitted],
        "known": len(alike(assessments, None)),
        "can_practise": permits(request[USER].role, Action.START_PRACTICE_RUNS),
        "can_raise": permits(request[USER].role, Action.RAISE_CONCERNS),
        "review_statuses": REFERRAL_STATUSES,
        "problem": refused.message if refused else None,
    }
    return await render_page(request, "chat_home.html", context, status=refused.status if refused else 200)


async def _render_chat(
    request: web.Request, reference: str, refused: ChatRefused | None = None, text: str = ""
) -> web.Response:
    chat = request.app[CONVERSATIONS]
    try:
        view = await chat.view(request[USER].id, reference)
    except ChatRefused as missing:
        return await _render_home(request, missing)
    many = checkbox_options(chat.bank, view.assessment, view.choices) if not view.read_only else ()
    exclusive = exclusive_option(chat.bank, view.assessment, view.choices)
    if wants_json(request):  # `bot shell` (bot.web.chat_json): the same view, no held text taken
        status = refused.status if refused else 200
        return chat_response(view, many, exclusive, refused.message if refused else None, status)
    # A message posted after the session ended goes back in the box, once, with a line saying so (issue 17).
    kept = None
    if refused is None and not text and view.messages and not view.read_only:
        kept = await take_held_text(request, view.reference)
    # For "Add to this assessment" (see start_new): only a submitted assessment's page offers it.
    known = None
    if view.read_only:
        known = len(alike(await request.app[CONVERSATIONS].assessments(request[USER].id), view.reference))
    context = {
        "view": view,
        "scenario": _scenario_card(request, view.assessment.scenario_id),
        "many": many,
        "exclusive": exclusive,
        "known": known,
        "where": where_stopped(chat.bank, view.assessment) if not view.read_only else None,
        "problem": refused.message if refused else None,
        "text": text if kept is None else kept,
        "kept": kept is not None,
        "max_chars": MAX_ANSWER_CHARS,
        "moved": request.query.get("moved") == Mode.LIVE,  # just moved from practice to live (issue #13)
    }
    return await render_page(request, "chat.html", context, status=refused.status if refused else 200)


def _scenario_card(request: web.Request, scenario_id: str | None) -> dict[str, object] | None:
    """A practice run's scenario, for its banner and the case card it can reopen (issue #13)."""
    from bot.web import practice  # the practice pages import this module's chat_address

    scenario = request.app[CONVERSATIONS].scenario(scenario_id) if scenario_id is not None else None
    if scenario is None:
        return None
    return {
        "title": scenario.title,
        "scenario": scenario,
        "setting": practice.SETTING_NAMES[scenario.setting],
        "paragraphs": practice.card_paragraphs(scenario),
    }
