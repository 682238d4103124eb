"""Notification e-mails through a real Celery worker on the Redis broker: an SMTP failure is
retried with backoff; after the last retry the failure is recorded for the administrator."""

from __future__ import annotations

import logging
import smtplib
import time

import pytest
from django.core import mail

import notifications.tasks  # noqa: F401 - registers the tasks with the test worker's app
from notifications import mail as notification_mail
from notifications.choices import EmailState
from notifications.models import DeliveryFailure, Notification
from notifications.services import notify
from tests.factories.cases import CaseFactory
from tests.factories.partners import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _wait(condition, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


class FlakySMTP:
    """send_mail that fails `failures` times with an SMTP error, then sends."""

    def __init__(self, failures: int) -> None:
        self.failures = failures
        self.calls = 0
        self.real = notification_mail.send_mail

    def __call__(self, *args, **kwargs):
        self.calls += 1
        if self.calls <= self.failures:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return self.real(*args, **kwargs)


def test_smtp_failure_is_retried_and_then_sent_once(celery_worker, monkeypatch):
    smtp = FlakySMTP(failures=1)
    monkeypatch.setattr(notification_mail, "send_mail", smtp)
    user = UserFactory()
    case = CaseFactory(number="WO-2026-0501")
    mail.outbox.clear()
    # Autocommit here: notify() queues the e-mail task at once, the worker picks it up.
    assert notify(recipients=[user], event="assigned", key="k", case=case, url="/x/") == 1

    assert _wait(lambda: len(mail.outbox) == 1)
    assert smtp.calls == 2  # the first attempt failed, the retry sent it
    assert mail.outbox[0].to == [user.email]
    assert "WO-2026-0501" in mail.outbox[0].subject
    assert _wait(lambda: Notification.objects.get().email_state == EmailState.SENT)
    time.sleep(1)
    assert len(mail.outbox) == 1
    assert not DeliveryFailure.objects.exists()


def test_failure_after_the_last_retry_is_recorded_and_logged(
    celery_worker, celery_app, monkeypatch, caplog
):
    caplog.set_level(logging.ERROR, logger="notifications.mail")
    smtp = FlakySMTP(failures=1000)
    monkeypatch.setattr(notification_mail, "send_mail", smtp)
    # One retry instead of eight, so the test does not wait twenty minutes.
    task = celery_app.tasks["notifications.send_notification_email"]
    monkeypatch.setattr(task, "max_retries", 1)
    user = UserFactory()
    mail.outbox.clear()
    notify(recipients=[user], event="assigned", key="k", url="/x/")

    assert _wait(lambda: DeliveryFailure.objects.exists())
    failure = DeliveryFailure.objects.get()
    notification = Notification.objects.get()
    assert failure.kind == DeliveryFailure.Kind.IMMEDIATE
    assert failure.notification == notification
    assert failure.recipient == user
    assert failure.attempts == 2
    assert failure.error.startswith("SMTPServerDisconnected")
    assert failure.task_id
    assert smtp.calls == 2
    assert notification.email_state == EmailState.FAILED
    assert notification.read_at is None  # still there, unread, in the application
    assert mail.outbox == []
    assert f"notification email failed kind=immediate recipient={user.pk}" in caplog.text
