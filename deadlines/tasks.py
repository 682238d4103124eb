"""Celery tasks for deadlines: thin wrappers around `services`."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from . import services


@shared_task(name="deadlines.scan", acks_late=True, reject_on_worker_lost=True)
def scan_deadlines(batch_size: int | None = None, use_lock: bool = True) -> dict[str, Any]:
    """Run by beat every DEADLINE_SCAN_MINUTES. Safe to run twice or concurrently, and to
    be redelivered after a worker died halfway (acks_late): see `services.deadlines_scan`."""
    return services.deadlines_scan(batch_size=batch_size, use_lock=use_lock).as_dict()
