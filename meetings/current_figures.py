"""The current figures an advisory or steering group agenda attaches (DOMAIN.md §9, §10).

The covenant's advisory and steering groups discuss the figures, so their agenda (the
meeting's page and the agenda PDF) attaches the year's figures up to the meeting's date. The
figures app sits above meetings (its meeting figures read meetings; pyproject.toml), so
meetings may not import it: figures registers its provider here from
`FiguresConfig.ready()`, the pattern of `cases.purge.register_case_purge` and
`deadlines.access.register_case_scope`. Without a provider the agenda has no figures section
(absent, not faked).

What a provider returns is aggregates only, with the figures app's small-cell suppression
already applied ("< 5"): tables of display strings, never a case or a person, so showing them
writes no read-log row.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from .models import Meeting


@dataclass(frozen=True)
class FigureTable:
    """One suppressed table of the annual report, as display strings."""

    key: str
    title: str
    definition: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class CurrentFigures:
    """The figures an agenda attaches: the period (1 January up to the meeting's date) and
    the tables."""

    start: datetime.date
    end: datetime.date
    tables: tuple[FigureTable, ...]


class FigureTables(Protocol):
    def __call__(
        self, *, start: datetime.date, end: datetime.date, today: datetime.date
    ) -> Sequence[FigureTable]: ...


class ReportRule(Protocol):
    def __call__(self, user: Any) -> bool: ...


@dataclass(frozen=True)
class _Provider:
    tables: FigureTables
    may_open_report: ReportRule


# The registered provider, under one key (a dict, so registering needs no `global`).
_registry: dict[str, _Provider] = {}


def register_meeting_figures(*, tables: FigureTables, may_open_report: ReportRule) -> None:
    """Called from the figures app's ready(): `tables(start=, end=, today=)` returns the
    suppressed tables of all networks for the period; `may_open_report(user)` says whether
    the page links to the full report."""
    _registry["figures"] = _Provider(tables=tables, may_open_report=may_open_report)


def figures_period(meeting: Meeting) -> tuple[datetime.date, datetime.date]:
    """The year of the meeting, from 1 January up to and including the meeting's date."""
    return datetime.date(meeting.date.year, 1, 1), meeting.date


def meeting_figures(*, meeting: Meeting, today: datetime.date) -> CurrentFigures | None:
    """The figures the meeting's agenda attaches, or None: a meeting that does not discuss
    them (a case or director meeting), or no figures app registered."""
    provider = _registry.get("figures")
    if provider is None or not meeting.discusses_figures:
        return None
    start, end = figures_period(meeting)
    return CurrentFigures(
        start=start, end=end, tables=tuple(provider.tables(start=start, end=end, today=today))
    )


def may_open_figures_report(user: Any) -> bool:
    """Whether the user may open the full annual report (the page then links to it)."""
    provider = _registry.get("figures")
    return provider is not None and provider.may_open_report(user)
