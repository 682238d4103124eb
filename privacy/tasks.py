"""Celery tasks of the privacy app: thin wrappers around services (STYLE.md)."""

from __future__ import annotations

from celery import shared_task

from . import export


@shared_task(name="privacy.access_export", acks_late=True, reject_on_worker_lost=True)
def access_export(request_pk: int) -> bool:
    """Produce the access export of a data-subject request (safe to run twice)."""
    return export.run(request_pk)


@shared_task(name="privacy.retention_run", acks_late=True, reject_on_worker_lost=True)
def retention_run() -> int:
    """Daily (beat): anonymise the cases past retention (each once), delete keyed hashes past
    the recidivism window, announce and delete stale drafts. Returns the cases anonymised."""
    # services enqueues this module's access_export, so it is read here, when the task runs.
    from . import services  # noqa: PLC0415 - the one documented cycle: services → tasks

    return services.retention_daily()["cases"]


@shared_task(name="privacy.requeue_stuck_exports", acks_late=True)
def requeue_stuck_exports() -> int:
    """Beat, every 5 minutes: queue again the access exports whose task was lost."""
    from . import services  # noqa: PLC0415 - the one documented cycle: services → tasks

    return services.exports_requeue_stuck()
