"""Practise with a scenario (issue #13): the list of fictional scenarios, a scenario's case card, and starting
a practice run from it. Thin handlers: the library is bot.scenarios, the run is opened by the chat (the store
fixes its mode and records the scenario).

Without a scenario there is no practice run: this page is the only way one starts.
"""

from __future__ import annotations

from aiohttp import web

from bot.chat.chat_view import ChatRefused, alike
from bot.scenarios import Scenario
from bot.scenarios.case_card import SETTING_NAMES, card_paragraphs
from bot.web.chat import chat_address
from bot.web.pages import form_text, render_page
from bot.web.state import CONVERSATIONS, USER

LIST_PATH = "/practice"
CARD_PATH = "/practice/{scenario}"


def library(request: web.Request) -> dict[str, Scenario]:
    """The library by id, as the conversations read it: against the app's one bank provider, so a practice
    page never checks a scenario against a bank the chat no longer asks from."""
    return request.app[CONVERSATIONS].library()


def summary(scenario: Scenario) -> str:
    """One line for the list: the first sentence after the card's opening "this case is fictional" note."""
    paragraphs = [p.strip() for p in scenario.card.split("\n\n") if p.strip()]
    text = " ".join((paragraphs[1] if len(paragraphs) > 1 else paragraphs[0]).split())
    end = text.find(". ")
    return text if end < 0 else text[: end + 1]


async def scenario_list(request: web.Request) -> web.StreamResponse:
    rows = [(s, SETTING_NAMES[s.setting], summary(s)) for s in library(request).values()]
    return await render_page(request, "practice_list.html", {"rows": rows})


async def case_card(request: web.Request) -> web.StreamResponse:
    scenario = _scenario(request)
    known = len(alike(await request.app[CONVERSATIONS].assessments(request[USER].id), None, "rehearsal"))
    return await render_page(request, "practice_card.html", _card_context(scenario, known))


async def start_run(request: web.Request) -> web.StreamResponse:
    """Start a practice run of this scenario: rehearsal mode from the first question, for good."""
    scenario = _scenario(request)
    known = (await request.post()).get("known")
    try:
        reference = await request.app[CONVERSATIONS].start_new(
            request[USER].id,
            known=None if known is None else form_text(known),
            mode="rehearsal",
            scenario_id=scenario.id,
        )
    except ChatRefused as refused:
        if refused.reference is not None:
            raise web.HTTPSeeOther(chat_address(refused.reference)) from None
        context = {**_card_context(scenario, None), "problem": refused.message}
        return await render_page(request, "practice_card.html", context, status=refused.status)
    raise web.HTTPSeeOther(chat_address(reference))


def _card_context(scenario: Scenario, known: int | None) -> dict[str, object]:
    return {
        "scenario": scenario,
        "setting": SETTING_NAMES[scenario.setting],
        "paragraphs": card_paragraphs(scenario),
        "known": known,
        "problem": None,
    }


def _scenario(request: web.Request) -> Scenario:
    scenario = library(request).get(request.match_info["scenario"])
    if scenario is None:
        raise web.HTTPNotFound(text="There is no scenario at this address.")
    return scenario
