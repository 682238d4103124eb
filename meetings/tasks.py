"""Celery tasks of the meetings app: thin wrappers around services, taking primary keys."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="meetings.render_document", acks_late=True)
def render_meeting_document(document_pk: int) -> bool:
    """Make one agenda or minutes PDF (safe to run twice: the row is locked, skip_locked)."""
    return services.meeting_document_render(document_pk=document_pk)
