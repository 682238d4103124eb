"""The installation's working-day calendar: the statutory one plus EXTRA_CLOSING_DAYS."""

from __future__ import annotations

import datetime

from django.conf import settings

from .domain.deadlines import WorkingDayCalendar


def working_day_calendar() -> WorkingDayCalendar:
    extra = [datetime.date.fromisoformat(d) for d in getattr(settings, "EXTRA_CLOSING_DAYS", [])]
    return WorkingDayCalendar(extra)
