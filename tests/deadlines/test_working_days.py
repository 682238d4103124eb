"""The working-day calendar (Algemene termijnenwet, closing days by setting)."""

import datetime as dt

import pytest
from django.test import override_settings

from deadlines.calendar import working_day_calendar
from deadlines.domain.calendar import WorkingDayCalendar

CAL = WorkingDayCalendar()


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (dt.date(2026, 4, 24), 5, dt.date(2026, 5, 4)),  # King's Day Mon 27 April
        (dt.date(2026, 12, 24), 3, dt.date(2026, 12, 30)),  # Christmas and Boxing Day
        (dt.date(2026, 11, 25), 5, dt.date(2026, 12, 2)),  # an ordinary week
        (dt.date(2026, 11, 27), 1, dt.date(2026, 11, 30)),  # Friday → Monday
        (dt.date(2026, 5, 4), 1, dt.date(2026, 5, 6)),  # 5 May 2026 is no working day
        (dt.date(2026, 5, 13), 1, dt.date(2026, 5, 15)),  # Ascension Day
        (dt.date(2026, 5, 22), 1, dt.date(2026, 5, 26)),  # Whit Monday
        (dt.date(2026, 4, 2), 1, dt.date(2026, 4, 3)),  # Good Friday IS a working day
        (dt.date(2026, 4, 3), 1, dt.date(2026, 4, 7)),  # Easter Monday is not
        (dt.date(2025, 4, 25), 1, dt.date(2025, 4, 28)),  # King's Day 2025 on Sat 26 April
        (dt.date(2026, 12, 31), 1, dt.date(2027, 1, 4)),  # New Year's Day, weekend
        (dt.date(2026, 11, 28), 0, dt.date(2026, 11, 30)),  # 0 days from Saturday → Monday
    ],
)
def test_add_working_days(start, days, due):
    assert CAL.add_working_days(start, days) == due


def test_liberation_day_counts_every_year_not_only_every_fifth():
    # The holidays package has 5 May only in lustrum years (2025, 2030); the law has it always.
    assert not CAL.is_working_day(dt.date(2027, 5, 5))
    assert not CAL.is_working_day(dt.date(2028, 5, 5))


def test_good_friday_is_a_working_day():
    assert CAL.is_working_day(dt.date(2027, 3, 26))


def test_subtract_working_days_for_agenda_before_meeting():
    # Meeting on Thursday 7 May 2026; 5 working days earlier skips 5 May.
    assert CAL.subtract_working_days(dt.date(2026, 5, 7), 5) == dt.date(2026, 4, 29)


def test_working_days_between():
    assert CAL.working_days_between(dt.date(2026, 12, 24), dt.date(2026, 12, 30)) == 3
    assert CAL.working_days_between(dt.date(2026, 12, 30), dt.date(2026, 12, 24)) == 0


@override_settings(EXTRA_CLOSING_DAYS=["2026-12-31"])
def test_installation_can_add_its_own_closing_days():
    assert working_day_calendar().add_working_days(dt.date(2026, 12, 30), 1) == dt.date(2027, 1, 4)


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        CAL.add_working_days(dt.date(2026, 1, 5), -1)
