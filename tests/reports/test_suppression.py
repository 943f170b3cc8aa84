"""Small-number suppression on tables written by hand: a small population or line hidden whole (zeros
included), primary (1 to threshold - 1), then complementary until no line that adds up to a total gives a
hidden count away."""

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
    # 3 + 0 + 7 = 10: the 7 is hidden beside the 3, and the zero, which says nothing of the 3, stays.
    assert hidden([[3], [0], [7]]) == {(0, 0), (2, 0)}


def test_a_small_total_hides_every_cell_zeros_included() -> None:
    # 3 + 0 = 3: the zero would say that all three concerns are in the first row.
    assert hidden([[3], [0]]) == {(0, 0), (1, 0), (2, 0)}
    assert hidden([[0], [1], [0], [0]]) == {(0, 0), (1, 0), (2, 0), (3, 0), (4, 0)}
    # Nothing counted: zeros identify nobody.
    assert hidden([[0], [0]]) == set()


def test_a_small_population_hides_a_table_without_totals() -> None:
    # A multiple choice table of one concern: its zeros would say which boxes it did not tick.
    body = [[1], [0], [1], [0]]
    grid = with_totals(body, row_totals=False, column_totals=False)
    assert suppressed_cells(grid, 5, population=1) == {(r, 0) for r in range(4)}
    assert suppressed_cells(grid, 5, population=20) == {(0, 0), (2, 0)}
    assert suppressed_cells(grid, 5, population=0) == {(0, 0), (2, 0)}


def test_a_small_line_is_hidden_whole_and_its_neighbours_protect_it() -> None:
    # Months by stage: February had 2 concerns, both full assessments. Its 0 would tell their stage.
    body = [[0, 6], [0, 2], [5, 9]]
    cells = hidden(body, rows=True)
    assert {(1, 0), (1, 1), (1, 2)} <= cells
    grid = with_totals(body, row_totals=True, column_totals=True)
    assert unknowable(grid, frozenset(cells))


def test_a_small_group_of_rows_is_hidden_whole() -> None:
    # Pathways: 1 decided concern (second row), 19 with no decision yet (last row).
    grid = with_totals([[0], [1], [0], [19]], row_totals=False, column_totals=True)
    cells = suppressed_cells(grid, 5, groups=[[(0, 0), (1, 0), (2, 0)]])
    assert {(0, 0), (1, 0), (2, 0)} <= cells
    assert unknowable(grid, cells)


def test_rows_and_columns_are_both_protected() -> None:
    grid = [[5, 3], [6, 7], [9, 2]]
    assert hidden(grid, rows=True) == {(0, 0), (0, 1), (2, 0), (2, 1)}


def _all_lines(grid: Grid) -> list[list[tuple[int, int]]]:
    """Every line that adds up to a total, the total last."""
    height, width = len(grid.cells), len(grid.cells[0])
    lines = []
    if grid.row_totals:
        lines += [[(r, c) for c in range(width)] for r in range(height)]
    if grid.column_totals:
        lines += [[(r, c) for r in range(height)] for c in range(width)]
    return lines


def unknowable(grid: Grid, hide: frozenset[tuple[int, int]]) -> bool:
    """No line that adds up to a total has exactly one hidden cell."""
    return all(sum(cell in hide for cell in line) != 1 for line in _all_lines(grid))


@given(
    st.lists(st.lists(st.integers(0, 30), min_size=3, max_size=3), min_size=1, max_size=6),
    st.booleans(),
    st.booleans(),
)
def test_no_line_ever_gives_a_hidden_count_away(body: list[list[int]], rows: bool, columns: bool) -> None:
    grid = with_totals(body, row_totals=rows, column_totals=columns)
    hide = suppressed_cells(grid, 5)
    assert unknowable(grid, hide)
    for line in _all_lines(grid):  # a line with a small total shows nothing, not even a zero
        if 0 < grid.cells[line[-1][0]][line[-1][1]] < 5:
            assert set(line) <= hide
    small = {
        (r, c) for r, c in itertools.product(range(len(grid.cells)), range(3)) if 0 < grid.cells[r][c] < 5
    }
    assert small <= hide
