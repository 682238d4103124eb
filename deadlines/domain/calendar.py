"""Dutch working days. Pure rules: no ORM, no settings (`deadlines/calendar.py` adds the
installation's closing days from settings).

Working days follow the Algemene termijnenwet (art. 3): not Saturday or Sunday, nor
New Year's Day, Easter Monday, Ascension Day, Whit Monday, Christmas and Boxing Day, the
day King's Day is celebrated, and 5 May *every* year. The `holidays` package's Dutch
calendar differs on exactly two points — it has Good Friday, and 5 May only every fifth
year — and both are corrected here, in one place. An installation adds its own closing
days with the EXTRA_CLOSING_DAYS setting.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from functools import lru_cache

import holidays
from dateutil.easter import easter


@lru_cache(maxsize=64)
def statutory_holidays(year: int) -> frozenset[datetime.date]:
    """The general recognised holidays of the Algemene termijnenwet in `year`."""
    days = set(holidays.country_holidays("NL", years=year).keys())
    days.discard(easter(year) - datetime.timedelta(days=2))  # Good Friday is a working day
    days.add(datetime.date(year, 5, 5))  # Liberation Day counts every year
    return frozenset(days)


class WorkingDayCalendar:
    def __init__(self, extra_closing_days: Iterable[datetime.date] = ()) -> None:
        self.extra_closing_days = frozenset(extra_closing_days)

    def is_working_day(self, day: datetime.date) -> bool:
        return (
            day.weekday() < 5
            and day not in statutory_holidays(day.year)
            and day not in self.extra_closing_days
        )

    def add_working_days(self, start: datetime.date, days: int) -> datetime.date:
        """The day `days` working days after `start` (the start day itself not counted).

        With days=0: `start` when it is a working day, otherwise the next working day."""
        if days < 0:
            raise ValueError("days must not be negative")
        day = start
        if days == 0:
            while not self.is_working_day(day):
                day += datetime.timedelta(days=1)
            return day
        remaining = days
        while remaining:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def subtract_working_days(self, start: datetime.date, days: int) -> datetime.date:
        """The day `days` working days before `start` (e.g. an agenda due before a meeting)."""
        if days < 0:
            raise ValueError("days must not be negative")
        day = start
        remaining = days
        while remaining:
            day -= datetime.timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start)."""
        count = 0
        day = start
        while day < end:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count
