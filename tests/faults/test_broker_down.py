"""Faults: the broker is down (docs/operations.md, "Faults").

While the broker refuses connections, the pages that queue work still answer (a redirect,
no error) and the work is kept in the database as pending: notification e-mails, meeting
PDFs and access exports. Once the broker is back, the beat jobs that requeue what is stuck
hand it to a real worker, and each is delivered exactly once, also when requeued twice.
"""

from __future__ import annotations

import datetime as dt
import socket
import time

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

import meetings.tasks  # noqa: F401 - registers the tasks with the test worker's app
import notifications.tasks  # noqa: F401
import privacy.tasks  # noqa: F401
from meetings import services as meeting_services
from meetings.choices import DocumentKind, RenderState
from meetings.models import MeetingDocument
from notifications.choices import EmailState
from notifications.models import Notification
from notifications.services import notify
from privacy import services as privacy_services
from privacy.models import DataSubjectRequest, ExportState, RequestKind
from tests.factories.cases import PersonFactory
from tests.faults.conftest import files_in
from tests.meetings.test_pdf import _meeting
from woonoverlast.celery import app as project_app

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def celery_worker_parameters():
    """The test worker's start-up ping waits behind the backlog the test builds up (a PDF
    takes seconds on a busy machine), not the default ten seconds."""
    return {"ping_task_timeout": 120}


def _closed_port() -> int:
    """A loopback port nothing listens on (bound and released: refused, not filtered)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _broker(apps, urls: list[str]) -> None:
    """Point the apps' producers at `urls` (drops their cached connection pools)."""
    for app, url in zip(apps, urls, strict=True):
        app.conf.broker_url = url
        app.conf.broker_write_url = url
        app._pool = None  # kombu keeps one pool per URL: the old one stays usable
        app.amqp._producer_pool = None


def _wait(condition, what: str, timeout: float = 60) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_with_the_broker_down_pages_answer_and_the_work_is_delivered_once_when_it_is_back(
    request, celery_app, world, verified_client, media
):
    team = world
    meeting = _meeting(team)
    meeting_services.agenda_publish(meeting=meeting, by=team.coordinator)
    person = PersonFactory(case=team.case_execution)
    officer = _privacy_officer(team)
    subject = privacy_services.request_register(
        person=person, kind=RequestKind.ACCESS, received_on=timezone.localdate(), by=officer
    )
    # Both apps a task may be sent through here: the project's and the test worker's.
    apps = [project_app, celery_app]
    up = [app.conf.broker_write_url for app in apps]
    _broker(apps, [f"redis://127.0.0.1:{_closed_port()}/0"] * 2)
    started = time.monotonic()
    try:
        # The web application keeps working: each page queues work and answers.
        response = verified_client(team.rep_corporation).post(
            reverse("meetings:document_request", args=[meeting.pk, DocumentKind.AGENDA])
        )
        assert response.status_code == 302
        response = verified_client(officer).post(
            reverse("privacy_rights:export_start", args=[subject.pk])
        )
        assert response.status_code == 302
        assert notify(recipients=[team.coordinator], event="assigned", key="k1", url="/x/") == 1
    finally:
        _broker(apps, up)
    assert time.monotonic() - started < 20  # a refused broker costs seconds, not minutes

    document = MeetingDocument.objects.get()
    assert document.state == RenderState.QUEUED
    assert DataSubjectRequest.objects.get().task_state == ExportState.QUEUED
    # Every e-mail of this test waits: the agenda's to the invitees (queued on the broker
    # before it went down) and the one told while it was down (only in the database).
    queued = set(
        Notification.objects.filter(email_state=EmailState.QUEUED).values_list("pk", flat=True)
    )
    told_while_down = Notification.objects.get(key="k1").pk
    assert told_while_down in queued and len(queued) > 1

    # The broker is back. Nothing arrives by itself (those tasks were never queued) until
    # the beat jobs find the rows pending past their threshold. Here they fire twice before
    # a worker runs, so every task waits twice on the broker.
    long_ago = timezone.now() - dt.timedelta(hours=1)
    MeetingDocument.objects.update(requested_at=long_ago)
    DataSubjectRequest.objects.update(task_queued_at=long_ago)
    Notification.objects.filter(pk=told_while_down).update(created_at=long_ago)
    for _ in range(2):
        assert meeting_services.meeting_documents_requeue_stuck() == 1
        assert privacy_services.exports_requeue_stuck() == 1
        assert notifications.tasks.requeue_stuck_emails() == 1
    mail.outbox.clear()
    request.getfixturevalue("celery_worker")

    _wait(lambda: MeetingDocument.objects.get().state == RenderState.DONE, "the PDF")
    _wait(lambda: DataSubjectRequest.objects.get().task_state == ExportState.DONE, "the export")
    _wait(
        lambda: not Notification.objects.filter(email_state=EmailState.QUEUED).exists(),
        "the e-mails",
    )
    time.sleep(1)  # the second requeue's tasks ran too (each a no-op)
    assert Notification.objects.filter(pk__in=queued, email_state=EmailState.SENT).count() == len(
        queued
    )
    assert len(mail.outbox) == len(queued)  # once each
    assert team.coordinator.email in {m.to[0] for m in mail.outbox}
    # One PDF and one export (JSON + PDF) on disk: the duplicate runs kept nothing.
    exported = DataSubjectRequest.objects.get()
    assert files_in(media) == sorted(
        [
            MeetingDocument.objects.get().file.name,
            exported.export_json.name,
            exported.export_pdf.name,
        ]
    )
    # Once delivered, the beat jobs (through the worker) find nothing more.
    assert meetings.tasks.requeue_stuck_documents.delay().get(timeout=30) == 0
    assert privacy.tasks.requeue_stuck_exports.delay().get(timeout=30) == 0
    assert notifications.tasks.requeue_stuck_emails.delay().get(timeout=30) == 0


def _privacy_officer(world):
    from partners.choices import Role
    from tests.factories.partners import UserFactory

    return UserFactory(organisation=world.coordinator.organisation, roles=[Role.PRIVACY_OFFICER])
