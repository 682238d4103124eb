"""Geometry of the server-side bar charts (pure): a horizontal bar per row, scaled to the
largest shown value. Hidden values (small-cell suppression) get no bar."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

LABEL_WIDTH = 220
BAR_AREA = 300
VALUE_WIDTH = 60
ROW_HEIGHT = 24
BAR_HEIGHT = 16
WIDTH = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH


@dataclass(frozen=True)
class Bar:
    label: str
    display: str
    y: int
    text_y: int
    width: int


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    width: int
    height: int
    label_width: int


def bar_chart(rows: Sequence[tuple[str, float | None, str]]) -> Chart:
    """rows: (label, value or None when hidden, what to print at the bar's end)."""
    largest = max((v for _, v, _ in rows if v is not None), default=0) or 1
    bars = []
    for i, (label, value, display) in enumerate(rows):
        y = i * ROW_HEIGHT + (ROW_HEIGHT - BAR_HEIGHT) // 2
        width = 0 if value is None else round(BAR_AREA * max(value, 0) / largest)
        if value and width == 0:
            width = 1
        bars.append(Bar(label=label, display=display, y=y, text_y=i * ROW_HEIGHT + 16, width=width))
    return Chart(
        bars=bars, width=WIDTH, height=max(len(rows), 1) * ROW_HEIGHT, label_width=LABEL_WIDTH
    )
