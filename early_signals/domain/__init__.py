"""Pure rules of early signals (no ORM)."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta


def retention_cutoff(today: datetime.date, months: int) -> datetime.date:
    """Signals whose last change was on or before this day are past retention."""
    cutoff: datetime.date = today - relativedelta(months=months)
    return cutoff
