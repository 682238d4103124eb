"""Every read on deadlines, and the one way other apps read a deadline's due date and state.

Who sees which deadline is decided above this app (the caller passes the visible
deadlines); this module imports no app above it. States come from
`domain.state.deadline_state` (one row) and its SQL mirror `models.state_filter` (lists).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case as SqlCase
from django.db.models import (
    CharField,
    Count,
    F,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import RowNumber
from django.utils import timezone

from .domain.state import DeadlineState, DueState
from .models import OPEN, Deadline, state_expression, state_filter

DASHBOARD_ITEMS = 5
MET_WINDOW_DAYS = 30


def deadlines_for_case(*, case: Model) -> list[Deadline]:
    """Every deadline of the case (open, met and lapsed), earliest due first; one query.
    The caller has checked that the user sees the case."""
    return list(Deadline.objects.filter(case_id=case.pk).order_by("due_on", "pk"))


# --- A deadline's due date and state beside the object it belongs to ----------------------


def with_deadline[M: Model](
    queryset: QuerySet[M],
    *,
    kind: str,
    name: str,
    today: datetime.date | None = None,
    of: str = "case",
) -> QuerySet[M]:
    """`queryset` with `<name>_due_on` and `<name>_state` (a DeadlineState value) of each
    row's latest opened deadline of `kind`, in the same query (two correlated subqueries on the
    deadline's indexed foreign key). `of="case"`: rows are cases (Deadline.case);
    `of="subject"`: rows are the deadline's subject (a consent request). Rows without such a
    deadline get None for both. Filter and order on the annotations like on columns."""
    today = today or timezone.localdate()
    deadlines = Deadline.objects.filter(kind=kind)
    if of == "case":
        deadlines = deadlines.filter(case=OuterRef("pk"))
    elif of == "subject":
        subject_type = ContentType.objects.get_for_model(queryset.model)
        deadlines = deadlines.filter(subject_type=subject_type, subject_id=OuterRef("pk"))
    else:
        raise ValueError(f"of must be 'case' or 'subject', not {of!r}")
    latest = deadlines.order_by("-pk")  # the latest opened
    annotated: QuerySet[M] = queryset.annotate(
        **{
            f"{name}_due_on": Subquery(latest.values("due_on")[:1]),
            f"{name}_state": Subquery(
                latest.annotate(state_now=state_expression(today)).values("state_now")[:1]
            ),
        }
    )
    return annotated


def due_state(row: Any, name: str) -> DueState | None:
    """The `DueState` of a row annotated by `with_deadline(..., name=name)` (None: no
    deadline of that kind)."""
    due_on = getattr(row, f"{name}_due_on", None)
    if due_on is None:
        return None
    return DueState(due_on, DeadlineState(getattr(row, f"{name}_state")))


def deadline_due_state(
    *, kind: str, case: Model | None = None, subject: Model | None = None
) -> DueState | None:
    """The latest deadline of `kind` of one case or subject, with its state today (one
    query; for a single object's page. Lists use `with_deadline`)."""
    deadlines = Deadline.objects.filter(kind=kind)
    if case is not None:
        deadlines = deadlines.filter(case_id=case.pk)
    if subject is not None:
        deadlines = deadlines.filter(
            subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk
        )
    deadline = deadlines.order_by("-pk").first()
    return DueState(deadline.due_on, deadline.state()) if deadline is not None else None


# --- The dashboard ----------------------------------------------------------------------


@dataclass
class DashboardBlock:
    due_soon: int = 0
    overdue: int = 0
    met_late: int = 0
    met_on_time: int = 0
    top: dict[str, list[Deadline]] = field(default_factory=dict)
    met_window_days: int = MET_WINDOW_DAYS


def dashboard_block(
    *, visible: QuerySet[Deadline], now: datetime.datetime | None = None
) -> DashboardBlock:
    """Counts per state and the first few of each, of the deadlines `visible` to the user
    (the caller's access rules decide which); four queries whatever the number (two when
    there is nothing to show).

    Never the long-met deadlines (docs/scale.md): the open ones from their warning date on
    (a few hundred, from the partial index on open rows' `soon_on`; counts and the first few
    of each state by window functions) and those met in the last MET_WINDOW_DAYS (thousands
    at 100,000 cases: counted in one pass without sorting, and the latest few of each state
    read backwards along the index on `met_at`)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    open_states: dict[str, Q] = {
        "overdue": state_filter(DeadlineState.OVERDUE, today),
        "due_soon": state_filter(DeadlineState.DUE_SOON, today),
    }
    met_states: dict[str, Q] = {
        "met_late": state_filter(DeadlineState.MET_LATE, today),
        "met_on_time": state_filter(DeadlineState.MET_ON_TIME, today),
    }
    block_state = SqlCase(
        *(When(q, then=Value(name)) for name, q in open_states.items()),
        default=Value(""),
        output_field=CharField(),
    )
    first_open = (
        visible.filter(OPEN, soon_on__lte=today)  # overdue or due soon: soon_on <= due_on
        .annotate(block_state=block_state)
        .exclude(block_state="")
        .annotate(
            block_rank=Window(
                RowNumber(), partition_by=F("block_state"), order_by=[F("due_on"), F("pk")]
            ),
            block_count=Window(Count("pk"), partition_by=F("block_state")),
        )
        .filter(block_rank__lte=DASHBOARD_ITEMS)
        .values_list("pk", "block_state", "block_count")
        .order_by("block_state", "block_rank")
    )
    met = visible.filter(met_at__gte=now - datetime.timedelta(days=MET_WINDOW_DAYS))
    counts: dict[str, int] = dict.fromkeys([*open_states, *met_states], 0)
    counts.update(met.aggregate(**{name: Count("pk", filter=q) for name, q in met_states.items()}))
    latest = [
        met.filter(q)
        .annotate(block_state=Value(name, output_field=CharField()))
        .order_by("-met_at", "-pk")
        .values_list("pk", "block_state", "met_at")[:DASHBOARD_ITEMS]
        for name, q in met_states.items()
    ]
    shown: list[tuple[int, str]] = []
    for pk, state, count in first_open:
        shown.append((pk, state))
        counts[state] = count
    if any(counts[name] for name in met_states):
        newest_first = sorted(
            latest[0].union(*latest[1:], all=True).order_by(),
            key=lambda row: (row[2], row[0]),
            reverse=True,
        )
        shown += [(pk, state) for pk, state, _ in newest_first]
    # The few rows shown, with their case, by id (joining the case before the window
    # would join every relevant deadline).
    loaded = Deadline.objects.select_related("case").in_bulk([pk for pk, _ in shown])
    top: dict[str, list[Deadline]] = {name: [] for name in counts}
    for pk, state in shown:
        if pk in loaded:  # not deleted between the two queries
            top[state].append(loaded[pk])
    return DashboardBlock(top=top, **counts)
