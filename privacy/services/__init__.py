"""Every write of the privacy app: data-subject requests (AVG art. 12, 15–18) and retention.

Plain functions, keyword-only, the acting user as `by`. The mechanics of removing data live
in `privacy/anonymise.py`; the export itself in `privacy/export.py` (run by a Celery task).

One module per right or duty: requests, erasure, exports, retention; callers import from
here (`from privacy import services`)."""

from __future__ import annotations

from .erasure import (
    REPLAY_REASON,
    ErasureNotRecorded,
    erasure_replay,
    person_erase,
)
from .exports import (
    EXPORT_STUCK_AFTER,
    export_review_record,
    export_start,
    exports_requeue_stuck,
)
from .requests import (
    RequestRefused,
    person_restrict,
    request_complete,
    request_extend,
    request_refuse,
    request_register,
    same_person,
)
from .retention import (
    draft_purge,
    draft_purge_notify,
    drafts_due,
    drafts_to_notify,
    recidivism_keys_cutoff,
    recidivism_keys_due,
    recidivism_keys_purge,
    retention_apply,
    retention_daily,
    retention_run,
)

__all__ = [
    "EXPORT_STUCK_AFTER",
    "ErasureNotRecorded",
    "REPLAY_REASON",
    "RequestRefused",
    "draft_purge",
    "draft_purge_notify",
    "drafts_due",
    "drafts_to_notify",
    "erasure_replay",
    "export_review_record",
    "export_start",
    "exports_requeue_stuck",
    "person_erase",
    "person_restrict",
    "recidivism_keys_cutoff",
    "recidivism_keys_due",
    "recidivism_keys_purge",
    "request_complete",
    "request_extend",
    "request_refuse",
    "request_register",
    "retention_apply",
    "retention_daily",
    "retention_run",
    "same_person",
]
