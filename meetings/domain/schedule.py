"""When a network's case meetings fall in a year. Pure rules: no ORM, no settings.

Also when a meeting can still change: moving and cancelling (`schedule_problem`) and
apologies (`apologies_problem`) end once it has taken place (its start has passed, or its
minutes are final) or was cancelled.

A series is a rule with exceptions: the n-th given weekday of each month (e.g. the second
Tuesday), no meeting in the skipped months (August by default), none on skipped dates. A
date that is no working day (a holiday of the Algemene termijnenwet, or an installation's
closing day) moves to the next working day in the same month, or, when the month has none
left, the last working day before it.
"""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable
from typing import Protocol

from django.utils.translation import gettext as _


class Calendar(Protocol):
    def is_working_day(self, day: datetime.date) -> bool: ...


class MeetingFacts(Protocol):
    """What the rules read of a meeting (a `meetings.models.Meeting`)."""

    @property
    def is_cancelled(self) -> bool: ...
    @property
    def minutes_are_final(self) -> bool: ...


def has_taken_place(
    meeting: MeetingFacts, *, starts: datetime.datetime, now: datetime.datetime
) -> bool:
    """Its start (aware) has passed, or its minutes are final."""
    return meeting.minutes_are_final or starts <= now


def schedule_problem(
    meeting: MeetingFacts, *, starts: datetime.datetime, now: datetime.datetime
) -> str | None:
    """Why a meeting can no longer be moved or cancelled, or None."""
    if meeting.is_cancelled:
        return _("This meeting has been cancelled.")
    if has_taken_place(meeting, starts=starts, now=now):
        return _("This meeting has taken place; it can no longer be moved or cancelled.")
    return None


def apologies_problem(
    meeting: MeetingFacts, *, starts: datetime.datetime, now: datetime.datetime
) -> str | None:
    """Why apologies can no longer be sent for a meeting, or None: it was cancelled, or it
    has been held (nobody can stand in for a meeting that is over)."""
    if meeting.is_cancelled:
        return _("This meeting has been cancelled.")
    if has_taken_place(meeting, starts=starts, now=now):
        return _("This meeting has already been held; apologies can no longer be sent.")
    return None


DEFAULT_SKIP_MONTHS = (8,)


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> datetime.date:
    """The `nth` (1..4, or -1 for the last) `weekday` (0 Monday) of the month."""
    if nth not in (-1, 1, 2, 3, 4):
        raise ValueError("nth must be 1 to 4, or -1 for the last")
    if not 0 <= weekday <= 6:
        raise ValueError("weekday must be 0 (Monday) to 6 (Sunday)")
    days = calendar.monthrange(year, month)[1]
    matching = [
        datetime.date(year, month, d)
        for d in range(1, days + 1)
        if datetime.date(year, month, d).weekday() == weekday
    ]
    return matching[-1] if nth == -1 else matching[nth - 1]


def on_working_day(day: datetime.date, cal: Calendar) -> datetime.date:
    """`day`, or the next working day in its month, or else the last one before it."""
    forward = day
    while forward.month == day.month:
        if cal.is_working_day(forward):
            return forward
        forward += datetime.timedelta(days=1)
    backward = day - datetime.timedelta(days=1)
    while not cal.is_working_day(backward):
        backward -= datetime.timedelta(days=1)
    return backward


def series_dates(
    year: int,
    *,
    weekday: int,
    nth: int,
    cal: Calendar,
    skip_months: Iterable[int] = DEFAULT_SKIP_MONTHS,
    skip_dates: Iterable[datetime.date] = (),
) -> list[datetime.date]:
    """The meeting dates of a series in `year`, in order."""
    skipped_months = set(skip_months)
    skipped_dates = set(skip_dates)
    dates = []
    for month in range(1, 13):
        if month in skipped_months:
            continue
        day = on_working_day(nth_weekday(year, month, weekday, nth), cal)
        if day not in skipped_dates:
            dates.append(day)
    return dates
