"""The report's CSV and xlsx exports, read back with the csv module and openpyxl."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date, datetime

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from bot.reports.exports import report_csv, report_xlsx, safe_cell, suppression_sentence, table_csv
from bot.reports.figures import Figure, Report, Row, Table
from tests.reports.report_samples import (
    CONCERN_TYPES,
    DURATIONS,
    FEWER,
    HIDDEN_ROW,
    INJECTED_LABEL,
    MONTHS,
    NOT_SHOWN,
    REPORT,
    ROLES,
)


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def lines_of(table: Table) -> list[Row]:
    return [*table.rows, *([table.total] if table.total else [])]


def workbook(report: Report = REPORT):
    return load_workbook(io.BytesIO(report_xlsx(report)))


def values(sheet: Worksheet) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]


# CSV, every table


def test_the_report_csv_is_one_line_per_figure_with_the_figures_words() -> None:
    lines = read_csv(report_csv(REPORT))

    assert lines[0] == ["table", "row", "column", "figure"]
    expected = [
        [table.title, safe_cell(row.label), column, figure.text]
        for table in REPORT.tables
        for row in lines_of(table)
        for column, figure in zip(table.columns, row.figures, strict=True)
    ]
    assert lines[1:] == expected


def test_the_report_csv_writes_hidden_figures_as_words_and_totals_as_total() -> None:
    lines = read_csv(report_csv(REPORT))[1:]

    by_key = {(table, row, column): figure for table, row, column, figure in lines}
    assert by_key[(ROLES.title, HIDDEN_ROW, "Concerns")] == FEWER
    assert by_key[(ROLES.title, "Total", "Concerns")] == NOT_SHOWN
    assert by_key[(MONTHS.title, "Total", "Concerns")] == "56"
    assert by_key[(DURATIONS.title, "Median", "Days")] == "3.5 days"
    assert by_key[(CONCERN_TYPES.title, "Concerns", "Closed")] == "22"  # the total row's own label
    assert all(not line[0].startswith("#") for line in lines)  # no comment lines: all of it is data


def test_the_report_csv_has_no_figure_the_report_does_not_have() -> None:
    figures = {figure.text for table in REPORT.tables for row in lines_of(table) for figure in row.figures}

    assert {line[3] for line in read_csv(report_csv(REPORT))[1:]} == figures


def test_a_label_that_would_be_a_formula_is_written_with_a_leading_quote_in_the_csv() -> None:
    rows = [line for line in read_csv(report_csv(REPORT)) if line[0] == ROLES.title]

    assert ["Concerns by referrer's role", "'=1+1", "Concerns", "0"] in rows
    assert not [line for line in rows if line[1] == INJECTED_LABEL]


# CSV, one table


def test_a_table_csv_reads_as_the_table_on_the_page() -> None:
    assert read_csv(table_csv(REPORT, "by_referrer_role")) == [
        ["Referrer's role", "Concerns"],
        ["Teacher or other school staff", "21"],
        ["Police officer", "8"],
        [HIDDEN_ROW, FEWER],
        ["Health visitor <& school nurse>", "6"],
        ["'=1+1", "0"],
        ["Total", NOT_SHOWN],
    ]


def test_a_table_csv_with_columns_a_note_and_no_total() -> None:
    assert read_csv(table_csv(REPORT, "by_concern_type")) == [
        ["Concern", "Open", "Closed"],
        ["Online material", "14", "10"],
        ["Extreme views expressed", "9", FEWER],
        ["Contact with a group", FEWER, "7"],
        ["Concerns", "25", "22"],
    ]
    assert read_csv(table_csv(REPORT, "time_to_decision"))[1:] == [
        ["Median", "3.5 days"],
        ["Longest", "21 days"],
        ["Median for urgent concerns", "no decisions"],
    ]


def test_a_table_csv_for_a_table_the_report_does_not_have_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        table_csv(REPORT, "by_nothing")


def test_a_csv_field_with_a_comma_quote_or_line_break_survives() -> None:
    table = replace(ROLES, rows=(Row('Police, "special"\nconstable', (Figure(7, "7"),)),), total=None)

    assert read_csv(table_csv(replace(REPORT, tables=(table,)), ROLES.id))[1] == [
        'Police, "special"\nconstable',
        "7",
    ]


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_a_cell_that_would_start_a_formula_gets_a_leading_quote(text: str) -> None:
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Police", "12", "fewer than 5", "3.5 days", " =1", "a=b"])
def test_other_cells_are_written_as_they_are(text: str) -> None:
    assert safe_cell(text) == text


# xlsx


def test_the_workbook_has_an_about_sheet_then_a_sheet_per_table() -> None:
    assert workbook().sheetnames == [
        "About",
        "by_month",
        "by_referrer_role",
        "by_concern_type",
        "time_to_decision",
    ]


def test_the_about_sheet_says_what_the_report_covers_and_how_figures_are_hidden() -> None:
    about = {row[0]: row[1] for row in values(workbook()["About"]) if row and row[0]}

    assert about["Scope"] == "All teams"
    assert about["Period from"] == datetime(2026, 1, 1)
    assert about["Period to (inclusive)"] == datetime(2026, 6, 30)
    assert about["Made at (UK time)"] == datetime(2026, 7, 1, 10, 30)  # 09:30 UTC, in British Summer Time
    assert about["Threshold"] == 5
    assert about["Hidden figures"] == (
        "Counts from 1 to 4 are hidden and shown as 'not shown', as is any figure that would let someone "
        "work one out: where a total would give it away, and every figure, zeros included, of a table or "
        "line that counts fewer than 5 concerns."
    )
    assert about["by_referrer_role"] == ROLES.title  # the contents: which sheet holds which table


def test_a_table_sheet_has_its_header_rows_and_total_with_numbers_as_numbers() -> None:
    sheet = workbook()["by_referrer_role"]

    assert values(sheet) == [
        ["Referrer's role", "Concerns"],
        ["Teacher or other school staff", 21],
        ["Police officer", 8],
        [HIDDEN_ROW, FEWER],
        ["Health visitor <& school nurse>", 6],
        ["'=1+1", 0],
        ["Total", NOT_SHOWN],
    ]
    assert sheet["B2"].data_type == "n" and type(sheet["B2"].value) is int
    assert sheet["B4"].data_type == "s"
    assert sheet["A1"].font.b and sheet["B1"].font.b
    assert sheet["A7"].font.b  # the total row
    assert sheet.freeze_panes == "A2"


def test_a_figure_with_a_fraction_is_a_float_and_keeps_its_unit_as_a_number_format() -> None:
    sheet = workbook()["time_to_decision"]

    assert values(sheet) == [
        ["Measure", "Days"],
        ["Median", 3.5],
        ["Longest", 21],
        ["Median for urgent concerns", "no decisions"],
    ]
    assert type(sheet["B2"].value) is float
    assert sheet["B2"].number_format == 'General" days"'
    assert sheet["B4"].number_format == "General"


def test_a_tables_note_is_written_below_it() -> None:
    rows = values(workbook()["by_concern_type"])

    assert rows[:5] == [
        ["Concern", "Open", "Closed"],
        ["Online material", 14, 10],
        ["Extreme views expressed", 9, FEWER],
        ["Contact with a group", FEWER, 7],
        ["Concerns", 25, 22],
    ]
    assert rows[5] == [None, None, None]
    assert rows[6][0] == CONCERN_TYPES.note


def test_the_columns_are_wide_enough_for_their_text_but_not_for_the_note() -> None:
    sheet = workbook()["by_concern_type"]

    assert sheet.column_dimensions["A"].width >= len("Extreme views expressed")
    assert sheet.column_dimensions["A"].width < len(CONCERN_TYPES.note)
    assert sheet.column_dimensions["C"].width >= len(FEWER)


def test_no_cell_of_the_workbook_is_a_formula() -> None:
    book = workbook(replace(REPORT, scope='=HYPERLINK("http://example.com")'))

    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert cells and not [cell.coordinate for cell in cells if cell.data_type == "f"]
    about = {row[0]: row[1] for row in values(book["About"]) if row and row[0]}
    assert about["Scope"] == '\'=HYPERLINK("http://example.com")'
    assert book["by_referrer_role"]["A6"].value == "'=1+1"


def test_sheet_titles_are_short_unique_and_never_clash_with_about() -> None:
    long_id = "referrals_by_referrer_role_and_month_of_year"
    tables = (
        replace(ROLES, id=long_id),
        replace(ROLES, id=long_id + "_again"),
        replace(MONTHS, id="about"),
    )

    names = workbook(replace(REPORT, tables=tables)).sheetnames

    assert names[0] == "About"
    assert len(names) == 4 and len({name.casefold() for name in names}) == 4
    assert all(len(name) <= 31 for name in names)
    assert names[1] == long_id[:31]


def test_control_characters_in_data_do_not_break_the_workbook() -> None:
    table = replace(ROLES, rows=(Row("Team\x0b A\x00", (Figure(9, "9"),)),), total=None)

    assert workbook(replace(REPORT, tables=(table,)))["by_referrer_role"]["A2"].value == "Team A"


def test_a_report_made_at_a_naive_time_is_written_as_it_is() -> None:
    report = replace(REPORT, made_at=datetime(2026, 1, 5, 8, 0), period_to=date(2026, 1, 4))

    about = {row[0]: row[1] for row in values(workbook(report)["About"]) if row and row[0]}

    assert about["Made at"] == datetime(2026, 1, 5, 8, 0)


@pytest.mark.parametrize(
    ("threshold", "sentence"),
    [
        (1, "No counts are hidden in this report."),
        (2, "A count of 1 is hidden and shown as 'not shown'"),
        (10, "Counts from 1 to 9 are hidden and shown as 'not shown'"),
    ],
)
def test_the_suppression_sentence_follows_the_threshold(threshold: int, sentence: str) -> None:
    assert suppression_sentence(threshold).startswith(sentence)
