"""The reports page and its exports: a period's figures, each table as a chart with its numbers beside it.

Handlers stay thin: read the period and team from the address bar, call the report service once (off the
event loop), render. Who may see which team, suppression and the audit trail all live in bot.reports.

The charts are SVG inlined in the page. The page's Content-Security-Policy allows no inline styles, so each
chart's own <style> element is allowed by its hash (`style_hashes`), and nothing else inline is.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import re
from collections.abc import Iterable, Mapping
from datetime import date, datetime

from aiohttp import web

from bot.domain.errors import NotFoundError, ValidationError
from bot.domain.local_time import LOCAL_ZONE
from bot.reports.builder import Period
from bot.reports.exports import CSV_ENCODING, report_csv, report_xlsx, table_csv
from bot.reports.figures import Report
from bot.reports.periods import PeriodDateError, period_date
from bot.reports.service import ReportService
from bot.web.client_address import client_address
from bot.web.headers import STYLE_HASHES
from bot.web.pages import render_page
from bot.web.state import USER

REPORTS = web.AppKey("reports", ReportService)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S)
_TABLE_ID = re.compile(r"[a-z_]{1,40}")


def setup(app: web.Application, service: ReportService) -> None:
    app[REPORTS] = service


async def reports_page(request: web.Request) -> web.StreamResponse:
    service = request.app[REPORTS]
    scope = await asyncio.to_thread(service.scope_of, request[USER].id)
    period, team_id, problems = read_choice(request.query, today=_today())
    context: dict[str, object] = {
        "scope": scope,
        "query": dict(request.query),
        "errors": problems,
        "period": period,
        "team_id": team_id,
        "report": None,
        "charts": {},
        "export_query": _export_query(period, team_id),
    }
    status = 400 if problems else 200  # a period that cannot be read is the asker's mistake (issue #28)
    if not problems:
        try:
            report = await asyncio.to_thread(
                service.report, request[USER].id, _address(request), period, team_id
            )
        except ValidationError as error:
            context["errors"] = error.fields
            status = 400
        except NotFoundError as error:
            # Another team's figures: said on the page, as the service words it (and audits it).
            context["errors"] = error.fields
        else:
            # Here, not at the top: pygal loads with the first report drawn, not at every app start (#27).
            from bot.reports.charts import chart_svg

            charts = {table.id: svg for table in report.tables if (svg := chart_svg(table)) is not None}
            context |= {"report": report, "charts": charts}
    response = await render_page(request, "reports/report.html", context, status=status)
    response[STYLE_HASHES] = style_hashes(charts_of(context))
    return response


async def export_csv(request: web.Request) -> web.StreamResponse:
    report = await _report_for_export(request, "csv")
    if isinstance(report, web.StreamResponse):
        return report
    return _download(report_csv(report).encode(CSV_ENCODING), "text/csv", _filename(report, "csv"))


async def export_xlsx(request: web.Request) -> web.StreamResponse:
    report = await _report_for_export(request, "xlsx")
    if isinstance(report, web.StreamResponse):
        return report
    body = await asyncio.to_thread(report_xlsx, report)
    return _download(body, XLSX, _filename(report, "xlsx"))


async def export_table_csv(request: web.Request) -> web.StreamResponse:
    table_id = request.match_info["table_id"]
    report = await _report_for_export(request, "csv")
    if isinstance(report, web.StreamResponse):
        return report
    if not _TABLE_ID.fullmatch(table_id) or table_id not in {table.id for table in report.tables}:
        return web.json_response({"errors": {"table": "There is no such table."}}, status=404)
    return _download(
        table_csv(report, table_id).encode("utf-8"), "text/csv", _filename(report, "csv", table_id)
    )


async def _report_for_export(request: web.Request, format_: str) -> Report | web.StreamResponse:
    period, team_id, problems = read_choice(request.query, today=_today())
    if problems:
        return web.json_response({"errors": problems}, status=422)
    try:
        return await asyncio.to_thread(
            request.app[REPORTS].report, request[USER].id, _address(request), period, team_id, format_
        )
    except ValidationError as error:
        return web.json_response({"errors": error.fields}, status=422)
    except NotFoundError as error:
        return web.json_response({"errors": error.fields}, status=404)


def read_choice(query: Mapping[str, str], *, today: date) -> tuple[Period, int | None, dict[str, str]]:
    """The period and team asked for, or the last twelve months to today and the default team; a message
    for each field that could not be read (the page then shows them and no figures)."""
    problems: dict[str, str] = {}
    default_first = _first_of_month(today, back=11)
    first = _read_day(query, "from", default_first, problems)
    last = _read_day(query, "to", today, problems)
    team = query.get("team", "").strip()
    team_id = None
    if team and team != "all":
        if team.isdecimal() and len(team) < 10:
            team_id = int(team)
        else:
            problems["team"] = "Choose a team from the list"
    if not problems and last < first:
        problems["to"] = "The end of the period must be on or after its start"
    return Period(first, last), team_id, problems


def _read_day(query: Mapping[str, str], name: str, default: date, problems: dict[str, str]) -> date:
    """The day asked for, read as `bot report` reads it (bot.reports.periods: strict, never the chat's
    generous reader); a month (2026-04) means its first day as `from` and its last as `to`."""
    text = query.get(name, "").strip()
    if not text:
        return default
    try:
        return period_date(text, end=name == "to")
    except PeriodDateError as error:
        problems[name] = _DATE_PROBLEMS[error.reason][name]
        return default


_DATE_PROBLEMS = {
    "form": {
        "from": "Enter the start date as a whole date, like 1/4/2026, or a whole month, like 2026-04",
        "to": "Enter the end date as a whole date, like 30/4/2026, or a whole month, like 2026-04",
    },
    "day": {
        "from": "The start date must be a real date, day first, like 1/4/2026",
        "to": "The end date must be a real date, day first, like 30/4/2026",
    },
    "month": {
        "from": "The start month must be a real month, year first, like 2026-04",
        "to": "The end month must be a real month, year first, like 2026-04",
    },
}


def charts_of(context: Mapping[str, object]) -> list[str]:
    charts = context["charts"]
    return list(charts.values()) if isinstance(charts, dict) else []


def style_hashes(svgs: Iterable[str]) -> tuple[str, ...]:
    """CSP sources for the inline <style> elements of the given SVGs: 'sha256-...' each, once."""
    found: dict[str, None] = {}
    for svg in svgs:
        for css in _STYLE.findall(svg):
            digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
            found[f"'sha256-{digest}'"] = None
    return tuple(found)


def _export_query(period: Period, team_id: int | None) -> str:
    team = "" if team_id is None else f"&team={team_id}"
    return f"from={period.first.isoformat()}&to={period.last.isoformat()}{team}"


def _filename(report: Report, extension: str, table_id: str | None = None) -> str:
    scope = re.sub(r"[^a-z0-9]+", "-", report.scope.lower()).strip("-") or "team"
    which = f"-{table_id}" if table_id else ""
    period = f"{report.period_from.isoformat()}-to-{report.period_to.isoformat()}"
    return f"report-{scope}-{period}{which}.{extension}"


def _download(body: bytes, content_type: str, filename: str) -> web.Response:
    return web.Response(
        body=body,
        content_type=content_type,
        charset="utf-8" if content_type == "text/csv" else None,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


def _first_of_month(today: date, *, back: int) -> date:
    month = today.month - back
    year = today.year
    while month < 1:
        month += 12
        year -= 1
    return date(year, month, 1)


def _today() -> date:
    return datetime.now(LOCAL_ZONE).date()


def _address(request: web.Request) -> str:
    return client_address(request)
