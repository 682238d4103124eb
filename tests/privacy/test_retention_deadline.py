"""The retention deadline a case gets when it ends is due the day the retention job takes it:
for a referral redirected at intake its own shorter period (RETENTION_REDIRECTED_DAYS), for
a closed or attached case RETENTION_YEARS_AFTER_CLOSING years (DOMAIN.md §7 and §8)."""

from __future__ import annotations

import datetime as dt
import importlib
import types

import pytest
from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.db import connection

from cases.choices import CaseStatus as S
from cases.domain import workflow
from cases.domain.workflow import Effect
from cases.models import Case
from cases.services import transitions
from deadlines import kinds
from deadlines.models import Deadline
from deadlines.services import deadline_open
from privacy.selectors import retention_due
from tests.cases.test_transitions import _run_step, make_team
from tests.factories.cases import CaseFactory

pytestmark = pytest.mark.django_db

# Every step that ends a case: attached, redirected and closed, from each status they leave.
ENDING_STEPS = [
    (t.source, t.target)
    for t in workflow.TRANSITIONS
    if Effect.OPEN_RETENTION_DEADLINE in t.effects
]


@pytest.fixture
def team():
    return make_team()


def test_every_terminal_status_is_reached_by_a_step_that_opens_retention():
    assert {target for _, target in ENDING_STEPS} == workflow.TERMINAL_STATUSES


def _period_ends(status: S, closed_on: dt.date, settings) -> dt.date:
    if status == S.REDIRECTED:
        return closed_on + dt.timedelta(days=settings.RETENTION_REDIRECTED_DAYS)
    return closed_on + relativedelta(years=settings.RETENTION_YEARS_AFTER_CLOSING)


def _due(case: Case, today: dt.date) -> bool:
    return retention_due(today).filter(pk=case.pk).exists()


@pytest.mark.parametrize("periods", [(5, 365), (7, 30)], ids=["default", "own-settings"])
@pytest.mark.parametrize("closed_on", [dt.date(2024, 2, 29), dt.date(2025, 6, 2)])
@pytest.mark.parametrize("step", ENDING_STEPS, ids=lambda s: f"{s[0].value}-{s[1].value}")
def test_the_retention_deadline_is_due_the_first_day_the_job_takes_the_case(
    step, closed_on, periods, team, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.RETENTION_YEARS_AFTER_CLOSING, settings.RETENTION_REDIRECTED_DAYS = periods
    monkeypatch.setattr(transitions, "_today", lambda: closed_on)
    with django_capture_on_commit_callbacks(execute=True):
        case = _run_step(team, *step)
    case = Case.objects.get(pk=case.pk)
    assert (case.status, case.closed_on) == (step[1], closed_on)
    deadline = Deadline.objects.open().get(case=case, kind=kinds.RETENTION)

    assert deadline.started_on == closed_on
    assert deadline.due_on == _period_ends(case.status, closed_on, settings)
    assert not _due(case, deadline.due_on - dt.timedelta(days=1))
    assert _due(case, deadline.due_on)


def test_the_migration_moves_open_retention_deadlines_of_redirected_referrals_only(settings):
    migration = importlib.import_module("cases.migrations.0026_redirected_retention_deadlines")
    closed_on = dt.date(2026, 6, 1)
    five_years = dt.date(2031, 6, 1)
    rows = {}
    for name, status in [
        ("redirected", S.REDIRECTED),
        ("redirected_met", S.REDIRECTED),
        ("closed", S.CLOSED),
        ("attached", S.ATTACHED),
    ]:
        case = CaseFactory(status=status, closed_on=closed_on)
        # As the old code opened them: the kind's own rule for every terminal status.
        rows[name] = deadline_open(kind=kinds.RETENTION, case=case, started_on=closed_on)
        assert rows[name].due_on == five_years
    Deadline.objects.filter(pk=rows["redirected_met"].pk).update(met_at="2026-07-01T10:00Z")
    Deadline.objects.filter(pk=rows["redirected"].pk).update(stage_notified=1)  # told "soon"
    schema_editor = types.SimpleNamespace(connection=connection)
    migration.redirected_period(apps, schema_editor)

    moved = Deadline.objects.get(pk=rows["redirected"].pk)
    expected = deadline_open(
        kind=kinds.RETENTION,
        case=CaseFactory(status=S.REDIRECTED, closed_on=closed_on),
        started_on=closed_on,
        variant=kinds.RETENTION_REDIRECTED,
    )
    assert (moved.due_on, moved.soon_on, moved.due_at) == (
        expected.due_on,
        expected.soon_on,
        expected.due_at,
    )
    assert moved.due_on == dt.date(2027, 6, 1)
    assert moved.stage_notified == 0  # the scan tells the stages of the new dates
    for name in ("redirected_met", "closed", "attached"):
        assert Deadline.objects.get(pk=rows[name].pk).due_on == five_years, name

    migration.closing_period(apps, schema_editor)
    assert Deadline.objects.get(pk=rows["redirected"].pk).due_on == five_years
