"""The scan's body, called directly (the real-worker tests are in test_scan_worker.py)."""

import datetime as dt

import psycopg
import pytest
from django.db import connection

from deadlines import kinds, services
from deadlines.models import Deadline
from notifications.models import Notification
from tests.deadlines.conftest import local, notification_keys
from tests.factories.cases import CaseFactory

pytestmark = pytest.mark.django_db


def _intake(started_on=dt.date(2026, 11, 2), **case_kwargs):
    """Referred Monday 2 November 2026: due Monday 9 November, due soon from Friday 6."""
    case = CaseFactory(**case_kwargs)
    return services.deadline_open(kind=kinds.INTAKE, case=case, started_on=started_on)


def test_due_soon_then_overdue_each_told_once(team):
    deadline = _intake()
    assert services.deadlines_scan(now=local(2026, 11, 5)).notifications == 0
    result = services.deadlines_scan(now=local(2026, 11, 6, 7))
    assert (result.due_soon, result.overdue, result.notifications) == (1, 0, 2)
    assert services.deadlines_scan(now=local(2026, 11, 6, 8)).notifications == 0
    # Still due soon on the due day itself, until its last minute.
    assert services.deadlines_scan(now=local(2026, 11, 9, 23, 59)).notifications == 0
    result = services.deadlines_scan(now=local(2026, 11, 10, 0, 1))
    assert (result.due_soon, result.overdue, result.notifications) == (0, 1, 2)
    assert services.deadlines_scan(now=local(2026, 11, 11)).notifications == 0
    coordinators = sorted([team.coordinator.pk, team.second_coordinator.pk])
    assert notification_keys() == sorted(
        [(f"deadline:{deadline.pk}:due_soon", pk) for pk in coordinators]
        + [(f"deadline:{deadline.pk}:overdue", pk) for pk in coordinators]
    )
    overdue = Notification.objects.filter(key__endswith=":overdue").first()
    assert overdue.event == "deadline_overdue"
    assert overdue.context["deadline"] == "Take into handling"
    assert overdue.context["due"] == "2026-11-09"
    assert overdue.url == f"/casussen/{deadline.case_id}/"


def test_a_missed_week_catches_up_by_state(team):
    """Scans stopped for a week: the overdue one is told overdue (its due-soon is moot), the
    one that became due soon meanwhile is told due soon."""
    overdue = _intake(started_on=dt.date(2026, 11, 2))  # due 9 November
    soon = _intake(started_on=dt.date(2026, 11, 11))  # due 18 November, soon from 17
    result = services.deadlines_scan(now=local(2026, 11, 17, 9))
    assert (result.due_soon, result.overdue) == (1, 1)
    keys = {key for key, _ in notification_keys()}
    assert keys == {f"deadline:{overdue.pk}:overdue", f"deadline:{soon.pk}:due_soon"}


def test_met_and_lapsed_deadlines_are_not_told(team):
    met = _intake()
    lapsed = _intake()
    services.deadline_meet(kind=kinds.INTAKE, case=met.case)
    services.deadline_lapse(case=lapsed.case)
    assert services.deadlines_scan(now=local(2026, 11, 20)).notifications == 0


def test_consent_tells_the_corporation_first_and_the_case_team_when_overdue(team):
    case = CaseFactory(casemanager=team.casemanager, corporation=team.mitros)
    deadline = services.deadline_open(
        kind=kinds.CORPORATION_CONSENT,
        case=case,
        subject=case,
        organisation=team.mitros,
        started_on=dt.date(2026, 11, 2),  # due Thursday 5 November, soon from Wednesday 4
    )
    services.deadlines_scan(now=local(2026, 11, 4))
    soon = set(
        Notification.objects.filter(key=f"deadline:{deadline.pk}:due_soon").values_list(
            "recipient_id", flat=True
        )
    )
    assert soon == {team.corporation_rep.pk}  # not Portaal's representative, not the team
    services.deadlines_scan(now=local(2026, 11, 6))
    overdue = set(
        Notification.objects.filter(key=f"deadline:{deadline.pk}:overdue").values_list(
            "recipient_id", flat=True
        )
    )
    assert overdue == {
        team.corporation_rep.pk,
        team.casemanager.pk,
        team.coordinator.pk,
        team.second_coordinator.pk,
    }


def test_the_unique_key_holds_even_when_the_scan_forgets_its_progress(team):
    """stage_notified only saves work: reset it and scan again, nothing is told twice."""
    for _ in range(3):
        _intake()
    first = services.deadlines_scan(now=local(2026, 11, 10), batch_size=2)
    assert first.notifications == 6
    Deadline.objects.update(stage_notified=0)
    again = services.deadlines_scan(now=local(2026, 11, 10), batch_size=2)
    assert (again.overdue, again.notifications) == (3, 0)
    assert Notification.objects.count() == 6


def test_covenant_notice_date_tells_coordinators_and_administrators(team):
    from partners.models import Covenant

    Covenant.objects.update(is_active=True)  # the seeded Utrecht covenant
    result = services.deadlines_scan(now=local(2026, 9, 10))  # notice date 1 October 2026
    notifications = Notification.objects.filter(event="covenant_notice")
    assert result.notifications == notifications.count() == 3
    assert set(notifications.values_list("recipient_id", flat=True)) == {
        team.coordinator.pk,
        team.second_coordinator.pk,
        team.functional_admin.pk,
    }
    assert notifications.first().context["date"] == "2026-10-01"
    # Each link opens for its reader: the covenant page needs the partner-management right.
    assert dict(notifications.values_list("recipient_id", "url")) == {
        team.coordinator.pk: "/",
        team.second_coordinator.pk: "/",
        team.functional_admin.pk: "/beheer/convenant/",
    }
    # After the notice date nobody is told it is overdue; next year's date counts instead.
    later = services.deadlines_scan(now=local(2026, 10, 5))
    assert (later.overdue, later.notifications) == (0, 0)


def test_a_scan_skips_while_another_holds_the_lock(team):
    _intake()
    params = connection.get_connection_params()
    with psycopg.connect(**params, autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(%s)", [services.SCAN_LOCK_KEY])
        assert services.deadlines_scan(now=local(2026, 11, 10)).skipped
        other.execute("SELECT pg_advisory_unlock(%s)", [services.SCAN_LOCK_KEY])
    result = services.deadlines_scan(now=local(2026, 11, 10))
    assert not result.skipped and result.overdue == 1


def test_kings_day_in_the_window_moves_due_soon_and_overdue(team):
    """Referred Friday 24 April 2026: King's Day (Monday 27) does not count, so the intake is
    due Monday 4 May (not Friday 1 May), due soon from Friday 1 May, overdue on Tuesday 5."""
    deadline = _intake(started_on=dt.date(2026, 4, 24))
    assert deadline.due_on == dt.date(2026, 5, 4)
    assert services.deadlines_scan(now=local(2026, 4, 30, 18)).notifications == 0
    assert services.deadlines_scan(now=local(2026, 5, 1, 8)).due_soon == 1
    assert services.deadlines_scan(now=local(2026, 5, 4, 23, 59)).overdue == 0
    assert services.deadlines_scan(now=local(2026, 5, 5, 0, 0)).overdue == 1


def test_beat_runs_the_scan_every_configured_interval():
    from django.conf import settings

    from woonoverlast.celery import app

    entry = settings.CELERY_BEAT_SCHEDULE["deadlines-scan"]
    assert entry["task"] == "deadlines.scan"
    assert entry["schedule"] == settings.DEADLINE_SCAN_MINUTES * 60 == 300
    app.loader.import_default_modules()
    assert "deadlines.scan" in app.tasks
    assert app.tasks["deadlines.scan"].acks_late


def test_the_scan_interval_comes_from_the_environment():
    import os
    import subprocess
    import sys

    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.CELERY_BEAT_SCHEDULE['deadlines-scan']['schedule'])"
    )
    env = {**os.environ, "DEADLINE_SCAN_MINUTES": "7"}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip().splitlines()[-1] == "420"


def test_a_deadline_without_a_case_links_to_its_subject_page(team):
    """A data-subject request's deadline (registered by the privacy app) links to the
    request's page, not to the dashboard."""
    from django.contrib.contenttypes.models import ContentType

    from privacy.models import DataSubjectRequest

    deadline = Deadline(
        kind="data_subject_request",
        subject_type=ContentType.objects.get_for_model(DataSubjectRequest),
        subject_id=42,
    )
    assert services._links(deadline, [team.coordinator]) == [
        ([team.coordinator], "/privacy/verzoeken/42/")
    ]
