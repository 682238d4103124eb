"""Celery tasks for cases: thin wrappers that load fresh and call a service."""

from __future__ import annotations

from celery import shared_task

from . import notifications


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_new_referral(case_pk: int) -> int:
    return notifications.new_referral(case_pk)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_assignment(case_pk: int) -> int:
    return notifications.assignment(case_pk)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify_decision(case_pk: int) -> int:
    return notifications.decision(case_pk)
