"""The access export and the retention job through a real Celery worker on Redis."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest
from django.utils import timezone

from privacy import services
from privacy.models import DataSubjectRequest, ExportState, RequestKind, RetentionLogEntry
from privacy.tasks import access_export, retention_run  # noqa: F401 - the worker needs them
from tests.privacy.full_case import make_full_case, make_team

pytestmark = pytest.mark.django_db(transaction=True)

BORN = dt.date(1963, 7, 14)


def _wait_for(pk: int, state: str, timeout: float = 60) -> DataSubjectRequest:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        request = DataSubjectRequest.objects.get(pk=pk)
        if request.task_state == state:
            return request
        time.sleep(0.2)
    raise AssertionError(f"export still {request.task_state} after {timeout}s")


def test_the_export_runs_in_a_worker_and_reports_progress(celery_worker, media):
    team = make_team()
    _case, causer = make_full_case(
        team, first="Grietje", last="Vlaskamp", born=BORN, street="Merelhof", media=media
    )
    request = services.request_register(
        person=causer,
        kind=RequestKind.ACCESS,
        received_on=timezone.localdate(),
        by=team.privacy_officer,
    )
    # Committed (transaction=True): on_commit queues the task on Redis, the worker runs it.
    services.export_start(request=request, by=team.privacy_officer)
    done = _wait_for(request.pk, ExportState.DONE)
    assert done.task_id and done.task_progress == 100
    assert done.export_started_at <= done.export_finished_at
    data = json.loads(done.export_json.read())
    assert data["persons"][0]["last_name"] == "Vlaskamp"
    assert done.export_pdf.read().startswith(b"%PDF")


def test_the_retention_job_runs_in_a_worker(celery_worker, media, settings):
    settings.RETENTION_YEARS_AFTER_CLOSING = 5
    team = make_team()
    today = timezone.localdate()
    case, causer = make_full_case(
        team,
        first="Grietje",
        last="Vlaskamp",
        born=BORN,
        street="Merelhof",
        closed_on=today.replace(year=today.year - 6),
        media=media,
    )
    assert retention_run.delay().get(timeout=60) == 1
    assert retention_run.delay().get(timeout=60) == 0
    causer.refresh_from_db()
    assert causer.last_name == "Verwijderd"
    assert RetentionLogEntry.objects.get().case_id == case.pk
    history = causer.history.order_by("-history_date").first()
    assert history.history_user.email == "systeem@woonoverlast.invalid"
