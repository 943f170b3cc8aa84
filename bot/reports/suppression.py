"""Small-number suppression: no count from 1 to threshold - 1 is shown, nor any count that would let a reader
work one out by subtraction.

Primary suppression hides each count from 1 to threshold - 1 (zero is shown: it identifies nobody).
Secondary (complementary) suppression then looks at every line whose parts add up to a shown total (each row
with a row total, each column with the total row, and the margins themselves): a line with exactly one
hidden count would give it away (total minus the rest), so the smallest other count in that line is hidden
too, and the check runs again until no line gives anything away. A table without totals (a multiple choice
breakdown, where a concern can be counted in several rows) needs only the first step.

Pure functions over integers: the report builder turns the result into Figures; nothing here knows what is
counted.
"""

from __future__ import annotations

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


def suppressed_cells(grid: Grid, threshold: int) -> frozenset[Cell]:
    """The cells to hide: primary, then complementary until no line gives a hidden count away."""
    hidden = {
        (r, c) for r, row in enumerate(grid.cells) for c, count in enumerate(row) if 0 < count < threshold
    }
    lines = _lines(grid)
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


def _lines(grid: Grid) -> list[tuple[Cell, ...]]:
    """Every set of cells bound by "the parts add up to the total": a hidden cell in one with every other
    cell shown can be worked out."""
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
