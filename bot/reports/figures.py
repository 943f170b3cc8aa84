"""The records a report is made of: tables of figures, each figure already suppressed where it is small.

Everything that renders a report (the page, its charts, the CSV and xlsx exports, `bot report`) reads these
and nothing else, so a number hidden on the page is hidden in every export too: suppression happens once,
when the report is built (bot.reports.suppression), never in a renderer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

# Every hidden count reads the same, whatever it is: a small count (1 to threshold - 1), a count hidden beside
# one so that a total does not give it away, or a zero hidden in a table of few concerns. Words that told them
# apart ("fewer than 5" beside "not shown") would say which row holds the few concerns, or let a reader solve
# a total for them (issue #28), so no hidden figure says anything about its size.
HIDDEN_TEXT = "not shown"
SUPPRESSED_TEXT = "fewer than {threshold}"  # of how many a figure is made (decisions), never of a count


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
    threshold: int  # counts from 1 to threshold - 1 (and any figure that gives one away) are hidden
    tables: tuple[Table, ...]

    def table(self, table_id: str) -> Table:
        return next(table for table in self.tables if table.id == table_id)
