"""Covenant term and notice date (covenant §2): tacit renewal on 1 January, notice at the
latest three months before, i.e. on 1 October."""

from datetime import date

import pytest

from partners.domain.covenant import current_term_end, next_notice_date, notice_date
from partners.models import Covenant


@pytest.mark.parametrize(
    "first_end, today, renews, term_end",
    [
        (date(2017, 12, 31), date(2026, 11, 25), True, date(2026, 12, 31)),
        (date(2015, 12, 31), date(2026, 11, 25), True, date(2026, 12, 31)),
        # The last day of a term still belongs to it; the next day the renewed term runs.
        (date(2015, 12, 31), date(2026, 12, 31), True, date(2026, 12, 31)),
        (date(2015, 12, 31), date(2027, 1, 1), True, date(2027, 12, 31)),
        # Before and during the first term: the first term.
        (date(2015, 12, 31), date(2015, 4, 1), True, date(2015, 12, 31)),
        (date(2015, 12, 31), date(2015, 12, 31), True, date(2015, 12, 31)),
        # Without tacit renewal the first term's end stays, also once it has passed.
        (date(2017, 12, 31), date(2026, 11, 25), False, date(2017, 12, 31)),
        # A term that does not end on 31 December renews on its own calendar day.
        (date(2016, 6, 30), date(2026, 7, 1), True, date(2027, 6, 30)),
        (date(2016, 6, 30), date(2026, 6, 30), True, date(2026, 6, 30)),
        # 29 February falls back to 28 February in common years, and returns in leap years.
        (date(2016, 2, 29), date(2027, 1, 1), True, date(2027, 2, 28)),
        (date(2016, 2, 29), date(2028, 1, 1), True, date(2028, 2, 29)),
    ],
)
def test_current_term_end(first_end, today, renews, term_end):
    assert current_term_end(first_end, today, renews=renews) == term_end


@pytest.mark.parametrize(
    "term_end, months, deadline",
    [
        # 1 January minus three months: 1 October is the last day notice is in time.
        (date(2026, 12, 31), 3, date(2026, 10, 1)),
        (date(2015, 12, 31), 3, date(2015, 10, 1)),
        (date(2026, 12, 31), 1, date(2026, 12, 1)),
        (date(2026, 12, 31), 12, date(2026, 1, 1)),
        (date(2026, 12, 31), 15, date(2025, 10, 1)),
        # Renewal on 31 May minus three months: 28 February (no 31 February).
        (date(2027, 5, 30), 3, date(2027, 2, 28)),
        (date(2028, 5, 30), 3, date(2028, 2, 29)),
    ],
)
def test_notice_date(term_end, months, deadline):
    assert notice_date(term_end, months) == deadline


@pytest.mark.parametrize(
    "today, expected",
    [
        (date(2026, 9, 30), date(2026, 10, 1)),
        (date(2026, 10, 1), date(2026, 10, 1)),
        # Once 1 October has passed, notice can only stop the renewal a year later.
        (date(2026, 10, 2), date(2027, 10, 1)),
        (date(2026, 11, 25), date(2027, 10, 1)),
        (date(2027, 1, 1), date(2027, 10, 1)),
    ],
)
def test_next_notice_date(today, expected):
    assert next_notice_date(date(2015, 12, 31), today, renews=True, notice_months=3) == expected


def test_next_notice_date_is_none_without_renewal():
    assert (
        next_notice_date(date(2015, 12, 31), date(2026, 1, 1), renews=False, notice_months=3)
        is None
    )


def test_covenant_model_uses_the_domain_rules():
    covenant = Covenant(
        title="Test",
        signed_on=date(2015, 4, 1),
        starts_on=date(2015, 4, 1),
        first_term_ends_on=date(2017, 12, 31),
        renews_tacitly=True,
        notice_months=3,
    )
    today = date(2026, 11, 25)
    assert covenant.current_term_end(today) == date(2026, 12, 31)
    assert covenant.notice_date(today) == date(2026, 10, 1)
    assert covenant.next_notice_date(today) == date(2027, 10, 1)
