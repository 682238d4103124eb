"""Pure rules of early signals (no ORM)."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta


def retention_cutoff(today: datetime.date, months: int) -> datetime.date:
    """Signals whose last change was on or before this day are past retention."""
    cutoff: datetime.date = today - relativedelta(months=months)
    return cutoff


def same_address(a: tuple[str, int | None, str], b: tuple[str, int | None, str]) -> bool:
    """Postcode, house number and addition (case and spaces ignored in the addition)."""

    def norm(address: tuple[str, int | None, str]) -> tuple[str, int | None, str]:
        postcode, number, addition = address
        return postcode.replace(" ", "").upper(), number, addition.replace(" ", "").upper()

    return norm(a) == norm(b)
