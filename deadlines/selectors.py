"""Every read on deadlines. Who sees which deadline: `deadlines.access.visible_deadlines`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, F, Q
from django.utils import timezone

from . import access
from .models import OPEN, Deadline

if TYPE_CHECKING:
    from cases.models import Case
    from partners.models import User

DASHBOARD_ITEMS = 5
MET_WINDOW_DAYS = 30


def _due_soon(now: datetime.datetime) -> Q:
    return OPEN & Q(soon_on__lte=timezone.localdate(now), due_at__gte=now)


def _overdue(now: datetime.datetime) -> Q:
    return OPEN & Q(due_at__lt=now)


def deadlines_for_case(*, case: Case) -> list[Deadline]:
    """Every deadline of the case (open, met and lapsed), earliest due first; one query.
    The caller has checked that the user sees the case."""
    return list(Deadline.objects.filter(case=case).order_by("due_on", "pk"))


@dataclass
class DashboardBlock:
    due_soon: int = 0
    overdue: int = 0
    met_late: int = 0
    met_on_time: int = 0
    top: dict[str, list[Deadline]] = field(default_factory=dict)
    met_window_days: int = MET_WINDOW_DAYS


def dashboard_block(*, user: User, now: datetime.datetime | None = None) -> DashboardBlock | None:
    """Counts per state and the first few of each, for the dashboard; five queries whatever
    the number of deadlines. None for users who see no deadlines at all."""
    if not access.may_see_deadlines(user):
        return None
    now = now or timezone.now()
    since = now - datetime.timedelta(days=MET_WINDOW_DAYS)
    visible = access.visible_deadlines(user)
    met_recently = Q(met_at__gte=since)
    states: dict[str, Q] = {
        "overdue": _overdue(now),
        "due_soon": _due_soon(now),
        "met_late": met_recently & Q(met_at__gt=F("due_at")),
        "met_on_time": met_recently & Q(met_at__lte=F("due_at")),
    }
    counts = visible.aggregate(**{name: Count("pk", filter=q) for name, q in states.items()})
    ordering: dict[str, tuple[str, ...]] = {
        "overdue": ("due_on", "pk"),
        "due_soon": ("due_on", "pk"),
        "met_late": ("-met_at", "-pk"),
        "met_on_time": ("-met_at", "-pk"),
    }
    top = {
        name: list(
            visible.filter(q).select_related("case").order_by(*ordering[name])[:DASHBOARD_ITEMS]
        )
        for name, q in states.items()
    }
    return DashboardBlock(top=top, **counts)
