"""The figures an advisory or steering group agenda attaches (issue 13): the annual report's
suppressed tables for all networks, registered with `meetings.current_figures` from
`FiguresConfig.ready()` (meetings sits below figures and may not import it)."""

from __future__ import annotations

import datetime

from meetings.current_figures import FigureTable

from .report import build_report
from .selectors import Scope


def agenda_figure_tables(
    *, start: datetime.date, end: datetime.date, today: datetime.date
) -> list[FigureTable]:
    """Every figure of the annual report for the period, all networks: the same suppressed
    cells as the report's page, CSV and PDF (no chart, no result agreements)."""
    report = build_report(Scope(start=start, end=end), today=today)
    return [
        FigureTable(
            key=figure.key,
            title=figure.title,
            definition=figure.definition,
            columns=tuple(figure.columns),
            rows=tuple(tuple(row) for row in figure.rows),
        )
        for figure in report.figures
    ]
