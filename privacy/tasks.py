"""Celery tasks of the privacy app: thin wrappers around services (STYLE.md)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="privacy.access_export", acks_late=True)
def access_export(request_pk: int) -> bool:
    """Produce the access export of a data-subject request (safe to run twice)."""
    from . import export

    return export.run(request_pk)


@shared_task(name="privacy.retention_run", acks_late=True)
def retention_run() -> int:
    """Daily (beat): anonymise the closed cases past retention. Each case once."""
    from . import services

    return services.retention_run()
