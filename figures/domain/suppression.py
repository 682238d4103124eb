"""Small-cell suppression (DOMAIN.md §10: managers and the advisory and steering groups see
only aggregates).

Pure: counts in, display cells out. The rule:

- *Primary*: a cell counting 1 to 4 cases (fewer than `THRESHOLD`) shows "< 5". A zero stays
  0 (it describes nobody).
- *Secondary*: a total is shown beside the cells, so a single hidden cell in a table could be
  worked out as total minus the others. Wherever exactly one cell of a table (or of a row or
  column of a grid) is hidden, the smallest other non-hidden cell with cases is hidden too;
  if there is none, the total itself is hidden. In a grid this repeats until every row and
  column has no hidden cell or at least two.
- A total under the threshold is itself "< 5", and so is every non-zero cell under it.
- A share (k of n) is shown only when neither k nor n − k is hidden.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass

THRESHOLD = 5
HIDDEN = "< 5"


def _small(n: int) -> bool:
    return 0 < n < THRESHOLD


@dataclass(frozen=True)
class Cell:
    count: int
    hidden: bool

    @property
    def display(self) -> str:
        return HIDDEN if self.hidden else str(self.count)

    @property
    def shown(self) -> int | None:
        """The number a chart may draw (None when hidden)."""
        return None if self.hidden else self.count


@dataclass(frozen=True)
class Table[K: Hashable]:
    cells: dict[K, Cell]
    total: Cell


def _hide_one_more[K: Hashable](counts: Mapping[K, int], hidden: Collection[K]) -> K | None:
    """The key of the smallest non-hidden cell with cases (first of equals), or None."""
    candidates = [(n, i, key) for i, (key, n) in enumerate(counts.items()) if key not in hidden]
    candidates = [c for c in candidates if c[0] > 0]
    if not candidates:
        return None
    return min(candidates, key=lambda c: (c[0], c[1]))[2]


def suppress[K: Hashable](counts: Mapping[K, int], *, total: int | None = None) -> Table[K]:
    """Suppress a one-way table. `total` defaults to the sum of the cells (pass it when the
    cells overlap, e.g. a referral with two nuisance forms; then no cell can be derived from
    the total and only primary suppression applies)."""
    if any(n < 0 for n in counts.values()):
        raise ValueError("counts cannot be negative")
    additive = total is None
    grand = sum(counts.values()) if total is None else total
    hidden: set[K] = {key for key, n in counts.items() if _small(n)}
    total_hidden = _small(grand)
    if total_hidden:
        hidden |= {key for key, n in counts.items() if n > 0}
    elif additive and len(hidden) == 1:
        extra = _hide_one_more(counts, hidden)
        if extra is None:
            total_hidden = True
        else:
            hidden.add(extra)
    return Table(
        cells={key: Cell(n, key in hidden) for key, n in counts.items()},
        total=Cell(grand, total_hidden),
    )


def _needs_partner[K: Hashable](keys: Sequence[K], value: Mapping[K, int], hidden: set[K]) -> bool:
    """Exactly one hidden cell with cases in a line whose total is shown."""
    return len([k for k in keys if k in hidden]) == 1 and any(value[k] for k in keys if k in hidden)


@dataclass(frozen=True)
class Grid[R: Hashable, C: Hashable]:
    cells: dict[tuple[R, C], Cell]
    row_totals: dict[R, Cell]
    column_totals: dict[C, Cell]
    total: Cell


def suppress_grid[R: Hashable, C: Hashable](
    rows: Sequence[R], columns: Sequence[C], counts: Mapping[tuple[R, C], int]
) -> Grid[R, C]:
    """Suppress a two-way table with row, column and grand totals (missing cells are 0)."""
    value = {(r, c): counts.get((r, c), 0) for r in rows for c in columns}
    if any(n < 0 for n in value.values()):
        raise ValueError("counts cannot be negative")
    row_sum = {r: sum(value[r, c] for c in columns) for r in rows}
    col_sum = {c: sum(value[r, c] for r in rows) for c in columns}
    grand = sum(row_sum.values())
    hidden = {key for key, n in value.items() if _small(n)}
    hidden_rows = {r for r in rows if _small(row_sum[r])}
    hidden_cols = {c for c in columns if _small(col_sum[c])}
    for r in hidden_rows:
        hidden |= {(r, c) for c in columns if value[r, c] > 0}
    for c in hidden_cols:
        hidden |= {(r, c) for r in rows if value[r, c] > 0}
    grand_hidden = _small(grand)
    # A hidden row or column total is a hidden cell of the totals column / row.
    changed = True
    while changed:
        changed = False
        for r in rows:
            keys = [(r, c) for c in columns]
            if r not in hidden_rows and _needs_partner(keys, value, hidden):
                extra = _hide_one_more({k: value[k] for k in keys}, hidden)
                if extra is None:
                    hidden_rows.add(r)  # nothing else to hide: the row's total goes
                else:
                    hidden.add(extra)
                changed = True
        for c in columns:
            keys = [(r, c) for r in rows]
            if c not in hidden_cols and _needs_partner(keys, value, hidden):
                extra = _hide_one_more({k: value[k] for k in keys}, hidden)
                if extra is None:
                    hidden_cols.add(c)
                else:
                    hidden.add(extra)
                changed = True
        # The totals column and row: a single hidden row (column) total follows from the
        # grand total and the others; hide the smallest other one too, or the grand total.
        if len(hidden_rows) == 1 and not grand_hidden:
            extra_row = _hide_one_more(row_sum, hidden_rows)
            if extra_row is None:
                grand_hidden = True
            else:
                hidden_rows.add(extra_row)
                hidden |= {(extra_row, c) for c in columns if value[extra_row, c]}
            changed = True
        if len(hidden_cols) == 1 and not grand_hidden:
            extra_col = _hide_one_more(col_sum, hidden_cols)
            if extra_col is None:
                grand_hidden = True
            else:
                hidden_cols.add(extra_col)
                hidden |= {(r, extra_col) for r in rows if value[r, extra_col]}
            changed = True
    return Grid(
        cells={key: Cell(n, key in hidden) for key, n in value.items()},
        row_totals={r: Cell(row_sum[r], r in hidden_rows) for r in rows},
        column_totals={c: Cell(col_sum[c], c in hidden_cols) for c in columns},
        total=Cell(grand, grand_hidden),
    )


def share(part: int, whole: int) -> tuple[Cell, Cell, float | None]:
    """k of n with its share in percent; the share only when neither k nor n − k is hidden."""
    table = suppress({"part": part, "rest": whole - part})
    part_cell, rest_cell = table.cells["part"], table.cells["rest"]
    visible = not (part_cell.hidden or rest_cell.hidden or table.total.hidden) and whole > 0
    return part_cell, table.total, (round(100 * part / whole, 1) if visible else None)
