"""Pure rules of meetings: series dates, initials, proposals, what a reader sees."""

import datetime as dt

import pytest
from django.utils import translation

from cases.choices import CaseStatus
from deadlines.domain.calendar import WorkingDayCalendar
from meetings.choices import ItemSource
from meetings.domain.agenda import (
    FULL,
    INTAKE_ONLY,
    initials,
    item_view,
    moved,
    proposal_source,
)
from meetings.domain.schedule import (
    apologies_problem,
    nth_weekday,
    on_working_day,
    schedule_problem,
    series_dates,
)

CAL = WorkingDayCalendar()
TUESDAY, THURSDAY, MONDAY = 1, 3, 0


@pytest.mark.parametrize(
    "year, month, weekday, nth, expected",
    [
        (2027, 1, TUESDAY, 2, dt.date(2027, 1, 12)),
        (2027, 3, MONDAY, 1, dt.date(2027, 3, 1)),
        (2027, 3, MONDAY, -1, dt.date(2027, 3, 29)),
        (2026, 12, THURSDAY, 4, dt.date(2026, 12, 24)),
    ],
)
def test_nth_weekday(year, month, weekday, nth, expected):
    assert nth_weekday(year, month, weekday, nth) == expected


@pytest.mark.parametrize(
    "day, expected",
    [
        (dt.date(2027, 5, 5), dt.date(2027, 5, 7)),  # Liberation Day, then Ascension Day
        (dt.date(2027, 4, 27), dt.date(2027, 4, 28)),  # King's Day
        (dt.date(2027, 3, 29), dt.date(2027, 3, 30)),  # Easter Monday
        (dt.date(2027, 3, 26), dt.date(2027, 3, 26)),  # Good Friday is a working day
        (dt.date(2027, 5, 6), dt.date(2027, 5, 7)),  # Ascension Day
        (dt.date(2027, 5, 17), dt.date(2027, 5, 18)),  # Whit Monday
        (dt.date(2026, 12, 25), dt.date(2026, 12, 28)),  # Christmas, Boxing Day, weekend
        (dt.date(2026, 12, 31), dt.date(2026, 12, 31)),
    ],
)
def test_a_meeting_moves_off_holidays_to_the_next_working_day(day, expected):
    assert on_working_day(day, CAL) == expected


def test_at_the_end_of_a_month_it_moves_back_instead():
    closing = WorkingDayCalendar([dt.date(2027, 4, 30)])
    assert on_working_day(dt.date(2027, 4, 30), closing) == dt.date(2027, 4, 29)


def test_installation_closing_days_count():
    closing = WorkingDayCalendar([dt.date(2027, 1, 12)])
    assert series_dates(2027, weekday=TUESDAY, nth=2, cal=closing)[0] == dt.date(2027, 1, 13)


@pytest.mark.parametrize(
    "skip_months, skip_dates, count, absent",
    [
        ((8,), (), 11, {8}),
        ((7, 8), (), 10, {7, 8}),
        ((8,), (dt.date(2027, 12, 14),), 10, {8, 12}),
        ((), (), 12, set()),
    ],
)
def test_a_series_is_a_rule_with_exceptions(skip_months, skip_dates, count, absent):
    dates = series_dates(
        2027, weekday=TUESDAY, nth=2, cal=CAL, skip_months=skip_months, skip_dates=skip_dates
    )
    assert len(dates) == count
    assert not {d.month for d in dates} & absent
    assert dates == sorted(dates)
    assert all(CAL.is_working_day(d) for d in dates)


def test_second_tuesday_in_may_2027_avoids_no_holiday_but_first_wednesday_does():
    # 5 May 2027 is the first Wednesday: moved to Thursday 6 May, which is Ascension Day,
    # so Friday 7 May.
    dates = series_dates(2027, weekday=2, nth=1, cal=CAL)
    assert dt.date(2027, 5, 7) in dates


@pytest.mark.parametrize(
    "first, last, expected",
    [
        ("Piet", "de Boer", "P.d.B."),
        ("Anna Maria", "Jansen", "A.M.J."),
        ("", "Van der Berg", "V.d.B."),
        ("Jan-Willem", "Smit-Koster", "J.W.S.K."),
    ],
)
def test_initials(first, last, expected):
    assert initials(first, last) == expected


@pytest.mark.parametrize(
    "status, evaluation_due, action_overdue, expected",
    [
        (CaseStatus.REFERRED, False, False, ItemSource.INTAKE),
        (CaseStatus.INTAKE, True, True, ItemSource.INTAKE),
        (CaseStatus.INVESTIGATION, False, False, ItemSource.PLAN),
        (CaseStatus.INVESTIGATION, False, True, ItemSource.OVERDUE_ACTION),
        (CaseStatus.EXECUTION, True, False, ItemSource.EVALUATION),
        (CaseStatus.EXECUTION, False, False, None),
        (CaseStatus.FINAL_EVALUATION, False, False, ItemSource.PASS_ON_OR_CLOSE),
        (CaseStatus.AFTERCARE, False, False, ItemSource.PASS_ON_OR_CLOSE),
        (CaseStatus.CLOSED, True, True, None),
        (CaseStatus.DRAFT, False, False, None),
    ],
)
def test_proposal_source(status, evaluation_due, action_overdue, expected):
    assert (
        proposal_source(status, evaluation_due=evaluation_due, action_overdue=action_overdue)
        == expected
    )


def test_a_referral_in_intake_shows_number_and_initials_only():
    assert item_view(CaseStatus.INTAKE) == INTAKE_ONLY
    assert not INTAKE_ONLY.street and not INTAKE_ONLY.question and INTAKE_ONLY.initials
    assert item_view(CaseStatus.EXECUTION) == FULL
    assert item_view(None) == FULL


@pytest.mark.parametrize(
    "order, pk, direction, expected",
    [
        ([1, 2, 3], 3, "up", [1, 3, 2]),
        ([1, 2, 3], 1, "down", [2, 1, 3]),
        ([1, 2, 3], 1, "up", [1, 2, 3]),  # the top stays the top
        ([1, 2, 3], 3, "down", [1, 2, 3]),  # the bottom stays the bottom
        ([1, 2, 3], 9, "up", [1, 2, 3]),  # not on the agenda
        ([1, 2, 3], 2, "sideways", [1, 2, 3]),
    ],
)
def test_moving_an_item_one_place(order, pk, direction, expected):
    assert moved(order, pk, direction) == expected
    assert order == [1, 2, 3]  # the given order is left alone


class _Facts:
    def __init__(self, *, cancelled=False, final=False):
        self.is_cancelled, self.minutes_are_final = cancelled, final


NOON = dt.datetime(2027, 1, 12, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    "cancelled, final, starts, refused",
    [
        (False, False, NOON + dt.timedelta(minutes=1), None),  # still to come
        (False, False, NOON, "held"),  # starts now: too late to stand in
        (False, False, NOON - dt.timedelta(days=1), "held"),
        (False, True, NOON + dt.timedelta(days=1), "held"),  # final minutes: it was held
        (True, False, NOON + dt.timedelta(days=1), "cancelled"),
    ],
)
def test_apologies_only_for_a_meeting_still_to_come(cancelled, final, starts, refused):
    with translation.override("en"):
        problem = apologies_problem(
            _Facts(cancelled=cancelled, final=final), starts=starts, now=NOON
        )
        moving = schedule_problem(_Facts(cancelled=cancelled, final=final), starts=starts, now=NOON)
    if refused is None:
        assert problem is None and moving is None
    else:
        assert problem is not None and refused in problem
        assert moving is not None  # a meeting that takes no apologies is not moved either
