"""The trainer pages (issue #13): a thin handler over the review service's training overview, and the CSV of
the runs list. Who may see which runs is the review service's (bot.review.training), never this page's."""

from __future__ import annotations

import asyncio
import csv
import io

from aiohttp import web

from bot.domain.errors import NotPermittedError
from bot.reports.exports import CSV_ENCODING, safe_cell
from bot.review.formats import local_time
from bot.review.training import TrainingView
from bot.web.client_address import client_address
from bot.web.pages import render_page
from bot.web.practice_debrief import debrief_address
from bot.web.review import REVIEW
from bot.web.state import USER

TRAINING_PATH = "/training"
CSV_PATH = "/training/runs.csv"
CSV_HEADER = ("reference", "scenario", "practitioner", "started_at", "submitted_at")
NOT_SUBMITTED = "Not submitted"


async def training_page(request: web.Request) -> web.StreamResponse:
    view = await _overview(request, export=False)
    moved = "moved" in request.query  # back from moving a run to live (bot.web.practice_move)
    context = {"view": view, "debrief_address": debrief_address, "moved": moved}
    return await render_page(request, "training.html", context)


async def training_csv(request: web.Request) -> web.StreamResponse:
    view = await _overview(request, export=True)
    return web.Response(
        body=runs_csv(view).encode(CSV_ENCODING),
        content_type="text/csv",
        charset="utf-8",
        headers={
            "Content-Disposition": 'attachment; filename="practice-runs.csv"',
            "Cache-Control": "no-store",
        },
    )


def runs_csv(view: TrainingView) -> str:
    """One line per run, newest first; times in local time as the page shows them. Usernames and titles
    come from data, so a cell a spreadsheet would run as a formula gets a leading `'` (safe_cell)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for run in view.runs:
        submitted = local_time(run.submitted_at) if run.submitted_at is not None else NOT_SUBMITTED
        started = local_time(run.started_at)
        cells = (run.reference, run.scenario_title, run.practitioner or "", started, submitted)
        writer.writerow([safe_cell(cell) for cell in cells])
    return out.getvalue()


async def _overview(request: web.Request, *, export: bool) -> TrainingView:
    try:
        return await asyncio.to_thread(
            request.app[REVIEW].training_overview, request[USER].id, client_address(request), export=export
        )
    except NotPermittedError as refused:  # the role changed since the door let them in
        raise web.HTTPForbidden(text=refused.message) from None
