"""The access export (AVG art. 15): started, reviewed before release, queued to a worker and
requeued when the broker was away."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from partners.models import User

from .. import selectors
from ..models import (
    DataSubjectRequest,
    ExportReview,
    ExportState,
    RequestKind,
    RequestStatus,
)
from ..tasks import access_export
from .requests import RequestRefused, _locked, _require_open

logger = logging.getLogger(__name__)


# --- Access export -------------------------------------------------------------------------


@transaction.atomic
def export_start(*, request: DataSubjectRequest, by: User) -> DataSubjectRequest:
    """Queue the access export (Celery); the page polls `task_state` / `task_progress`."""
    request = _locked(request)
    if request.kind != RequestKind.ACCESS:
        raise RequestRefused("Only an access request has an export")
    _require_open(request)
    if request.task_state in (ExportState.QUEUED, ExportState.RUNNING):
        return request
    request.task_state = ExportState.QUEUED
    request.task_progress = 0
    request.task_error = ""
    request.task_queued_at = timezone.now()
    request.status = RequestStatus.IN_PROGRESS
    request.save(
        update_fields=["task_state", "task_progress", "task_error", "task_queued_at", "status"]
    )
    pk = request.pk
    transaction.on_commit(lambda: _queue_export(pk))
    return request


@transaction.atomic
def export_review_record(
    *, request: DataSubjectRequest, by: User, withhold: Iterable[str], note: str = ""
) -> ExportReview:
    """Record the officer's review of the passages about others: which are withheld (keys
    "journal:<id>" / "referral:<id>" from `selectors.export_review_candidates`). The export
    produced after this review is the one released; what was withheld is kept by kind, id
    and date/organisation, without the text."""
    request = _locked(request)
    if request.kind != RequestKind.ACCESS:
        raise RequestRefused("Only an access request has an export")
    _require_open(request)
    candidates = {row["key"]: row for row in selectors.export_review_candidates(request=request)}
    chosen = list(dict.fromkeys(withhold))
    unknown = set(chosen) - candidates.keys()
    if unknown:
        raise RequestRefused("Only passages of this export can be withheld")
    return ExportReview.objects.create(
        request=request,
        reviewed_by=by,
        withheld=[
            {
                "kind": candidates[key]["kind"],
                "id": candidates[key]["id"],
                "what": f"{candidates[key]['case_number'] or ''} {candidates[key]['what']}".strip(),
            }
            for key in chosen
        ],
        note=note.strip(),
    )


def _queue_export(pk: int) -> None:
    """Queue the export task; with the broker away the request stays queued (its page says
    so) and `exports_requeue_stuck` (beat) queues it again later."""
    try:
        result = access_export.delay(pk)
    except Exception:
        logger.exception("access export not queued request=%s", pk)
        return
    DataSubjectRequest.objects.filter(pk=pk).update(task_id=result.id or "")


# An export takes seconds to a minute; one still queued or running this long after it was
# queued lost its task (broker away when it was queued, or the message lost with its worker).
EXPORT_STUCK_AFTER = datetime.timedelta(minutes=15)


def exports_requeue_stuck(*, older_than: datetime.timedelta | None = None) -> int:
    """Queue again every access export still waiting `older_than` after it was queued. Safe
    when the first task was not lost after all (`export.run` keeps one result only)."""
    cutoff = timezone.now() - (older_than if older_than is not None else EXPORT_STUCK_AFTER)
    pks = list(
        DataSubjectRequest.objects.filter(
            task_state__in=[ExportState.QUEUED, ExportState.RUNNING], task_queued_at__lt=cutoff
        )
        .order_by("task_queued_at")
        .values_list("pk", flat=True)[:1000]
    )
    for pk in pks:
        _queue_export(pk)
    if pks:
        logger.warning("access exports requeued count=%s", len(pks))
    return len(pks)
