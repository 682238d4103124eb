"""The scan through real Celery workers on the machine's Redis, against the test database.

- a scan run twice through the in-process worker (celery.contrib.pytest) tells once;
- two scans at once in two worker processes split the work and tell everything once;
- a worker SIGKILLed halfway through a scan (mid-transaction, and after its COMMIT but
  before the acknowledgement): the message (acks_late) is redelivered to a new worker,
  which tells exactly what is missing, nothing twice.

Workers are stopped at a known point from the test, not by timing: a notification with the
same key left uncommitted in another connection makes the scan's INSERT … ON CONFLICT wait
(mid-transaction); holding the recipient's user row makes its COMMIT wait (Django's foreign
keys are checked at commit). The test sees the waiting backend in pg_stat_activity.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from deadlines import kinds, services
from deadlines.models import Deadline
from deadlines.tasks import scan_deadlines
from notifications.models import Notification
from notifications.services import preference_set
from tests.factories.cases import CaseFactory

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parents[2]


def _quiet_mail(team) -> None:
    """Digest mode: no e-mail tasks are queued for anyone in these tests."""
    for user in vars(team).values():
        if hasattr(user, "email") and hasattr(user, "groups"):
            preference_set(user=user, email_mode="digest")


def _overdue_intakes(count: int) -> list[Deadline]:
    started = timezone.localdate() - dt.timedelta(days=30)
    return [
        services.deadline_open(kind=kinds.INTAKE, case=CaseFactory(), started_on=started)
        for _ in range(count)
    ]


def _due_soon_consents(team, count: int) -> list[Deadline]:
    """Consent deadlines due within their due-soon window: Mitros's representative is told."""
    deadlines = []
    for _ in range(count):
        case = CaseFactory(corporation=team.mitros)
        deadline = services.deadline_open(
            kind=kinds.CORPORATION_CONSENT,
            case=case,
            subject=case,
            organisation=team.mitros,
            started_on=timezone.localdate(),
        )
        Deadline.objects.filter(pk=deadline.pk).update(soon_on=timezone.localdate())
        deadlines.append(deadline)
    return deadlines


def _keys() -> Counter:
    return Counter(Notification.objects.values_list("key", "recipient_id"))


def _db_params() -> dict:
    return connection.get_connection_params()


class Workers:
    """Celery worker processes (solo pool: the task runs in the process we kill)."""

    def __init__(self, tmp_path: Path) -> None:
        self.queue = f"deadlines-test-{uuid.uuid4().hex[:8]}"
        self.tmp_path = tmp_path
        self.processes: list[subprocess.Popen] = []
        db = connection.settings_dict
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "woonoverlast.settings.test",
            "DATABASE_URL": (
                f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}"
                f":{db['PORT'] or 5432}/{db['NAME']}"
            ),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "DJANGO_ALLOW_ASYNC_UNSAFE": "true",
        }

    def start(self, name: str) -> subprocess.Popen:
        log = (self.tmp_path / f"{name}.log").open("w")
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "tests.deadlines.worker_app",
                "worker",
                "--pool=solo",
                f"--hostname={name}@%h",
                f"--queues={self.queue}",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        self._wait_for(lambda: "ready." in self.log(name), f"worker {name} ready", 60)
        return process

    def log(self, name: str) -> str:
        return (self.tmp_path / f"{name}.log").read_text()

    def send_scan(self, **kwargs):
        from tests.deadlines.worker_app import app

        return app.send_task("deadlines.scan", kwargs=kwargs, queue=self.queue)

    @staticmethod
    def _wait_for(condition, what: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.2)
        raise AssertionError(f"Timed out waiting for {what}")

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture
def workers(tmp_path) -> Iterator[Workers]:
    pool = Workers(tmp_path)
    yield pool
    pool.stop()


class RowLock:
    """Hold FOR UPDATE on user rows from another connection until released."""

    def __init__(self, *user_pks: int) -> None:
        self.conn = psycopg.connect(**_db_params())
        self.conn.execute(
            "SELECT id FROM partners_user WHERE id = ANY(%s) FOR UPDATE", [list(user_pks)]
        )

    def release(self) -> None:
        if not self.conn.closed:
            self.conn.commit()
            self.conn.close()


def _lock_waiters() -> list[int]:
    """Backends of the test database waiting for a lock (our blocked workers)."""
    with psycopg.connect(**_db_params(), autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND wait_event_type = 'Lock'"
        ).fetchall()
    return [pid for (pid,) in rows]


def _backend_alive(pid: int) -> bool:
    with psycopg.connect(**_db_params(), autocommit=True) as conn:
        return bool(conn.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone())


# --- In-process worker (celery.contrib.pytest) ------------------------------------------


def test_a_scan_run_twice_through_a_real_worker_tells_once(team, celery_worker):
    _quiet_mail(team)
    deadlines = _overdue_intakes(3)
    first = scan_deadlines.delay(batch_size=2).get(timeout=60)
    second = scan_deadlines.delay(batch_size=2).get(timeout=60)
    assert (first["overdue"], first["notifications"]) == (3, 6)
    assert (second["overdue"], second["notifications"]) == (0, 0)
    keys = _keys()
    assert set(keys.values()) == {1}
    assert {key for key, _ in keys} == {f"deadline:{d.pk}:overdue" for d in deadlines}


# --- Worker processes ----------------------------------------------------------------


def test_two_scans_at_once_split_the_work_and_tell_everything_once(team, workers):
    _quiet_mail(team)
    deadlines = _overdue_intakes(6)
    lock = RowLock(team.coordinator.pk)
    try:
        workers.start("one")
        workers.start("two")
        # Without the advisory lock (an optimisation only), both scans really run at once.
        results = [workers.send_scan(batch_size=2, use_lock=False) for _ in range(2)]
        workers._wait_for(lambda: len(_lock_waiters()) >= 2, "both scans blocked mid-batch", 60)
    finally:
        lock.release()
    one, two = (r.get(timeout=60) for r in results)
    assert one["overdue"] + two["overdue"] == 6
    assert one["notifications"] > 0 and two["notifications"] > 0  # both did part of it
    assert one["notifications"] + two["notifications"] == 12
    keys = _keys()
    assert len(keys) == 12 and set(keys.values()) == {1}
    assert {key for key, _ in keys} == {f"deadline:{d.pk}:overdue" for d in deadlines}


class PendingNotification:
    """Insert a notification with `key` for `user` in a transaction left open: a scan that
    inserts the same (key, recipient) waits for it (ON CONFLICT must know the outcome)."""

    def __init__(self, user_pk: int, key: str) -> None:
        self.conn = psycopg.connect(**_db_params())
        self.conn.execute(
            "INSERT INTO notifications_notification "
            "(recipient_id, event, key, url, context, created_at, email_state) "
            "VALUES (%s, 'deadline_due_soon', %s, '', '{}', now(), 'none')",
            [user_pk, key],
        )

    def release(self) -> None:
        if not self.conn.closed:
            self.conn.rollback()
            self.conn.close()


def _kill_while_blocked(workers, blocker, name: str):
    """Start a worker, send one scan, wait until it blocks, SIGKILL it, lift the block.
    Returns (async result, notification keys told before the kill)."""
    worker = workers.start(name)
    result = workers.send_scan(batch_size=2)
    try:
        workers._wait_for(lambda: len(_lock_waiters()) == 1, "the scan to block", 60)
        [backend] = _lock_waiters()
        told_before_kill = _keys()
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        blocker.release()
    # The killed worker's backend ends once it notices its client is gone; its row locks
    # go with it (until then a scan would skip those rows and leave them to the next one).
    workers._wait_for(lambda: not _backend_alive(backend), "the backend to end", 30)
    return result, told_before_kill


def _expected_keys(overdue, soon) -> set[str]:
    return {f"deadline:{d.pk}:overdue" for d in overdue} | {
        f"deadline:{d.pk}:due_soon" for d in soon
    }


def test_a_worker_killed_mid_transaction_is_redelivered_and_nothing_is_lost_or_doubled(
    team, workers
):
    _quiet_mail(team)
    overdue = _overdue_intakes(4)  # coordinators are told: two batches, done before the kill
    soon = _due_soon_consents(team, 4)  # Mitros's representative: the third batch blocks
    blocker = PendingNotification(team.corporation_rep.pk, f"deadline:{soon[0].pk}:due_soon")
    result, told_before_kill = _kill_while_blocked(workers, blocker, "doomed")
    assert len(told_before_kill) == 8
    assert _keys() == told_before_kill  # the killed batch rolled back: nothing of it stays

    workers.start("successor")
    redelivered = result.get(timeout=90)  # the same message: acks_late, not acknowledged
    assert redelivered["overdue"] == 0  # finished before the kill, not redone
    assert (redelivered["due_soon"], redelivered["notifications"]) == (4, 4)
    keys = _keys()
    assert len(keys) == 12 and set(keys.values()) == {1}
    assert {key for key, _ in keys} == _expected_keys(overdue, soon)


def test_a_worker_killed_after_commit_before_ack_tells_nothing_twice(team, workers):
    """Django's foreign keys are checked at COMMIT (deferred): holding the recipient's row
    blocks the scan in its COMMIT. Killed there, the batch commits, the message is not
    acknowledged, and the redelivered scan must not tell that batch again."""
    _quiet_mail(team)
    overdue = _overdue_intakes(4)
    soon = _due_soon_consents(team, 4)
    blocker = RowLock(team.corporation_rep.pk)
    result, told_before_kill = _kill_while_blocked(workers, blocker, "doomed")
    assert len(told_before_kill) == 8
    assert len(_keys()) == 10  # the COMMIT went through after the kill

    workers.start("successor")
    redelivered = result.get(timeout=90)
    assert (redelivered["overdue"], redelivered["due_soon"]) == (0, 2)
    assert redelivered["notifications"] == 2
    keys = _keys()
    assert len(keys) == 12 and set(keys.values()) == {1}
    assert {key for key, _ in keys} == _expected_keys(overdue, soon)
