"""Due dates of every kind, computed in one place (deadlines/domain/due.py + registry)."""

import datetime as dt

import pytest

from deadlines import domain, kinds, registry
from deadlines.domain import Direction, DueRule, Unit, WorkingDayCalendar

CAL = WorkingDayCalendar()


@pytest.mark.parametrize(
    "kind, start, due",
    [
        # Intake, 5 working days: King's Day (Monday 27 April 2026) is no working day.
        (kinds.INTAKE, dt.date(2026, 4, 24), dt.date(2026, 5, 4)),
        # Without a holiday in the window: Monday + 5 = next Monday.
        (kinds.INTAKE, dt.date(2026, 11, 2), dt.date(2026, 11, 9)),
        # Consent, 3 working days: Good Friday works, Easter Monday (6 April 2026) does not.
        (kinds.CORPORATION_CONSENT, dt.date(2026, 4, 2), dt.date(2026, 4, 8)),
        # Consent over Christmas and Boxing Day.
        (kinds.CORPORATION_CONSENT, dt.date(2026, 12, 24), dt.date(2026, 12, 30)),
        # Liberation Day (5 May) counts every year, not only every fifth.
        (kinds.CORPORATION_CONSENT, dt.date(2026, 5, 1), dt.date(2026, 5, 7)),
        # Six-month evaluation: calendar months, the month's last day when it has no 31st.
        (kinds.SIX_MONTH_EVALUATION, dt.date(2026, 8, 31), dt.date(2027, 2, 28)),
        (kinds.SIX_MONTH_EVALUATION, dt.date(2026, 11, 10), dt.date(2027, 5, 10)),
        # Meeting agenda 5 working days before a meeting on Thursday 7 May 2026 (5 May is
        # closed): 29 April.
        (kinds.MEETING_AGENDA, dt.date(2026, 5, 7), dt.date(2026, 4, 29)),
        # Covenant renewal on 1 January: notice 3 months before, 1 October.
        (kinds.COVENANT_RENEWAL_NOTICE, dt.date(2027, 1, 1), dt.date(2026, 10, 1)),
        # Retention: RETENTION_YEARS_AFTER_CLOSING (5) years after closing.
        (kinds.RETENTION, dt.date(2026, 6, 1), dt.date(2031, 6, 1)),
    ],
)
def test_due_date_per_kind(kind, start, due):
    assert registry.get(kind).dates(start)[0] == due


@pytest.mark.parametrize(
    "start, due",
    [
        # A referral redirected at intake: RETENTION_REDIRECTED_DAYS (365) calendar days.
        (dt.date(2026, 6, 1), dt.date(2027, 6, 1)),
        # Over a leap day: 365 days, not a calendar year.
        (dt.date(2027, 6, 1), dt.date(2028, 5, 31)),
    ],
)
def test_a_redirected_referrals_retention_is_its_own_period(start, due):
    kind = registry.get(kinds.RETENTION)
    assert kind.dates(start, variant=kinds.RETENTION_REDIRECTED)[0] == due
    # The kind's own rule is unchanged: five calendar years.
    assert kind.dates(start)[0] == start.replace(year=start.year + 5)


def test_the_redirected_period_follows_its_setting(settings):
    settings.RETENTION_REDIRECTED_DAYS = 30
    due, soon, _ = registry.get(kinds.RETENTION).dates(
        dt.date(2026, 6, 1), variant=kinds.RETENTION_REDIRECTED
    )
    # Due soon ten working days before, as every retention deadline.
    assert (due, soon) == (dt.date(2026, 7, 1), dt.date(2026, 6, 17))


def test_an_unknown_variant_is_refused():
    with pytest.raises(ValueError, match="variant"):
        registry.get(kinds.INTAKE).dates(dt.date(2026, 6, 1), variant=kinds.RETENTION_REDIRECTED)


RULES = [
    DueRule(Unit.CALENDAR_YEARS, 5),
    DueRule(Unit.CALENDAR_MONTHS, 1),
    DueRule(Unit.CALENDAR_MONTHS, 6),
    DueRule(Unit.CALENDAR_DAYS, 365),
    DueRule(Unit.CALENDAR_DAYS, 0),
    DueRule(Unit.WORKING_DAYS, 5),
    DueRule(Unit.WORKING_DAYS, 0),
]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: f"{r.amount}-{r.unit.value}")
def test_latest_start_is_the_inverse_of_the_due_date(rule):
    """A job's cutoff (`latest_start(today)`) takes exactly the occurrences whose due date
    has come: over month ends, leap days, weekends and holidays."""
    days = [dt.date(2028, 1, 20) + dt.timedelta(days=n) for n in range(60)]  # Feb 2028: leap
    days += [dt.date(2029, 2, 20) + dt.timedelta(days=n) for n in range(15)]
    days += [dt.date(2026, 4, 20) + dt.timedelta(days=n) for n in range(20)]  # King's Day
    for due_by in days:
        cutoff = rule.latest_start(due_by, calendar=CAL)
        window = [cutoff + dt.timedelta(days=n) for n in range(-10, 11)]
        for start in window:
            assert (rule.due_on(start, calendar=CAL) <= due_by) == (start <= cutoff), (
                due_by,
                start,
            )


@pytest.mark.parametrize(
    "rule, due_by, cutoff",
    [
        # Closed on 29 February 2024: due 28 February 2029, so gone that day, not on 1 March.
        (DueRule(Unit.CALENDAR_YEARS, 5), dt.date(2029, 2, 28), dt.date(2024, 2, 29)),
        (DueRule(Unit.CALENDAR_YEARS, 5), dt.date(2029, 3, 1), dt.date(2024, 3, 1)),
        (DueRule(Unit.CALENDAR_YEARS, 5), dt.date(2028, 2, 29), dt.date(2023, 2, 28)),
        # 28 February is a month after 28, 29, 30 and 31 January.
        (DueRule(Unit.CALENDAR_MONTHS, 1), dt.date(2027, 2, 28), dt.date(2027, 1, 31)),
        (DueRule(Unit.CALENDAR_DAYS, 365), dt.date(2027, 6, 1), dt.date(2026, 6, 1)),
    ],
)
def test_latest_start(rule, due_by, cutoff):
    assert rule.latest_start(due_by, calendar=CAL) == cutoff


def test_latest_start_needs_a_rule_counted_forward():
    for rule in (DueRule(Unit.GIVEN), DueRule(Unit.WORKING_DAYS, 5, Direction.BEFORE)):
        with pytest.raises(ValueError):
            rule.latest_start(dt.date(2026, 6, 1), calendar=CAL)


def test_intake_days_follow_the_setting(settings):
    settings.INTAKE_WORKING_DAYS = 2
    assert registry.get(kinds.INTAKE).dates(dt.date(2026, 4, 24))[0] == dt.date(2026, 4, 29)


def test_extra_closing_day_shifts_the_due_date(settings):
    settings.EXTRA_CLOSING_DAYS = ["2026-11-05"]
    assert registry.get(kinds.CORPORATION_CONSENT).dates(dt.date(2026, 11, 2))[0] == dt.date(
        2026, 11, 6
    )


def test_occurrence_amount_overrides_the_default():
    # A plan with a two-month evaluation interval.
    assert registry.get(kinds.PERIODIC_EVALUATION).dates(dt.date(2026, 1, 31), amount=2)[
        0
    ] == dt.date(2026, 3, 31)


def test_action_due_date_is_given():
    kind = registry.get(kinds.ACTION)
    assert kind.dates(dt.date(2026, 3, 1), given=dt.date(2026, 3, 20))[0] == dt.date(2026, 3, 20)
    with pytest.raises(ValueError, match="given"):
        kind.dates(dt.date(2026, 3, 1))


@pytest.mark.parametrize(
    "due, before, soon",
    [
        # One working day before Tuesday 28 April 2026: Friday 24 (King's Day in between).
        (dt.date(2026, 4, 28), 1, dt.date(2026, 4, 24)),
        (dt.date(2026, 11, 9), 1, dt.date(2026, 11, 6)),
        (dt.date(2026, 11, 9), 0, dt.date(2026, 11, 9)),
    ],
)
def test_due_soon_from_working_days_before(due, before, soon):
    assert domain.soon_on(due, working_days_before=before, calendar=CAL) == soon


@pytest.mark.parametrize(
    "due, utc",
    [
        # Before the switch to summer time on Sunday 29 March 2026: UTC+1.
        (dt.date(2026, 3, 27), dt.datetime(2026, 3, 27, 22, 59, 59, 999999, tzinfo=dt.UTC)),
        # The switch day itself and after: UTC+2.
        (dt.date(2026, 3, 29), dt.datetime(2026, 3, 29, 21, 59, 59, 999999, tzinfo=dt.UTC)),
        (dt.date(2026, 3, 30), dt.datetime(2026, 3, 30, 21, 59, 59, 999999, tzinfo=dt.UTC)),
        # Back to winter time on Sunday 25 October 2026.
        (dt.date(2026, 10, 23), dt.datetime(2026, 10, 23, 21, 59, 59, 999999, tzinfo=dt.UTC)),
        (dt.date(2026, 10, 26), dt.datetime(2026, 10, 26, 22, 59, 59, 999999, tzinfo=dt.UTC)),
    ],
)
def test_due_at_is_the_end_of_the_local_day_in_utc(due, utc):
    at = domain.due_at(due, "Europe/Amsterdam")
    assert at == utc
    local = at.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Amsterdam"))
    assert (local.date(), local.hour, local.minute) == (due, 23, 59)


def test_covenant_notice_agrees_with_the_covenant_model():
    from partners.domain.covenant import next_notice_date

    for today in (dt.date(2026, 1, 1), dt.date(2026, 9, 30), dt.date(2026, 10, 2)):
        expected = next_notice_date(dt.date(2015, 12, 31), today, renews=True, notice_months=3)
        renewal = dt.date(expected.year + (expected.month > 1), 1, 1)
        assert registry.get(kinds.COVENANT_RENEWAL_NOTICE).dates(renewal, amount=3)[0] == expected


def test_negative_amount_is_refused():
    with pytest.raises(ValueError):
        DueRule(Unit.WORKING_DAYS, 1, Direction.AFTER).due_on(
            dt.date(2026, 1, 1), calendar=CAL, amount=-1
        )


def test_due_soon_up_to_is_the_inverse_of_soon_from():
    """The list filter (due_on <= due_soon_up_to(today)) agrees with each row's soon_from,
    over Easter, King's Day, 5 May, Ascension and Whitsun, for each kind's number of days."""
    for code in (kinds.INTAKE, kinds.SIX_MONTH_EVALUATION, kinds.COVENANT_RENEWAL_NOTICE):
        kind = registry.get(code)
        days = [dt.date(2026, 3, 20) + dt.timedelta(days=n) for n in range(120)]  # Easter to June
        for today in days[:90]:
            limit = kind.due_soon_up_to(today)
            for due in days:
                if due >= today:
                    assert (kind.soon_from(due) <= today) == (due <= limit), (code, today, due)
