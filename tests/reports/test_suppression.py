"""Small-number suppression on tables written by hand: primary (1 to threshold - 1), then complementary
until no line that adds up to a shown total gives a hidden count away."""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from bot.reports.suppression import Grid, suppressed_cells, with_totals


def hidden(body: list[list[int]], *, rows: bool = False, columns: bool = True) -> set[tuple[int, int]]:
    return set(suppressed_cells(with_totals(body, row_totals=rows, column_totals=columns), 5))


def test_small_counts_are_hidden_and_zero_and_large_are_not() -> None:
    assert hidden([[0], [1], [4], [5], [9]], columns=False) == {(1, 0), (2, 0)}


def test_a_total_with_one_hidden_part_hides_the_next_smallest_part() -> None:
    # 17 + 3 = 20: showing 17 and 20 gives the 3 away.
    assert hidden([[17], [3], [8]]) == {(1, 0), (2, 0)}


def test_zeros_are_hidden_last_and_the_total_before_them() -> None:
    # 3 + 0 = 3: the total is small itself; 3 + 0 + 0 = 10 cannot happen, so take 3 + 0 with a total of 10.
    assert hidden([[3], [0], [7]]) == {(0, 0), (2, 0)}
    assert hidden([[3], [0]]) == {(0, 0), (2, 0)}


def test_rows_and_columns_are_both_protected() -> None:
    grid = [[5, 3], [6, 7], [9, 2]]
    assert hidden(grid, rows=True) == {(0, 0), (0, 1), (2, 0), (2, 1)}


def unknowable(grid: Grid, hide: frozenset[tuple[int, int]]) -> bool:
    """No line that adds up to a shown total has exactly one hidden cell."""
    height, width = len(grid.cells), len(grid.cells[0])
    lines = []
    if grid.row_totals:
        lines += [[(r, c) for c in range(width)] for r in range(height)]
    if grid.column_totals:
        lines += [[(r, c) for r in range(height)] for c in range(width)]
    return all(sum(cell in hide for cell in line) != 1 for line in lines)


@given(
    st.lists(st.lists(st.integers(0, 30), min_size=3, max_size=3), min_size=1, max_size=6),
    st.booleans(),
    st.booleans(),
)
def test_no_line_ever_gives_a_hidden_count_away(body: list[list[int]], rows: bool, columns: bool) -> None:
    grid = with_totals(body, row_totals=rows, column_totals=columns)
    hide = suppressed_cells(grid, 5)
    assert unknowable(grid, hide)
    small = {
        (r, c) for r, c in itertools.product(range(len(grid.cells)), range(3)) if 0 < grid.cells[r][c] < 5
    }
    assert small <= hide
