"""A report table drawn as a chart: server-rendered SVG (pygal), to be inlined in the reports page.

The chart is a picture of the table shown beside it, never the only record of a figure. It is built from the
figures as they are shown: a suppressed figure (value None) is plotted as missing, never as 0, and where a bar
would stand the chart writes the figure's own words ("not shown"), so a missing bar is not read as none.
Nothing is computed from the figures but the drawing; the total row is not plotted (it would dwarf the rows it
adds up, and it is in the table).

Bars run horizontally: the row labels (referrers' roles, teams, answers) are long and read best written
out in full on the left, in the table's own order from the top, instead of squeezed or slanted under
vertical bars.

What pygal writes and an inlined page must not get is taken out of the tree before it is written: its
`<script>` (the tooltip configuration, even with `js=[]`), its comments (URLs and the date), the `<desc>`
data its tooltips read, the positions it writes as `<title>` on axis guides, and the empty tooltip layer.
Its CSS is kept scoped to the chart's own id (`#chart-<table id>`): with `no_prefix` it would style every
`.title` and `.axis` on the page.
"""

from __future__ import annotations

import re
from functools import lru_cache
from xml.etree import ElementTree

import pygal
from pygal.style import Style

from bot.reports.figures import Figure, Table

WIDTH = 720
BAR_BAND = 34  # height of one row of a bar chart, per column drawn
LABEL_LIMIT = 40  # characters of a row label written on the chart; the table beside has it in full
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'
# GOV.UK colours: blue and orange first, then green, purple, pink and brown for any further columns.
COLOURS = ("#1d70b8", "#f47738", "#00703c", "#4c2c92", "#d53880", "#b58840")
# Characters XML 1.0 cannot hold at all (labels are data, and a stray control character would make the whole
# page fail to parse as XML).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NOT_ID = re.compile(r"[^A-Za-z0-9_-]")
_CHILD = re.compile(r"\s*>\s*")

STYLE = Style(
    font_family=FONT,
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#0b0c0c",
    foreground_strong="#0b0c0c",
    foreground_subtle="#505a5f",
    guide_stroke_color="#b1b4b6",
    major_guide_stroke_color="#b1b4b6",
    colors=COLOURS,
    opacity="1",
    opacity_hover="1",
    transition="0ms",
    label_font_size=16,
    major_label_font_size=16,
    legend_font_size=16,
    value_font_size=16,
    title_font_size=19,
    no_data_font_size=19,
)


def chart_svg(table: Table) -> str | None:
    """The table as an SVG chart to inline in a page, or None when it reads better as the table alone
    (`chart == "none"`, or not one figure shown in its rows)."""
    if table.chart not in ("bar", "line") or not table.columns:
        return None
    if all(figure.suppressed for row in table.rows for figure in row.figures):
        return None  # also a table with no rows
    return _render(table)


@lru_cache(maxsize=64)  # a page shows about 8; tables are frozen, so equal figures give the same picture
def _render(table: Table) -> str:
    chart = _line(table) if table.chart == "line" else _bar(table)
    chart.uuid = _NOT_ID.sub("_", table.id)  # the svg's id is "chart-<table id>": stable, and scopes its CSS
    chart.add_xml_filter(lambda root: _clean(root, table))
    return chart.render(is_unicode=True)


def _common(table: Table) -> dict[str, object]:
    return {
        "style": STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "show_legend": len(table.columns) > 1,
        "legend_at_bottom": True,
        "truncate_legend": -1,
        "truncate_label": -1,  # labels are cut to LABEL_LIMIT here; pygal would cut the scale's numbers too
        "max_scale": 8,  # at most about 8 steps on the scale: 0, 2, 4... rather than every count
        "width": WIDTH,
        "margin": 12,
    }


def _bar(table: Table) -> pygal.HorizontalBar:
    rows = table.rows[::-1]  # pygal draws the first row at the bottom; the chart reads from the top
    series = len(table.columns)
    band = BAR_BAND if series == 1 else 24 * series + 12
    chart = _MarkedHorizontalBar(
        height=max(160, 60 + (40 if series > 1 else 0) + band * len(rows)),
        print_values=True,
        print_values_position="top",
        margin_right=60,  # room for the value written after the longest bar
        **_common(table),
    )
    chart.x_labels = [_label(row.label) for row in rows]
    for index, column in enumerate(table.columns):
        figures = [row.figures[index] for row in rows]
        chart.add(_label(column), [figure.value for figure in figures], formatter=_texts(figures))
    chart.missing_texts = [[_label(row.figures[i].text) for row in rows] for i in range(series)]
    return chart


def _line(table: Table) -> pygal.Line:
    chart = pygal.Line(
        height=360,
        allow_interruptions=True,  # a hidden month is a gap in the line, not a guess between its neighbours
        include_x_axis=True,  # counts start from 0
        dots_size=4,
        # Month names slant when they would not fit side by side (pygal would cut them short).
        x_label_rotation=330 if _crowded([row.label for row in table.rows]) else 0,
        # The first and last month's names are centred on the chart's edges: room for half of each.
        **{**_common(table), "margin_left": 48, "margin_right": 48},
    )
    chart.x_labels = [_label(row.label) for row in table.rows]
    for index, column in enumerate(table.columns):
        figures = [row.figures[index] for row in table.rows]
        chart.add(_label(column), [figure.value for figure in figures], formatter=_texts(figures))
    return chart


def _crowded(labels: list[str]) -> bool:
    """Whether the labels are too wide to be written level under the chart, at about 0.6 em a character."""
    widest = max((len(_label(label)) for label in labels), default=0)
    return widest * 0.6 * STYLE.label_font_size > (WIDTH - 100) / max(1, len(labels))


def _texts(figures: list[Figure]):
    """A pygal formatter writing each plotted value as its figure's own words."""
    texts = [_label(figure.text) for figure in figures]
    return lambda _value, index: texts[index] if index is not None else ""


class _MarkedHorizontalBar(pygal.HorizontalBar):
    """Horizontal bars that write a suppressed figure's words where its bar would start, so that a hidden
    count is not taken for a nought (pygal draws nothing at all for a missing value)."""

    missing_texts: list[list[str]]  # set per chart: for each series, the words of each row's figure

    def bar(self, serie, rescale=False):
        super().bar(serie, rescale)
        width = (self.view.x(1) - self.view.x(0)) / self._len
        band = (width - 2 * width * self._series_margin) / self._order
        position = self._order - serie.index - 1  # as pygal places a horizontal series within a row
        group = None
        for index, value in enumerate(serie.values):
            x, _ = serie.points[index]
            if value is not None or x is None:
                continue
            if group is None:
                group = self.svg.node(self.nodes["text_overlay"], class_="missing-values")
            row_x, zero_y = self.view((x, self.zero))
            centre = row_x + width * self._series_margin + band * (position + 0.5)
            text = self.svg.node(
                group,
                "text",
                x=zero_y + 6,
                y=centre + 0.35 * self.style.value_font_size,
                class_="missing",
            )
            text.text = self.missing_texts[serie.index][index]


def _label(text: str) -> str:
    """Data written on the chart: plain text (the XML writer escapes it), without what XML cannot hold,
    cut short where it would crowd the chart."""
    text = _NOT_XML.sub("", text).strip()
    return text if len(text) <= LABEL_LIMIT else text[: LABEL_LIMIT - 1].rstrip() + "…"


def _clean(root: ElementTree.Element, table: Table) -> ElementTree.Element:
    """Take out what an inlined chart must not carry, and give it its accessible name."""
    for parent in list(root.iter()):
        for child in list(parent):
            tag = child.tag if isinstance(child.tag, str) else ""
            classes = (child.get("class") or "").split()
            if (
                not tag  # comments
                or tag in ("script", "desc")
                or (tag == "title" and parent is not root)
                or "tooltip-overlay" in classes
            ):
                parent.remove(child)
    title = next(child for child in root if child.tag == "title")
    root.remove(title)
    root.insert(0, title)  # the accessible name is the first child
    title.text = _NOT_XML.sub("", table.title)
    title.set("id", f"{root.get('id')}-title")
    root.set("role", "img")
    root.set("aria-labelledby", title.get("id"))
    style = root.find("defs/style")  # pygal builds its tree without namespaced tags
    if style is not None:
        scope = f"#{root.get('id')}"
        # The page allows this <style> by the hash of its text, and a browser hashes the text as parsed, so
        # the CSS must need no escaping in XML: pygal's two child selectors (".graph > .background") become
        # descendant ones, which here pick out the same white backgrounds.
        style.text = _CHILD.sub(" ", style.text or "") + (
            f"{scope} .text-overlay text.value{{text-anchor:start}}"  # after the bar's end, not across it
            f"{scope} text.missing{{fill:#505a5f;font-size:16px;font-style:italic}}"
            f"{scope} .series .line.reactive{{stroke-width:3;stroke-opacity:1}}"
        )
    return root
