"""Small-number suppression: no figure is shown that tells something about fewer than `threshold` concerns,
nor any that would let a reader work such a figure out by subtraction (issue #28).

The rule, after UK statistical-disclosure practice for small numbers (ONS, NHS Digital: primary and
secondary suppression, zeros treated as disclosive where they reveal a remainder):

1. Small population. When a table counts from 1 to threshold - 1 concerns (`population`: the period's
   concerns, or the table's own sub-population such as the decided concerns), every figure in it is hidden,
   zeros and totals included. With one concern, each zero shown says what that concern was not, and so, by
   elimination, what it was: the age band, referrer's role, kinds of concern, other needs and danger flag of
   one child.
2. Primary. Every count from 1 to threshold - 1 is hidden.
3. Small lines and groups. A line that adds up to a total (a row with a row total, a column with the total
   row), or a group of cells counting one sub-population (`groups`: the pathways of the decided concerns),
   whose total is from 1 to threshold - 1 is hidden whole, zeros included, for the reason of rule 1.
4. Secondary (complementary). Every line whose parts add up to a total is checked: a line with exactly one
   hidden figure would give it away (total minus the rest), so the smallest other figure in that line is
   hidden too (a part before its total, a zero last), and the check runs again until no line gives anything
   away. A table without totals (a multiple choice breakdown, where a concern can be counted in several rows)
   needs rules 1 to 3 only.

A table that counts no concern at all shows its zeros: they identify nobody.

Pure functions over integers: the report builder turns the result into Figures; nothing here knows what is
counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Cell = tuple[int, int]  # (row, column) in the full grid, margins included


@dataclass(frozen=True)
class Grid:
    """Counts with their margins: `cells[r][c]` for the body, a last column of row totals when
    `row_totals`, and a last row of column totals (and the grand total) when `column_totals`."""

    cells: tuple[tuple[int, ...], ...]
    row_totals: bool = False
    column_totals: bool = False


def with_totals(body: list[list[int]], *, row_totals: bool, column_totals: bool) -> Grid:
    """The body with the margins asked for, each the sum of its line."""
    rows = [list(row) + ([sum(row)] if row_totals else []) for row in body]
    if column_totals:
        width = len(rows[0]) if rows else (1 if row_totals else 0)
        rows.append([sum(row[c] for row in rows) for c in range(width)])
    return Grid(tuple(tuple(row) for row in rows), row_totals, column_totals)


def suppressed_cells(
    grid: Grid,
    threshold: int,
    *,
    population: int | None = None,
    groups: Sequence[Iterable[Cell]] = (),
) -> frozenset[Cell]:
    """The cells to hide (rules 1 to 4 above). `population` is how many concerns the table counts, when
    its cells do not say (a table without a total row); `groups` are sets of body cells that each count one
    sub-population."""
    every = {(r, c) for r, row in enumerate(grid.cells) for c in range(len(row))}
    if population is not None and _small(population, threshold):
        return frozenset(every)
    hidden = {cell for cell in every if _small(_count(grid, cell), threshold)}
    lines = _lines(grid)
    for line in lines:  # a line's total is its last cell
        if _small(_count(grid, line[-1]), threshold):
            hidden.update(line)
    for group in map(tuple, groups):
        if _small(sum(_count(grid, cell) for cell in group), threshold):
            hidden.update(group)
    changed = True
    while changed:
        changed = False
        for line in lines:
            if sum(cell in hidden for cell in line) != 1:
                continue
            partner = _partner(grid, line, hidden)
            if partner is not None:
                hidden.add(partner)
                changed = True
    return frozenset(hidden)


def _small(count: int, threshold: int) -> bool:
    return 0 < count < threshold


def _lines(grid: Grid) -> list[tuple[Cell, ...]]:
    """Every set of cells bound by "the parts add up to the total" (the total last): a hidden cell in one
    with every other cell shown can be worked out."""
    height = len(grid.cells)
    width = len(grid.cells[0]) if height else 0
    lines: list[tuple[Cell, ...]] = []
    if grid.row_totals:
        lines += [tuple((r, c) for c in range(width)) for r in range(height)]
    if grid.column_totals:
        lines += [tuple((r, c) for r in range(height)) for c in range(width)]
    return lines


def _partner(grid: Grid, line: tuple[Cell, ...], hidden: set[Cell]) -> Cell | None:
    """The cell to hide beside the one hidden in `line`: the smallest shown count, body before margins
    (hiding a total hides less of the picture than hiding a part only when there is no part to hide), and
    zeros last (a zero on its own says nothing, but with the total it still gives the hidden count away)."""
    height, width = len(grid.cells), len(grid.cells[0])

    def is_margin(cell: Cell) -> bool:
        r, c = cell
        return (grid.column_totals and r == height - 1) or (grid.row_totals and c == width - 1)

    shown = [cell for cell in line if cell not in hidden]
    if not shown:
        return None
    return min(
        shown, key=lambda cell: (grid.cells[cell[0]][cell[1]] == 0, is_margin(cell), _count(grid, cell))
    )


def _count(grid: Grid, cell: Cell) -> int:
    return grid.cells[cell[0]][cell[1]]
