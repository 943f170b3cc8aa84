"""A report as files to take away: CSV (every table, or one) and an xlsx workbook.

They write the figures as the report holds them, already suppressed: a hidden figure is written as its words
("not shown") and nothing is totalled, worked out or kept in a hidden cell. The scope and period of a CSV
go in its file name (the page names it), so the file itself is rows of figures and nothing else.

Labels can come from data (a team's name), so a cell that a spreadsheet would run as a formula, one starting
with `=`, `+`, `-`, `@`, a tab or a carriage return, is written with a leading `'` in both formats.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from bot.domain.local_time import LOCAL_ZONE
from bot.reports.figures import HIDDEN_TEXT, Figure, Report, Row, Table

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

TOTAL = "Total"
CSV_HEADER = ("table", "row", "column", "figure")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SHEET_TITLE_LIMIT = 31  # Excel's limit
WIDEST_COLUMN = 60  # characters; a longer label wraps no further, it just runs on
# Characters an xlsx cell cannot hold (openpyxl refuses them); data could carry one.
_NOT_IN_XLSX = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
_NOT_IN_SHEET_TITLE = re.compile(r"[\[\]:*?/\\']")
# A figure's words after its number, such as " days" in "3.5 days", kept as the cell's number format.
_UNIT = re.compile(r"^-?[\d,]*\.?\d+(?P<unit>\s*[A-Za-z%][A-Za-z% ]*)$")

# UTF-8 with a byte-order mark, for the CSV files: without one, Excel (where a board pack is opened) reads
# UTF-8 as a legacy code page and mangles every curly quote and accent.
CSV_ENCODING = "utf-8-sig"


def safe_cell(text: str) -> str:
    """The text as a spreadsheet must get it: with a leading `'` when it would otherwise start a formula."""
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


def report_csv(report: Report) -> str:
    """Every table, one line per figure: `table,row,column,figure` (the total row's row is "Total" unless
    the total row has its own label)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    for table in report.tables:
        for row in _rows(table):
            for column, figure in zip(table.columns, row.figures, strict=True):
                writer.writerow([safe_cell(text) for text in (table.title, row.label, column, figure.text)])
    return out.getvalue()


def table_csv(report: Report, table_id: str) -> str:
    """One table as it reads on the page: a heading line, a line per row, then the total row if there is one.
    Raises KeyError for a table the report does not have."""
    table = _table(report, table_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(text) for text in (table.label_heading, *table.columns)])
    for row in _rows(table):
        writer.writerow([safe_cell(text) for text in (row.label, *(figure.text for figure in row.figures))])
    return out.getvalue()


def report_xlsx(report: Report) -> bytes:
    """A workbook: an "About" sheet (scope, period, when made, threshold, how figures are hidden, and what
    each sheet holds), then a sheet per table named from its id."""
    # openpyxl is loaded only for a workbook: start-up cost of every CSV report and of the app.
    from openpyxl import Workbook

    book = Workbook()
    about = book.active
    about.title = "About"
    titles = _sheet_titles(report.tables, taken={"about"})
    _about(about, report, titles)
    for table, title in zip(report.tables, titles, strict=True):
        _table_sheet(book.create_sheet(title), table)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def suppression_sentence(threshold: int) -> str:
    """How a reader should take the hidden figures, for the threshold the report was made with."""
    if threshold <= 1:
        return "No counts are hidden in this report."
    small = "A count of 1 is" if threshold == 2 else f"Counts from 1 to {threshold - 1} are"
    return (
        f"{small} hidden and shown as '{HIDDEN_TEXT}', as is any figure that would let someone work one out: "
        f"where a total would give it away, and every figure, zeros included, of a table or line that counts "
        f"fewer than {threshold} concerns."
    )


def _rows(table: Table) -> Iterator[Row]:
    yield from table.rows
    if table.total is not None:
        yield Row(table.total.label or TOTAL, table.total.figures)


def _table(report: Report, table_id: str) -> Table:
    for table in report.tables:
        if table.id == table_id:
            return table
    raise KeyError(table_id)


def _text(text: str) -> str:
    return safe_cell(_NOT_IN_XLSX.sub("", text))


def _about(sheet: Worksheet, report: Report, titles: list[str]) -> None:
    from openpyxl.styles import Alignment, Font

    made_at = report.made_at
    if made_at.tzinfo is not None:  # Excel has no time zones: write it as UK time, and say so
        made_at = made_at.astimezone(LOCAL_ZONE).replace(tzinfo=None)
    lines: list[tuple[str, object, str | None]] = [
        ("Scope", _text(report.scope), None),
        ("Period from", report.period_from, "d mmmm yyyy"),
        ("Period to (inclusive)", report.period_to, "d mmmm yyyy"),
        ("Made at (UK time)" if report.made_at.tzinfo else "Made at", made_at, "d mmmm yyyy hh:mm"),
        ("Threshold", report.threshold, None),
        ("Hidden figures", suppression_sentence(report.threshold), None),
    ]
    for name, value, number_format in lines:
        sheet.append([name, value])
        if number_format:
            sheet.cell(sheet.max_row, 2).number_format = number_format
    sheet.append([])
    sheet.append(["Sheet", "Table"])
    contents = sheet.max_row
    for title, table in zip(titles, report.tables, strict=True):
        sheet.append([title, _text(table.title)])
    for row in (*range(1, len(lines) + 1), contents):
        sheet.cell(row, 1).font = Font(bold=True)
    sheet.cell(contents, 2).font = Font(bold=True)
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 90
    for cells in sheet.iter_rows(min_col=2, max_col=2):
        cells[0].alignment = Alignment(wrap_text=True, vertical="top", horizontal="left")


def _table_sheet(sheet: Worksheet, table: Table) -> None:
    from openpyxl.styles import Font

    sheet.append([_text(table.label_heading), *(_text(column) for column in table.columns)])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for row in _rows(table):
        sheet.append([_text(row.label), *(_cell_value(figure) for figure in row.figures)])
        for column, figure in enumerate(row.figures, start=2):
            number_format = _number_format(figure)
            if number_format:
                sheet.cell(sheet.max_row, column).number_format = number_format
    if table.total is not None:
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
    _fit_columns(sheet)
    if table.note:
        sheet.append([])
        sheet.append([_text(table.note)])  # after fitting: a sentence runs on across the empty cells


def _cell_value(figure: Figure) -> int | float | str:
    """A shown figure as a number, so it can be added up or charted again; a hidden one as its words."""
    if figure.value is None:
        return _text(figure.text)
    value = float(figure.value)
    return int(value) if value.is_integer() else value


def _number_format(figure: Figure) -> str | None:
    """For a figure written with a unit ("3.5 days"), a number format that shows the unit with the number."""
    if figure.value is None:
        return None
    match = _UNIT.match(figure.text.strip())
    if not match:
        return None
    unit = match["unit"]
    return 'General"' + unit + '"'


def _fit_columns(sheet: Worksheet) -> None:
    from openpyxl.utils import get_column_letter

    for index, cells in enumerate(sheet.iter_cols(), start=1):
        widest = max((len(str(cell.value)) for cell in cells if cell.value is not None), default=0)
        sheet.column_dimensions[get_column_letter(index)].width = min(WIDEST_COLUMN, max(8, widest + 2))


def _sheet_titles(tables: tuple[Table, ...], taken: set[str]) -> list[str]:
    """A sheet title per table from its id: at most 31 characters, without the characters Excel refuses, and
    unique (Excel compares sheet titles without regard to case)."""
    titles = []
    for table in tables:
        base = _NOT_IN_SHEET_TITLE.sub("_", table.id).strip() or "table"
        base = base[:SHEET_TITLE_LIMIT]
        title, number = base, 1
        while title.casefold() in taken:
            number += 1
            suffix = f"_{number}"
            title = base[: SHEET_TITLE_LIMIT - len(suffix)] + suffix
        taken.add(title.casefold())
        titles.append(title)
    return titles
