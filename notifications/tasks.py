"""Celery tasks that send notification e-mails: thin wrappers around `notifications/mail.py`.

Every sending task acknowledges late (a worker that dies mid-task gets it redelivered),
retries on SMTP and network errors with exponential backoff and jitter, and after the last
retry records the failure (`DeliveryFailure`) for the functional administrator.
"""

from __future__ import annotations

import datetime
import logging
import smtplib
from typing import Any

from celery import Task, shared_task
from django.utils import timezone

from deadlines.calendar import working_day_calendar

from . import mail
from .models import DeliveryFailure

logger = logging.getLogger(__name__)

RETRY_ON = (smtplib.SMTPException, OSError)


class EmailTask(Task):
    """Retries with backoff 5, 10, 20 … seconds (at most 10 minutes apart, full jitter)."""

    abstract = True
    acks_late = True
    autoretry_for = RETRY_ON
    retry_backoff = 5
    retry_backoff_max = 600
    retry_jitter = True
    max_retries = 8  # about 20 minutes of trying, then the failure is recorded
    failure_kind = DeliveryFailure.Kind.IMMEDIATE

    def on_failure(
        self, exc: BaseException, task_id: str, args: Any, kwargs: Any, einfo: Any
    ) -> None:
        """Called once, when the task gave up (every retry used, or another error)."""
        pk = args[0] if args else next(iter(kwargs.values()), None)
        immediate = self.failure_kind == DeliveryFailure.Kind.IMMEDIATE
        mail.record_failure(
            kind=self.failure_kind,
            recipient_pk=None if immediate else pk,
            notification_pk=pk if immediate else None,
            exc=exc,
            attempts=self.request.retries + 1,
            task_id=task_id,
        )


@shared_task(base=EmailTask, name="notifications.send_notification_email")
def send_notification_email(notification_pk: int) -> bool:
    return mail.send_immediate(notification_pk)


@shared_task(
    base=EmailTask,
    name="notifications.send_digest",
    failure_kind=DeliveryFailure.Kind.DIGEST,
)
def send_digest(user_pk: int) -> int:
    return mail.send_digest(user_pk)


# Longer than every retry of one e-mail task together (about 20 minutes).
STUCK_AFTER = datetime.timedelta(minutes=30)


@shared_task(acks_late=True, name="notifications.requeue_stuck_emails")
def requeue_stuck_emails() -> int:
    """Beat, every 15 minutes: queue again the immediate e-mails whose task was lost. Safe
    when the task was not lost after all: the sending task locks the row and sends only what
    is still queued."""
    pks = mail.stuck_queued(older_than=STUCK_AFTER)
    for pk in pks:
        send_notification_email.delay(pk)
    if pks:
        logger.warning("notification emails requeued count=%s", len(pks))
    return len(pks)


@shared_task(acks_late=True, name="notifications.send_daily_digests")
def send_daily_digests(day: str | None = None) -> int:
    """Beat runs this at 08:00 Europe/Amsterdam every day; it sends only on working days
    (`deadlines/domain/calendar.py`), so Monday's digest holds the weekend. Queues one digest
    task per user with something waiting; returns how many."""
    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    if not working_day_calendar().is_working_day(today):
        logger.info("notification digest skipped day=%s (no working day)", today.isoformat())
        return 0
    users = mail.pending_digest_recipients()
    for user_pk in users:
        send_digest.delay(user_pk)
    logger.info("notification digest queued day=%s users=%s", today.isoformat(), len(users))
    return len(users)
