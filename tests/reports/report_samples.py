"""A report built by hand, as bot.reports would hand it to a renderer: already suppressed.

The referrers' role table hides one row ("Youth worker"), whose true count was 3 (HIDDEN_VALUE): the renderers
never see it, and the tests check that no rendering writes a 3 where that row's figure would be.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.reports.figures import HIDDEN_TEXT, Figure, Report, Row, Table

THRESHOLD = 5
FEWER = HIDDEN_TEXT  # a small count: hidden, and called no differently from any other
HIDDEN_VALUE = 3  # the suppressed row's true count: it appears nowhere in the Report
HIDDEN_ROW = "Youth worker"
NOT_SHOWN = HIDDEN_TEXT  # a figure hidden so that it cannot give a small one away
INJECTED_LABEL = "=1+1"


def shown(value: float, text: str | None = None) -> Figure:
    return Figure(value, text if text is not None else f"{value:g}")


def hidden(text: str = FEWER) -> Figure:
    return Figure(None, text)


MONTHS = Table(
    id="by_month",
    title="Concerns raised each month",
    label_heading="Month",
    columns=("Concerns",),
    rows=(
        Row("January 2026", (shown(12),)),
        Row("February 2026", (shown(9),)),
        Row("March 2026", (hidden(),)),
        Row("April 2026", (shown(17),)),
        Row("May 2026", (shown(0),)),
        Row("June 2026", (shown(11),)),
    ),
    total=Row("Total", (shown(56),)),
    chart="line",
)

ROLES = Table(
    id="by_referrer_role",
    title="Concerns by referrer's role",
    label_heading="Referrer's role",
    columns=("Concerns",),
    rows=(
        Row("Teacher or other school staff", (shown(21),)),
        Row("Police officer", (shown(8),)),
        Row(HIDDEN_ROW, (hidden(),)),
        Row("Health visitor <& school nurse>", (shown(6),)),
        Row(INJECTED_LABEL, (shown(0),)),
    ),
    # The total is hidden too, or it would give away the hidden row (21 + 8 + 6 + 0 + 3 = 38).
    total=Row("Total", (hidden(NOT_SHOWN),)),
    chart="bar",
)

CONCERN_TYPES = Table(
    id="by_concern_type",
    title="What the concerns were about",
    label_heading="Concern",
    columns=("Open", "Closed"),
    rows=(
        Row("Online material", (shown(14), shown(10))),
        Row("Extreme views expressed", (shown(9), hidden())),
        Row("Contact with a group", (hidden(), shown(7))),
    ),
    total=Row("Concerns", (shown(25), shown(22))),
    chart="bar",
    note="A concern can be about more than one thing, so the rows add up to more than the total.",
)

DURATIONS = Table(
    id="time_to_decision",
    title="Time from concern to decision",
    label_heading="Measure",
    columns=("Days",),
    rows=(
        Row("Median", (shown(3.5, "3.5 days"),)),
        Row("Longest", (shown(21, "21 days"),)),
        Row("Median for urgent concerns", (Figure(None, "no decisions"),)),
    ),
    chart="none",
)

REPORT = Report(
    scope="All teams",
    period_from=date(2026, 1, 1),
    period_to=date(2026, 6, 30),
    made_at=datetime(2026, 7, 1, 9, 30, tzinfo=UTC),
    threshold=THRESHOLD,
    tables=(MONTHS, ROLES, CONCERN_TYPES, DURATIONS),
)
