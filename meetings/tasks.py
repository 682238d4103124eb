"""Celery tasks of the meetings app: thin wrappers around services, taking primary keys."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="meetings.render_document", acks_late=True, reject_on_worker_lost=True)
def render_meeting_document(document_pk: int) -> bool:
    """Make one agenda or minutes PDF (safe to run twice: `services.meeting_document_render`)."""
    return services.meeting_document_render(document_pk=document_pk)


@shared_task(name="meetings.requeue_stuck_documents", acks_late=True)
def requeue_stuck_documents() -> int:
    """Beat, every 5 minutes: queue again the PDFs whose task was lost (broker away)."""
    return services.meeting_documents_requeue_stuck()
