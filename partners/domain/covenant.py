"""Covenant term arithmetic: tacit renewal on 1 January with notice months before.

The Utrecht covenant (§2 "Looptijd") reads: the covenant runs until 1 January 2016 and is
tacitly renewed every year from 1 January of the new year, "tenzij het uiterlijk drie maanden
voor de ingangsdatum van verlenging wordt opgezegd" – unless notice is given at the latest
three months before the date the renewal takes effect.

Semantics chosen here (pure functions, no ORM):

- A term *ends on* its last day (31 December); the renewal takes effect the next day
  (1 January). The first term of the Utrecht covenant ends on 31 December 2015.
- On its last day a term is still the current one; from the renewal day on, the next one is.
- The notice date is the renewal day minus the notice months: 1 January minus three months
  is **1 October**. Notice given on 1 October still leaves the full three months
  (1 October – 31 December) before the renewal, so 1 October is the last day on which notice
  is in time; "uiterlijk drie maanden voor" includes that day. (Not 30 September: that
  would demand three months and one day.)
- Months are calendar months; a day that does not exist in the target month (31 → 30 June,
  29 February in a common year) falls back to that month's last day.
"""

from __future__ import annotations

import calendar
import datetime


def _add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later; 29 February becomes 28 February in common years."""
    year = day.year + years
    return day.replace(year=year, day=min(day.day, calendar.monthrange(year, day.month)[1]))


def _subtract_months(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def current_term_end(
    first_term_ends_on: datetime.date, today: datetime.date, *, renews: bool
) -> datetime.date:
    """The last day of the term running on `today`.

    Up to and including the first term's last day, that is the first term. After it, with
    tacit renewal, each following term lasts one year and ends on the same calendar day.
    Without renewal the first term's end is returned even when it lies in the past (the
    covenant has then ended)."""
    if not renews or today <= first_term_ends_on:
        return first_term_ends_on
    years = today.year - first_term_ends_on.year
    end = _add_years(first_term_ends_on, years)
    if end < today:
        end = _add_years(first_term_ends_on, years + 1)
    return end


def renewal_date(term_end: datetime.date) -> datetime.date:
    """The day the renewal takes effect: the day after the term ends (31 Dec → 1 Jan)."""
    return term_end + datetime.timedelta(days=1)


def notice_date(term_end: datetime.date, notice_months: int) -> datetime.date:
    """The last day on which notice is in time to stop the renewal after `term_end`.

    `notice_months` calendar months before the renewal day: a term ending 31 December with
    three months' notice gives 1 October (see the module docstring)."""
    return _subtract_months(renewal_date(term_end), notice_months)


def next_notice_date(
    first_term_ends_on: datetime.date,
    today: datetime.date,
    *,
    renews: bool,
    notice_months: int,
) -> datetime.date | None:
    """The first notice date on or after `today`: the current term's, or – once that has
    passed – the next term's. None when the covenant does not renew (nothing to give notice
    of)."""
    if not renews:
        return None
    term_end = current_term_end(first_term_ends_on, today, renews=True)
    deadline = notice_date(term_end, notice_months)
    if deadline < today:
        next_term_end = current_term_end(first_term_ends_on, renewal_date(term_end), renews=True)
        deadline = notice_date(next_term_end, notice_months)
    return deadline
