"""Celery tasks for cases: thin wrappers around `services`."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="cases.end_due_involvements", acks_late=True, reject_on_worker_lost=True)
def end_due_involvements() -> int:
    """Run daily by beat (INVOLVEMENT_HANDOVER_DAYS after closing, or when the aftercare
    ended, an organisation's involvement ends). Safe to run twice or to be redelivered."""
    return services.end_due_involvements()
