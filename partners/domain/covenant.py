"""Covenant term arithmetic: tacit renewal on 1 January with notice months before."""

import calendar
import datetime


def current_term_end(first_term_ends_on: datetime.date, today: datetime.date, *, renews: bool) -> datetime.date:
    """The end of the term running on `today` (the first term, then one year at a time)."""
    end = first_term_ends_on
    if not renews:
        return end
    while end < today:
        end = end.replace(year=end.year + 1)
    return end


def notice_date(term_end: datetime.date, notice_months: int) -> datetime.date:
    """The day notice must be given at the latest: `notice_months` before the renewal day.

    The renewal day is the day after the term ends (31 December → 1 January)."""
    renewal = term_end + datetime.timedelta(days=1)
    month = renewal.month - notice_months
    year = renewal.year
    while month <= 0:
        month += 12
        year -= 1
    day = min(renewal.day, calendar.monthrange(year, month)[1])
    return datetime.date(year, month, day)
