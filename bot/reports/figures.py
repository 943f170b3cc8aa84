"""The records a report is made of: tables of figures, each figure already suppressed where it is small.

Everything that renders a report (the page, its charts, the CSV and xlsx exports, `bot report`) reads these
and nothing else, so a number hidden on the page is hidden in every export too: suppression happens once,
when the report is built (bot.reports.suppression), never in a renderer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

SUPPRESSED_TEXT = "fewer than {threshold}"  # a count from 1 to threshold - 1
# A count hidden only because, with a total, it would give a small one away: it is not small itself, so it
# is not called "fewer than" (a board pack must not say something untrue of a number it hides).
PROTECTED_TEXT = "not shown"


@dataclass(frozen=True)
class Figure:
    """One number as it may be shown: `value` is None when it is suppressed (or there is nothing to show,
    as for the median of no decisions), and `text` is what every rendering writes."""

    value: float | None
    text: str

    @property
    def suppressed(self) -> bool:
        return self.value is None


@dataclass(frozen=True)
class Row:
    label: str
    figures: tuple[Figure, ...]  # one per column of the table


@dataclass(frozen=True)
class Table:
    """One breakdown: rows of labelled figures under named columns, with an optional total row.

    `chart` says how the figures read as a picture: "bar" (a count per row), "line" (a count per month, in
    order) or "none" (a table of durations or a single figure, where a chart adds nothing)."""

    id: str  # stable, for anchors and export sheet names: [a-z_]+
    title: str
    label_heading: str  # the heading of the row labels' column ("Month", "Referrer's role")
    columns: tuple[str, ...]
    rows: tuple[Row, ...]
    total: Row | None = None
    chart: str = "bar"
    note: str | None = None  # how to read it (a multiple choice table does not add up to the total)

    @property
    def has_hidden(self) -> bool:
        """Whether any figure of the body is suppressed (a chart then leaves it out, and says so)."""
        return any(figure.suppressed for row in self.rows for figure in row.figures)


@dataclass(frozen=True)
class Report:
    scope: str  # a team's name, or "All teams"
    period_from: date
    period_to: date  # inclusive
    made_at: datetime
    threshold: int  # counts from 1 to threshold - 1 are shown as "fewer than <threshold>"
    tables: tuple[Table, ...]

    def table(self, table_id: str) -> Table:
        return next(table for table in self.tables if table.id == table_id)
