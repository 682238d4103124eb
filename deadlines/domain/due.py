"""Due-date arithmetic for every deadline kind. Pure rules: no ORM, no settings.

This is the ONE place a due date is computed (`DueRule.due_on`), together with the day a
deadline becomes "due soon" (`soon_on`) and the instant it becomes overdue (`due_at`).
Working days come from `calendar.WorkingDayCalendar` (Algemene termijnenwet);
calendar months from dateutil (31 January + 1 month = 28/29 February).
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from .calendar import WorkingDayCalendar


class Unit(enum.StrEnum):
    WORKING_DAYS = "working_days"  # Dutch working days (Algemene termijnenwet)
    CALENDAR_DAYS = "calendar_days"  # every day counts (a redirected referral's 365 days)
    CALENDAR_MONTHS = "calendar_months"
    CALENDAR_YEARS = "calendar_years"
    GIVEN = "given"  # the due date is given by the occurrence itself (an action's date)


class Direction(enum.IntEnum):
    AFTER = 1  # due `amount` units after the start (intake: 5 working days after referral)
    BEFORE = -1  # due `amount` units before the start (agenda: 5 working days before meeting)


@dataclass(frozen=True)
class DueRule:
    """How a kind's due date follows from the day that starts it.

    `amount` is the default; an installation may override it by setting (`amount_setting`,
    read by the registry, never here) and one occurrence may carry its own (a plan's
    evaluation interval, a covenant's notice months)."""

    unit: Unit
    amount: int = 0
    direction: Direction = Direction.AFTER
    amount_setting: str = ""

    def due_on(
        self,
        start: datetime.date,
        *,
        calendar: WorkingDayCalendar,
        amount: int | None = None,
        given: datetime.date | None = None,
    ) -> datetime.date:
        n = self.amount if amount is None else amount
        if n < 0:
            raise ValueError("amount must not be negative")
        if self.unit == Unit.GIVEN:
            if given is None:
                raise ValueError("this kind needs its due date given")
            return given
        if self.unit == Unit.WORKING_DAYS:
            if self.direction == Direction.AFTER:
                return calendar.add_working_days(start, n)
            return calendar.subtract_working_days(start, n)
        if self.unit == Unit.CALENDAR_DAYS:
            return start + datetime.timedelta(days=n * int(self.direction))
        step = (
            relativedelta(years=n * int(self.direction))
            if self.unit == Unit.CALENDAR_YEARS
            else relativedelta(months=n * int(self.direction))
        )
        due: datetime.date = start + step
        return due

    def latest_start(
        self, due_by: datetime.date, *, calendar: WorkingDayCalendar, amount: int | None = None
    ) -> datetime.date:
        """The latest start whose due date is `due_by` or earlier: exactly the occurrences
        started on or before it have come due by then (a daily job's cutoff, which so agrees
        with the deadline rows to the day). Only for rules counted forward from the start.

        Not simply `due_by` minus the period: months and years end early in short months
        (29 February 2024 + 5 years = 28 February 2029, as 28 February 2024 + 5 years), and
        working days skip weekends, so a few later starts can fall due on the same day."""
        if self.unit == Unit.GIVEN or self.direction != Direction.AFTER:
            raise ValueError("only rules counted forward from their start have a latest start")
        n = self.amount if amount is None else amount
        one_day = datetime.timedelta(days=1)

        def due(start: datetime.date) -> datetime.date:
            return self.due_on(start, calendar=calendar, amount=n)

        if self.unit == Unit.WORKING_DAYS:
            start = calendar.subtract_working_days(due_by, n)
        elif self.unit == Unit.CALENDAR_DAYS:
            start = due_by - datetime.timedelta(days=n)
        elif self.unit == Unit.CALENDAR_YEARS:
            start = due_by - relativedelta(years=n)
        else:
            start = due_by - relativedelta(months=n)
        # Due dates never fall as the start moves on (they are monotone), so step to the
        # last start that is still due by `due_by`: at most a few days either way.
        while due(start) > due_by:
            start -= one_day
        while due(start + one_day) <= due_by:
            start += one_day
        return start


def soon_on(
    due_on: datetime.date, *, working_days_before: int, calendar: WorkingDayCalendar
) -> datetime.date:
    """The first day on which a deadline counts as "due soon": `working_days_before` working
    days before the due day (0: the due day itself)."""
    if working_days_before <= 0:
        return due_on
    return calendar.subtract_working_days(due_on, working_days_before)


def due_at(due_on: datetime.date, zone: str) -> datetime.datetime:
    """The last instant of the due day in the installation's time zone, in UTC. Across a
    DST change the local time stays 23:59:59; the UTC offset follows the date."""
    local = datetime.datetime.combine(due_on, datetime.time.max, tzinfo=ZoneInfo(zone))
    return local.astimezone(datetime.UTC)


class Stage(enum.StrEnum):
    """Notification stages of one deadline, in order. `Deadline.stage_notified` holds the
    highest stage the scan has handled (0 none, 1 due soon, 2 overdue)."""

    DUE_SOON = "due_soon"
    OVERDUE = "overdue"

    @property
    def level(self) -> int:
        return 1 if self is Stage.DUE_SOON else 2
