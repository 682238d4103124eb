"""Celery tasks that send notification e-mails: thin wrappers around `notifications/mail.py`."""

from __future__ import annotations

from celery import shared_task

from . import mail


@shared_task(acks_late=True)
def send_notification_email(notification_pk: int) -> bool:
    return mail.send_immediate(notification_pk)
