"""The report's charts: SVG that an HTML page can inline, with nothing hidden recoverable from it."""

from __future__ import annotations

import re
from dataclasses import replace
from xml.etree import ElementTree

import pytest

from bot.reports import charts
from bot.reports.charts import chart_svg
from bot.reports.figures import Figure, Row, Table
from tests.reports.report_samples import (
    CONCERN_TYPES,
    DURATIONS,
    FEWER,
    HIDDEN_ROW,
    HIDDEN_VALUE,
    MONTHS,
    REPORT,
    ROLES,
)

SVG = "{http://www.w3.org/2000/svg}"
NAMESPACES = {"http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink"}
CHARTED = [MONTHS, ROLES, CONCERN_TYPES]


def parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def texts(root: ElementTree.Element) -> list[str]:
    return [element.text for element in root.iter(f"{SVG}text") if element.text]


def _outside_axes(root: ElementTree.Element) -> list[str]:
    """The words written on the chart other than the axes' scale (whose ticks are 0, 1, 2, 3...)."""
    axes = {id(text) for axis in root.iter() if "axis" in (axis.get("class") or "") for text in axis.iter()}
    return [element.text for element in root.iter(f"{SVG}text") if element.text and id(element) not in axes]


def shown_labels(table: Table) -> list[str]:
    return [row.label for row in table.rows]


@pytest.mark.parametrize("table", CHARTED, ids=lambda table: table.id)
def test_a_chart_is_svg_with_an_accessible_name(table: Table) -> None:
    root = parse(chart_svg(table))

    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    first = root[0]
    assert first.tag == f"{SVG}title"
    assert first.text == table.title
    assert root.get("aria-labelledby") == first.get("id") == f"chart-{table.id}-title"
    assert root.get("id") == f"chart-{table.id}"
    assert root.get("viewBox")


@pytest.mark.parametrize("table", CHARTED, ids=lambda table: table.id)
def test_a_chart_has_no_script_no_url_and_no_prolog(table: Table) -> None:
    svg = chart_svg(table)

    assert "<script" not in svg.lower()
    assert "javascript" not in svg.lower()
    assert not svg.startswith("<?xml")
    assert svg.startswith("<svg")
    assert set(re.findall(r"https?://[^\s\"'<>)]+", svg)) <= NAMESPACES
    assert "<!--" not in svg  # pygal's comments carry its URLs and the date
    assert "url(" not in svg and "@import" not in svg and "googleapis" not in svg
    root = parse(svg)
    assert not list(root.iter(f"{SVG}desc"))  # the tooltips' data, for a script that is not there
    assert [title for title in root.iter(f"{SVG}title")] == [root[0]]


@pytest.mark.parametrize("table", CHARTED, ids=lambda table: table.id)
def test_a_chart_writes_every_row_label(table: Table) -> None:
    written = texts(parse(chart_svg(table)))

    for label in shown_labels(table):
        assert label in written


def test_the_css_is_scoped_to_the_chart_so_it_cannot_restyle_the_page() -> None:
    root = parse(chart_svg(ROLES))
    css = root.find(f"{SVG}defs/{SVG}style").text

    rules = [rule.split("{")[0] for rule in css.replace("\n", "").split("}") if "{" in rule]
    selectors = [selector.strip() for rule in rules for selector in rule.split(",")]
    assert selectors
    assert all(selector.startswith("#chart-by_referrer_role") for selector in selectors), selectors


@pytest.mark.parametrize("table", CHARTED, ids=lambda table: table.id)
def test_the_only_css_is_one_style_element_whose_text_needs_no_escaping(table: Table) -> None:
    """The page's Content-Security-Policy allows the chart's <style> by the hash of its text, as a browser
    reads it: so no style="" attribute anywhere, and no character in the CSS that XML writes escaped."""
    svg = chart_svg(table)

    raw = re.findall(r"<style[^>]*>(.*?)</style>", svg, re.S)
    assert len(raw) == 1
    assert raw[0] == parse(svg).find(f"{SVG}defs/{SVG}style").text
    assert not [element.tag for element in parse(svg).iter() if "style" in element.attrib]


def test_labels_from_data_are_written_as_text_not_markup() -> None:
    table = replace(
        ROLES,
        title="Roles <script>alert(1)</script>",
        rows=(Row('<script>alert("x")</script> & <b>', (Figure(4, "4"),)), *ROLES.rows[1:]),
    )
    svg = chart_svg(table)

    assert "<script" not in svg and "<b>" not in svg
    root = parse(svg)
    assert root[0].text == "Roles <script>alert(1)</script>"
    assert '<script>alert("x")</script> & <b>' in texts(root)


def test_a_label_with_a_control_character_still_makes_well_formed_xml() -> None:
    table = replace(ROLES, rows=(Row("Team\x0b A\x00", (Figure(9, "9"),)), *ROLES.rows[1:]))

    assert "Team A" in texts(parse(chart_svg(table)))


def test_a_long_label_is_cut_short_on_the_chart() -> None:
    long = "Designated safeguarding lead in a further education college or sixth form"
    table = replace(ROLES, rows=(Row(long, (Figure(9, "9"),)), *ROLES.rows[1:]))

    written = texts(parse(chart_svg(table)))

    assert long not in written
    assert any(text.endswith("…") and long.startswith(text[:-1]) for text in written)


def test_a_bar_chart_draws_a_bar_per_shown_figure_and_none_for_the_hidden_one() -> None:
    root = parse(chart_svg(ROLES))

    bars = root.findall(f".//{SVG}g[@class='bar']")
    shown = [row for row in ROLES.rows if not row.figures[0].suppressed]
    assert len(bars) == len(shown)  # the nought is a bar (of no length); the hidden row is not
    written = _outside_axes(root)
    values = [text for text in written if text not in shown_labels(ROLES)]
    assert sorted(values) == sorted([*(row.figures[0].text for row in shown), FEWER])


def test_a_hidden_figure_is_written_as_its_words_never_as_a_number() -> None:
    root = parse(chart_svg(ROLES))

    assert [element.text for element in root.iter(f"{SVG}text") if element.get("class") == "missing"] == [
        FEWER
    ]
    assert HIDDEN_ROW in texts(root)  # the row is on the chart, with its words and no bar
    assert not [text for text in _outside_axes(root) if str(HIDDEN_VALUE) in text]
    # The total (hidden, as it would give the row away) is not plotted at all.
    assert ROLES.total.label not in texts(root)


def test_each_column_is_a_series_and_a_hidden_figure_only_hides_its_own_bar() -> None:
    root = parse(chart_svg(CONCERN_TYPES))

    series = root.findall(f".//{SVG}g[@class='bars']")
    assert len(series) == len(CONCERN_TYPES.columns)
    assert [len(bars.findall(f"{SVG}g")) for bars in series] == [2, 2]
    missing = [element.text for element in root.iter(f"{SVG}text") if element.get("class") == "missing"]
    assert missing == [FEWER, FEWER]
    assert {"Open", "Closed"} <= set(texts(root))  # a legend, as there is more than one column


def test_a_bar_chart_reads_from_the_top_in_the_table_order() -> None:
    root = parse(chart_svg(ROLES))
    labels = {element.text: float(element.get("y")) for element in root.iter(f"{SVG}text")}

    heights = [labels[label] for label in shown_labels(ROLES)]
    assert heights == sorted(heights)


def test_a_line_chart_plots_the_months_in_order_with_a_gap_for_a_hidden_one() -> None:
    root = parse(chart_svg(MONTHS))

    written = texts(root)
    positions = [written.index(label) for label in shown_labels(MONTHS)]
    assert positions == sorted(positions)
    dots = root.findall(f".//{SVG}circle")
    assert len(dots) == sum(not row.figures[0].suppressed for row in MONTHS.rows)
    lines = [path for path in root.iter(f"{SVG}path") if "line reactive" in (path.get("class") or "")]
    assert len(lines) == 2  # January to February, then April to June: nothing is drawn through March


def test_a_table_without_a_chart_or_without_a_shown_figure_gives_none() -> None:
    assert chart_svg(DURATIONS) is None
    assert chart_svg(replace(ROLES, rows=())) is None
    assert (
        chart_svg(replace(ROLES, rows=tuple(row for row in ROLES.rows if row.figures[0].suppressed))) is None
    )


def test_a_chart_of_noughts_still_renders() -> None:
    table = replace(ROLES, rows=(Row("A", (Figure(0, "0"),)), Row("B", (Figure(None, FEWER),))))

    assert "A" in texts(parse(chart_svg(table)))


def test_the_same_table_gives_the_same_chart_from_the_cache() -> None:
    first = chart_svg(ROLES)
    rebuilt = Table(**{field: getattr(ROLES, field) for field in ROLES.__dataclass_fields__})

    assert chart_svg(rebuilt) is first
    charts._render.cache_clear()
    assert chart_svg(ROLES) == first  # and the same again when drawn afresh: no random id, no date


def test_every_chart_in_the_sample_report_is_small() -> None:
    for table in REPORT.tables:
        svg = chart_svg(table)
        assert svg is None or len(svg.encode()) < 40_000
