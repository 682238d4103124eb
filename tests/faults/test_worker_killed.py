"""Faults: a worker is killed (SIGKILL) in the middle of a task (docs/operations.md, "Faults").

Every task acknowledges late and is rejected when its worker is lost, so its message comes
back to the next worker; each task is written so that running it again, or twice at once,
has its effect once. The deadline scan proves it for itself (tests/deadlines/
test_scan_worker.py); here the two tasks that write files: a meeting PDF and an access
export, each killed halfway in one worker process (two threads), then redelivered to a new
worker. The worker is stopped at a known point, not by timing: a table the task reads next
is locked from another connection, and the test sees the task wait in pg_stat_activity.

Below, without a worker process: the same tasks run twice at once (a requeued task meeting
the original), or again after they finished (killed after COMMIT, before the acknowledgement).
"""

from __future__ import annotations

import signal
import subprocess
import sys
from types import SimpleNamespace

import psycopg
import pytest
from django.conf import settings
from django.utils import timezone

from cases.models import Person
from meetings import services as meeting_services
from meetings.choices import DocumentKind, RenderState
from meetings.models import AgendaItem, MeetingDocument
from meetings.services import documents as meeting_documents
from privacy import export
from privacy import services as privacy_services
from privacy.models import DataSubjectRequest, ExportState, RequestKind
from privacy.services import exports as privacy_exports
from tests.deadlines.test_scan_worker import (
    ROOT,
    Workers,
    _backend_alive,
    _db_params,
    _lock_waiters,
)
from tests.factories.cases import PersonFactory
from tests.factories.partners import UserFactory
from tests.faults.conftest import files_in
from tests.meetings.test_pdf import _meeting

pytestmark = pytest.mark.faults

# Every task of the project, and why running it again has its effect once (docs/operations.md).
TASKS = {
    "cases.end_due_involvements": "ends only active involvements, each under a row lock",
    "deadlines.scan": "unique notification keys; tests/deadlines/test_scan_worker.py",
    "meetings.render_document": "claims a pending row; keeps one result (tested here)",
    "meetings.requeue_stuck_documents": "only queues; the render is idempotent",
    "notifications.send_notification_email": "sends only a queued row, locked while sending",
    "notifications.send_digest": "skips locked rows; sends only rows still waiting",
    "notifications.requeue_stuck_emails": "only queues; the e-mail task is idempotent",
    "notifications.send_daily_digests": "only queues; the digest task is idempotent",
    "privacy.access_export": "claims a pending row; keeps one result (tested here)",
    "privacy.requeue_stuck_exports": "only queues; the export is idempotent",
    "privacy.retention_run": "each case once under a lock (skip_locked); unique notice keys",
    "woonoverlast.ping": "no effect",
}


def test_every_task_is_listed_with_why_it_runs_once_and_acknowledges_late():
    from woonoverlast.celery import app

    app.loader.import_default_modules()
    ours = {name for name in app.tasks if not name.startswith(("celery.", "tests."))}
    assert ours == set(TASKS)
    assert settings.CELERY_TASK_ACKS_LATE and settings.CELERY_TASK_REJECT_ON_WORKER_LOST
    assert settings.CELERY_WORKER_PREFETCH_MULTIPLIER == 1


class ThreadedWorkers(Workers):
    """Worker processes with two threads, so one SIGKILL lands in two tasks at once."""

    def start(self, name: str) -> subprocess.Popen:
        log = (self.tmp_path / f"{name}.log").open("w")
        process = subprocess.Popen(
            [
                sys.executable, "-m", "celery", "-A", "tests.deadlines.worker_app", "worker",
                "--pool=threads", "--concurrency=2", f"--hostname={name}@%h",
                f"--queues={self.queue}", "--without-gossip", "--without-mingle",
                "--without-heartbeat", "--loglevel=INFO",
            ],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        self.processes.append(process)
        self._wait_for(lambda: "ready." in self.log(name), f"worker {name} ready", 60)
        return process

    def send(self, name: str, *args):
        from tests.deadlines.worker_app import app

        return app.send_task(name, args=args, queue=self.queue)


class TableLock:
    """ACCESS EXCLUSIVE on tables from another connection: a task that reads them waits."""

    def __init__(self, *tables: str) -> None:
        self.conn = psycopg.connect(**_db_params())
        for table in tables:
            self.conn.execute(f'LOCK TABLE "{table}" IN ACCESS EXCLUSIVE MODE')

    def release(self) -> None:
        if not self.conn.closed:
            self.conn.rollback()
            self.conn.close()


def _no_delay(monkeypatch) -> None:
    """The setup below queues nothing: the test sends the tasks to its own workers."""
    stub = SimpleNamespace(delay=lambda *a, **k: SimpleNamespace(id=""))
    monkeypatch.setattr(meeting_documents, "render_meeting_document", stub)
    monkeypatch.setattr(privacy_exports, "access_export", stub)


def _pending_document(world) -> MeetingDocument:
    meeting = _meeting(world)
    meeting_services.agenda_publish(meeting=meeting, by=world.coordinator)
    return meeting_services.meeting_document_request(
        meeting=meeting, kind=DocumentKind.AGENDA, organisation=world.corporation,
        by=world.rep_corporation,
    )  # fmt: skip


def _pending_export(world) -> DataSubjectRequest:
    from partners.choices import Role

    officer = UserFactory(organisation=world.coordinator.organisation, roles=[Role.PRIVACY_OFFICER])
    person = PersonFactory(case=world.case_execution, first_name="Grietje", last_name="Vlaskamp")
    subject = privacy_services.request_register(
        person=person, kind=RequestKind.ACCESS, received_on=timezone.localdate(), by=officer
    )
    return privacy_services.export_start(request=subject, by=officer)


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_pdf_and_mid_export_is_redelivered_and_each_is_made_once(
    world, media, tmp_path, monkeypatch
):
    _no_delay(monkeypatch)
    document = _pending_document(world)
    subject = _pending_export(world)
    workers = ThreadedWorkers(tmp_path)
    workers.env["MEDIA_ROOT"] = str(media)
    # The render reads the agenda items next, the export the persons: both wait there.
    blocker = TableLock(AgendaItem._meta.db_table, Person._meta.db_table)
    try:
        doomed = workers.start("doomed")
        pdf = workers.send("meetings.render_document", document.pk)
        exported = workers.send("privacy.access_export", subject.pk)
        workers._wait_for(lambda: len(_lock_waiters()) == 2, "both tasks to block", 60)
        backends = _lock_waiters()
        assert MeetingDocument.objects.get().state == RenderState.RUNNING
        assert DataSubjectRequest.objects.get().task_state == ExportState.RUNNING
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(timeout=10)
    finally:
        blocker.release()
        workers.stop()
    for backend in backends:
        workers._wait_for(lambda b=backend: not _backend_alive(b), "the backend to end", 30)
    assert files_in(media) == []  # killed before anything was written

    try:
        workers.start("successor")
        # The same messages (acknowledged late, never acknowledged): each runs again, once.
        assert pdf.get(timeout=90) is True
        assert exported.get(timeout=90) is True
    finally:
        workers.stop()
    done = MeetingDocument.objects.get()
    subject = DataSubjectRequest.objects.get()
    assert (done.state, subject.task_state) == (RenderState.DONE, ExportState.DONE)
    assert files_in(media) == sorted(
        [done.file.name, subject.export_json.name, subject.export_pdf.name]
    )


@pytest.mark.django_db
def test_two_renders_of_one_pdf_at_once_keep_one_and_a_third_does_nothing(
    world, media, monkeypatch
):
    _no_delay(monkeypatch)
    document = _pending_document(world)
    real = meeting_documents.render_pdf
    calls, outcomes = [], []

    def render_while_another_run_renders(context):
        if not calls:  # the first run, halfway: a second delivery runs in full
            calls.append(1)
            outcomes.append(meeting_services.meeting_document_render(document_pk=document.pk))
        return real(context)

    monkeypatch.setattr(meeting_documents, "render_pdf", render_while_another_run_renders)
    first = meeting_services.meeting_document_render(document_pk=document.pk)
    assert (outcomes, first) == ([True], False)  # the second finished first; the first kept nothing
    done = MeetingDocument.objects.get()
    assert done.state == RenderState.DONE and files_in(media) == [done.file.name]
    # Killed after COMMIT, before the acknowledgement: the redelivered task finds it done.
    assert meeting_services.meeting_document_render(document_pk=document.pk) is False
    assert files_in(media) == [done.file.name]


@pytest.mark.django_db
def test_two_runs_of_one_export_at_once_keep_one_and_a_third_does_nothing(
    world, media, monkeypatch
):
    _no_delay(monkeypatch)
    subject = _pending_export(world)
    real = export.to_pdf
    calls, outcomes = [], []

    def export_while_another_run_exports(data):
        if not calls:
            calls.append(1)
            outcomes.append(export.run(subject.pk))
        return real(data)

    monkeypatch.setattr(export, "to_pdf", export_while_another_run_exports)
    first = export.run(subject.pk)
    assert (outcomes, first) == ([True], False)
    done = DataSubjectRequest.objects.get()
    assert done.task_state == ExportState.DONE
    assert files_in(media) == sorted([done.export_json.name, done.export_pdf.name])
    assert export.run(subject.pk) is False
    assert files_in(media) == sorted([done.export_json.name, done.export_pdf.name])
