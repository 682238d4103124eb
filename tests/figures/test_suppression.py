"""Small-cell suppression (figures/domain/suppression.py): pure, no database."""

from __future__ import annotations

import itertools

import pytest

from figures.domain.suppression import HIDDEN, share, suppress, suppress_grid


def shown(table):
    return {k: c.display for k, c in table.cells.items()}


def test_nothing_small_nothing_hidden():
    table = suppress({"a": 5, "b": 12, "c": 0})
    assert shown(table) == {"a": "5", "b": "12", "c": "0"}
    assert table.total.display == "17"


@pytest.mark.parametrize("n", [1, 2, 3, 4])
def test_one_to_four_cases_show_less_than_five(n):
    table = suppress({"a": n, "b": 7, "c": 9})
    assert table.cells["a"].display == HIDDEN == "< 5"
    assert table.cells["a"].shown is None


def test_zero_and_five_are_shown():
    table = suppress({"zero": 0, "five": 5, "six": 6})
    assert shown(table) == {"zero": "0", "five": "5", "six": "6"}


def test_a_single_hidden_cell_takes_the_smallest_other_with_it():
    # 3 could be worked out as 30 − 12 − 15; the 12 is hidden as well.
    table = suppress({"a": 3, "b": 15, "c": 12})
    assert shown(table) == {"a": HIDDEN, "b": "15", "c": HIDDEN}
    assert table.total.display == "30"


def test_secondary_skips_zero_cells():
    # Hiding the 0 would not protect the 2: a reader still knows 0 + 2 = 2.
    table = suppress({"a": 2, "b": 0, "c": 8, "d": 20})
    assert shown(table) == {"a": HIDDEN, "b": "0", "c": HIDDEN, "d": "20"}


def test_two_hidden_cells_need_no_more():
    table = suppress({"a": 2, "b": 1, "c": 8})
    assert shown(table) == {"a": HIDDEN, "b": HIDDEN, "c": "8"}


def test_the_only_cell_with_cases_hides_the_total_instead():
    # Nothing else to hide: the total goes; a total of 3 would be "< 5" anyway.
    table = suppress({"a": 3, "b": 0})
    assert table.total.display == HIDDEN


def test_a_small_total_hides_every_cell_with_cases():
    table = suppress({"a": 2, "b": 2, "c": 0})
    assert shown(table) == {"a": HIDDEN, "b": HIDDEN, "c": "0"}
    assert table.total.display == HIDDEN


def test_ties_take_the_first_cell():
    table = suppress({"a": 1, "b": 9, "c": 9})
    assert shown(table) == {"a": HIDDEN, "b": HIDDEN, "c": "9"}


def test_overlapping_cells_with_a_given_total_get_primary_suppression_only():
    # A case with two nuisance forms counts for each: no cell follows from the total.
    table = suppress({"noise": 8, "threats": 2, "vermin": 6}, total=9)
    assert shown(table) == {"noise": "8", "threats": HIDDEN, "vermin": "6"}
    assert table.total.display == "9"


def test_negative_counts_are_refused():
    with pytest.raises(ValueError):
        suppress({"a": -1})


def test_no_single_hidden_cell_can_be_derived_exhaustively():
    """Every table of three cells 0..9: if a hidden cell has cases, at least one other cell
    with cases is hidden too (or the total is), so total minus the shown cells never gives a
    hidden cell exactly."""
    for values in itertools.product(range(10), repeat=3):
        table = suppress(dict(zip("abc", values, strict=True)))
        hidden = [k for k, c in table.cells.items() if c.hidden]
        if table.total.hidden:
            continue
        if any(table.cells[k].count for k in hidden):
            assert len([k for k in hidden if table.cells[k].count]) >= 2, values


def test_share_is_hidden_when_either_part_is_small():
    part, total, pct = share(2, 20)
    assert part.display == HIDDEN and pct is None
    part, total, pct = share(18, 20)  # 20 − 18 = 2 would reveal itself
    assert part.display == HIDDEN and pct is None
    part, total, pct = share(5, 20)
    assert (part.display, total.display, pct) == ("5", "20", 25.0)
    assert share(0, 0)[2] is None


def test_grid_protects_rows_and_columns():
    rows, columns = ["north", "south"], ["resolved", "manageable", "not"]
    counts = {
        ("north", "resolved"): 10,
        ("north", "manageable"): 2,
        ("north", "not"): 8,
        ("south", "resolved"): 9,
        ("south", "manageable"): 7,
        ("south", "not"): 6,
    }
    grid = suppress_grid(rows, columns, counts)
    hidden = {k for k, c in grid.cells.items() if c.hidden}
    assert ("north", "manageable") in hidden
    for r in rows:
        line = [k for k in hidden if k[0] == r]
        assert len(line) in (0, 2, 3)
    for c in columns:
        line = [k for k in hidden if k[1] == c]
        assert len(line) in (0, 2)
    assert grid.total.display == "42"


def test_grid_exhaustive_small_grids_leave_no_single_hidden_cell_in_a_line():
    rows, columns = ["r1", "r2"], ["c1", "c2"]
    for values in itertools.product([0, 1, 3, 5, 8], repeat=4):
        counts = dict(zip(itertools.product(rows, columns), values, strict=True))
        grid = suppress_grid(rows, columns, counts)
        for line in ([(r, c) for c in columns] for r in rows):
            r = line[0][0]
            if grid.row_totals[r].hidden:
                continue
            hidden = [k for k in line if grid.cells[k].hidden and grid.cells[k].count]
            assert len([k for k in line if grid.cells[k].hidden]) != 1 or not hidden, values
        for line in ([(r, c) for r in rows] for c in columns):
            c = line[0][1]
            if grid.column_totals[c].hidden:
                continue
            hidden = [k for k in line if grid.cells[k].hidden and grid.cells[k].count]
            assert len([k for k in line if grid.cells[k].hidden]) != 1 or not hidden, values
