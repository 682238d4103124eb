"""Privacy tables: data-subject requests and the retention log.

The read log lives on the ground floor (`audit/models.py`), emergency access grants with the
case (`cases/models.py`): privacy's pages read them from there.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# --- Data-subject requests (AVG art. 12, 15–18) and retention ------------------------------


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Access (AVG art. 15)")
    RECTIFICATION = "rectification", _("Rectification (AVG art. 16)")
    ERASURE = "erasure", _("Erasure (AVG art. 17)")
    RESTRICTION = "restriction", _("Restriction of processing (AVG art. 18)")
    OBJECTION = "objection", _("Objection (AVG art. 21)")


class RequestStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    REFUSED = "refused", _("Refused")


class ExportState(models.TextChoices):
    NONE = "", _("Not started")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class DataSubjectRequest(models.Model):
    """A request of a person about their data, with its legal deadline: one month after
    receipt, extendable once by two months with a reason (AVG art. 12(3)).

    Written only through `privacy/services/`; the access export runs as a Celery task whose
    state is kept here (`task_*`), so the page polls this row."""

    kind = models.CharField(_("kind of request"), max_length=20, choices=RequestKind.choices)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RequestStatus.choices,
        default=RequestStatus.RECEIVED,
        db_index=True,
    )
    person = models.ForeignKey(
        "cases.Person",
        on_delete=models.PROTECT,
        related_name="data_subject_requests",
        verbose_name=_("person"),
    )
    # Who made the request when not the person (a representative); blank otherwise.
    requester_name = models.CharField(
        _("requested by (if not the person)"), max_length=200, blank=True
    )
    requester_contact = models.CharField(
        _("contact details for the answer"), max_length=300, blank=True
    )
    received_on = models.DateField(_("received on"))
    # The legal deadline is the request's deadline row (deadlines app, kind
    # `data_subject_request`), read through `deadlines.selectors`; no copy here. An extension
    # opens a new row; its reason is kept here (required, so a reason means "extended").
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    rectification = models.TextField(_("what was rectified"), blank=True)
    decision_reason = models.TextField(_("reason of the decision"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registered by"),
    )
    created_at = models.DateTimeField(auto_now_add=True, verbose_name=_("created at"))
    # The access export (Celery task): state, progress in percent, files when done.
    task_id = models.CharField(max_length=64, blank=True, verbose_name=_("task ID"))
    task_state = models.CharField(
        max_length=10,
        choices=ExportState.choices,
        default=ExportState.NONE,
        blank=True,
        verbose_name=_("task state"),
    )
    task_progress = models.PositiveSmallIntegerField(default=0, verbose_name=_("task progress"))
    task_error = models.TextField(blank=True, verbose_name=_("task error"))
    # When the export was last queued: one still queued or running long after that lost its
    # task (broker away, worker gone) and is queued again (`privacy.requeue_stuck_exports`).
    task_queued_at = models.DateTimeField(null=True, blank=True, verbose_name=_("export queued at"))
    export_started_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("export started at")
    )
    export_finished_at = models.DateTimeField(
        null=True, blank=True, verbose_name=_("export finished at")
    )
    export_json = models.FileField(
        upload_to="privacy/exports/", blank=True, verbose_name=_("JSON export")
    )
    export_pdf = models.FileField(
        upload_to="privacy/exports/", blank=True, verbose_name=_("PDF export")
    )

    class Meta:
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        ordering = ["-received_on", "-pk"]
        permissions = [
            # The privacy officer's pages on the access log (audit/); declared here since the
            # read log moved there (privacy/migrations/0008 moved the permission row along).
            ("audit_access", _("Can audit access to personal data")),
            ("handle_data_subject_requests", _("Can handle data-subject requests")),
            ("view_processing_register", _("Can read the record of processing activities")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_on:%Y-%m-%d}"

    @property
    def is_extended(self) -> bool:
        """Extended once by two months (an extension always has its reason)."""
        return bool(self.extension_reason)


class RetentionLogEntry(models.Model):
    """One line per case whose personal data retention removed (what, when; no names)."""

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case")
    )
    case_number = models.CharField(_("case number"), max_length=20, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    counts = models.JSONField(_("what was removed"), default=dict)

    class Meta:
        verbose_name = _("retention log line")
        verbose_name_plural = _("retention log")
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.case_number}"


class ExportReview(models.Model):
    """The privacy officer's review of an access export before it is released (AVG art.
    15(4)): which passages about third parties (neighbours, complainants, other persons) are
    withheld. Append-only: a new review replaces the earlier one for the next export; the
    export is released only when it was produced after the latest review."""

    request = models.ForeignKey(
        DataSubjectRequest,
        on_delete=models.PROTECT,
        related_name="export_reviews",
        verbose_name=_("data-subject request"),
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), default=timezone.now)
    # [{"kind": "journal" | "referral", "id": 12, "what": "Journal entry of 2026-03-02 (Politie)"}]
    withheld = models.JSONField(_("withheld passages"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("export review")
        verbose_name_plural = _("export reviews")
        ordering = ["-reviewed_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.reviewed_at:%Y-%m-%d}"
