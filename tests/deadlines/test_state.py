"""A deadline's state: the one rule (deadlines/domain/state.py), table-driven, and its SQL
mirror (deadlines/models.py state_filter) giving the same answer for every row."""

import datetime as dt

import pytest
from django.utils import timezone

from deadlines import kinds, services
from deadlines.domain import DeadlineState, due_at
from deadlines.domain.state import deadline_state
from deadlines.models import Deadline, state_expression
from tests.factories.cases import CaseFactory

DUE = dt.date(2026, 12, 2)  # a Wednesday
SOON = dt.date(2026, 12, 1)  # the intake and consent kinds: 1 working day before

S = DeadlineState
D = dt.date

# (due_on, soon_on, today, met_on, lapsed) -> state
TABLE = [
    (DUE, SOON, D(2026, 11, 25), None, False, S.OPEN),
    (DUE, SOON, D(2026, 11, 30), None, False, S.OPEN),  # the day before the window
    (DUE, SOON, D(2026, 12, 1), None, False, S.DUE_SOON),  # the window's first day
    (DUE, SOON, D(2026, 12, 2), None, False, S.DUE_SOON),  # the due day itself
    (DUE, SOON, D(2026, 12, 3), None, False, S.OVERDUE),  # the day after
    (DUE, DUE, D(2026, 12, 1), None, False, S.OPEN),  # window 0: due soon on the day only
    (DUE, DUE, D(2026, 12, 2), None, False, S.DUE_SOON),
    # A Monday due day with a 1-working-day window starts on the Friday before: the whole
    # weekend is "due soon" (this is where the case page said "open").
    (D(2026, 11, 30), D(2026, 11, 27), D(2026, 11, 28), None, False, S.DUE_SOON),
    (DUE, SOON, D(2026, 12, 9), D(2026, 12, 2), False, S.MET_ON_TIME),  # met on the due day
    (DUE, SOON, D(2026, 11, 20), D(2026, 11, 20), False, S.MET_ON_TIME),  # met early
    (DUE, SOON, D(2026, 12, 9), D(2026, 12, 3), False, S.MET_LATE),
    (DUE, SOON, D(2026, 12, 9), None, True, S.LAPSED),  # lapsed: never overdue
    (DUE, SOON, D(2026, 11, 25), None, True, S.LAPSED),
]


@pytest.mark.parametrize(("due_on", "soon_on", "today", "met_on", "lapsed", "state"), TABLE)
def test_deadline_state(due_on, soon_on, today, met_on, lapsed, state):
    assert (
        deadline_state(due_on=due_on, soon_on=soon_on, today=today, met_on=met_on, lapsed=lapsed)
        == state
    )


def test_state_knows_only_the_states_the_pages_label():
    assert {s.value for s in DeadlineState} == {
        "open",
        "due_soon",
        "overdue",
        "met_on_time",
        "met_late",
        "lapsed",
    }


@pytest.mark.django_db
def test_sql_mirror_and_row_state_agree_with_the_rule_for_every_row_of_the_table():
    """Every row of TABLE stored as a deadline: `Deadline.state()` (pages about one object)
    and `state_expression` (lists, counts, filters) both give the table's state."""
    rows = []
    for due_on, soon_on, today, met_on, lapsed, state in TABLE:
        deadline = services.deadline_open(kind=kinds.INTAKE, case=CaseFactory(), started_on=DUE)
        met_at = None
        if met_on is not None:
            # Met in the evening of the due day still counts as on time.
            hour = dt.time(23, 59) if met_on == due_on else dt.time(12)
            met_at = dt.datetime.combine(met_on, hour, tzinfo=timezone.get_current_timezone())
        Deadline.objects.filter(pk=deadline.pk).update(
            due_on=due_on,
            soon_on=soon_on,
            due_at=due_at(due_on, "Europe/Amsterdam"),
            met_at=met_at,
            cancelled_at=timezone.now() if lapsed else None,
        )
        rows.append((deadline.pk, today, state))
    for pk, today, state in rows:
        deadline = Deadline.objects.annotate(sql_state=state_expression(today)).get(pk=pk)
        assert deadline.state(today) == state
        assert deadline.sql_state == state.value
        assert Deadline.objects.in_state(state, today).filter(pk=pk).exists()
