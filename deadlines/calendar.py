"""The installation's working-day calendar: the statutory one (`domain/calendar.py`) plus
the closing days of the EXTRA_CLOSING_DAYS setting. Every app counts working days here."""

from __future__ import annotations

import datetime

from django.conf import settings

from .domain.calendar import WorkingDayCalendar


def working_day_calendar() -> WorkingDayCalendar:
    extra = [datetime.date.fromisoformat(d) for d in getattr(settings, "EXTRA_CLOSING_DAYS", [])]
    return WorkingDayCalendar(extra)
