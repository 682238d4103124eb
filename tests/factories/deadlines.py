"""Deadline rows for tests: the due date and state of a case's deadlines live only there."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

from deadlines import registry, services
from deadlines.domain import due_at
from deadlines.models import Deadline


def deadline_falling_due(
    due_on: dt.date, *, kind: str, case: Any = None, subject: Any = None, **extra: Any
) -> Deadline:
    """The open deadline of `kind` of `case`/`subject`, moved to fall due on `due_on` (its
    "due soon" day and due instant follow from the kind, as when it opens)."""
    deadline = services.deadline_open(
        kind=kind, case=case, subject=subject, started_on=due_on, **extra
    )
    Deadline.objects.filter(pk=deadline.pk).update(
        due_on=due_on,
        soon_on=registry.get(kind).soon_from(due_on),
        due_at=due_at(due_on, settings.TIME_ZONE),
    )
    deadline.refresh_from_db()
    return deadline
