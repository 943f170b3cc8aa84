"""Reading the case list's filters from the address bar: a bad filter is named and ignored, never guessed."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from datetime import date, timedelta

from bot.domain.lifecycle import Mode
from bot.domain.vocabulary import CASE_STATUSES, REVIEW_DUE_SOON_DAYS
from bot.questions import read_date
from bot.review.records import ASSIGNED_TO_ME, UNASSIGNED, CaseFilters

_REFERENCE = re.compile(r"[A-Z0-9-]{1,16}")
MAX_PAGE = 100_000
# Issue #12: "overdue" is a review before today; "due" one within the next REVIEW_DUE_SOON_DAYS, or overdue.
REVIEW_WINDOWS = {"overdue": timedelta(0), "due": timedelta(days=REVIEW_DUE_SOON_DAYS + 1)}


def parse_filters(query: Mapping[str, str], *, today: date) -> tuple[CaseFilters, dict[str, str]]:
    """The filters asked for, and a message for each one that could not be used (and so was left out)."""
    filters = CaseFilters()
    problems: dict[str, str] = {}
    status = query.get("status", "")
    if status in CASE_STATUSES:
        filters = replace(filters, status=status)
    elif status:
        problems["status"] = "Choose a status from the list"
    urgent = query.get("urgent", "")
    if urgent in {"yes", "no"}:
        filters = replace(filters, urgent=urgent == "yes")
    elif urgent:
        problems["urgent"] = "Choose urgent, not urgent or either"
    mode = query.get("mode", "")
    if mode in {Mode.LIVE, Mode.REHEARSAL}:
        filters = replace(filters, mode=mode)
    elif mode:
        problems["mode"] = "Choose live or rehearsal"
    for name in ("submitted_from", "submitted_to"):
        text = query.get(name, "").strip()
        if text:
            when = read_date(text, today=today)
            if when is None:
                problems[name] = "Enter a real date, for example 27/3/2026"
            else:
                filters = replace(filters, **{name: when})
    reference = query.get("reference", "").strip().upper()
    if _REFERENCE.fullmatch(reference):
        filters = replace(filters, reference=reference)
    elif reference:
        problems["reference"] = "Enter a reference like A-7F3K2Q (letters, numbers and a hyphen)"
    review = query.get("review", "")
    if review in REVIEW_WINDOWS:
        filters = replace(filters, review_before=today + REVIEW_WINDOWS[review])
    elif review:
        problems["review"] = "Choose reviews due, overdue or any"
    assigned = query.get("assigned", "")
    if assigned in {ASSIGNED_TO_ME, UNASSIGNED}:
        filters = replace(filters, assigned=assigned)
    elif assigned:
        problems["assigned"] = "Choose assigned to you, not assigned or anyone"
    sort = query.get("sort", "newest")
    if sort in {"newest", "oldest", "review", "waiting"}:
        filters = replace(
            filters, newest_first=sort != "oldest", by_review=sort == "review", by_waiting=sort == "waiting"
        )
    else:
        problems["sort"] = "Sort by newest, oldest, soonest review or longest waiting"
    page = query.get("page", "1")
    if page.isdecimal() and 1 <= int(page[:7]) <= MAX_PAGE:
        filters = replace(filters, page=int(page))
    else:
        problems["page"] = "That page does not exist; showing the first page"
    return filters, problems
