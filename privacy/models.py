"""Privacy tables. The read log lives here; see `privacy/readlog.py` for how it is written.

Other privacy tables (register, data-subject requests, retention) go below the read log.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ReadWhat(models.TextChoices):
    """What was shown: a section of the case, an item, or something taken away."""

    CASE_PAGE = "case_page", _("Case page")
    CASE_LIST = "case_list", _("Case list or search result")
    JOURNAL_ENTRY = "journal_entry", _("Journal entry")
    DOCUMENT = "document", pgettext_lazy("read log", "Document download")
    INTAKE = "intake", _("Intake page")
    SCREENING = "screening", _("Police screening")
    REFERRAL = "referral", _("Referral")
    HISTORY = "history", _("Change history")
    EDIT_FORM = "edit_form", _("Edit form with case data")
    EXPORT = "export", _("Export")
    ACCESS_LOG = "access_log", _("Read log of the case")
    PDF = "pdf", pgettext_lazy("read log", "PDF")
    DATA_SUBJECT_REQUEST = "data_subject_request", _("Data-subject request")


class ReadBasis(models.TextChoices):
    """On what basis the user could see it (decided by `privacy.access.case_access_basis`)."""

    COORDINATOR = "coordinator", _("Coordinator")
    CASEMANAGER = "casemanager", _("Casemanager of the case")
    INVOLVED_ORGANISATION = "involved_organisation", _("Involved organisation")
    SCREENING_POLICE = "screening_police", _("Police asked for a screening")
    CONSENT_CORPORATION = "consent_corporation", _("Corporation asked for consent")
    REFERRER = "referrer", _("Referrer of the case")
    EMERGENCY = "emergency", _("Emergency access (motivated)")
    PRIVACY_AUDIT = "privacy_audit", _("Privacy officer's audit")


class AppendOnlyQuerySet(models.QuerySet):
    """No update or delete path in the application (the database refuses them as well)."""

    def update(self, **kwargs: object) -> int:
        raise PermissionError("The read log is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The read log is append-only")


class ReadLogEntry(models.Model):
    """One read of personal data (NEN 7513: who, whose, what, when, from where, why).

    Append-only. The application has no update or delete path, and a database trigger
    (migration 0002) refuses UPDATE and DELETE unless the transaction set
    `woonoverlast.readlog_redaction`, which only `privacy.readlog.redact_for_person` and
    `redact_for_case` do (retention and erasure)."""

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # Who: the account, their organisation and roles at that moment (roles change later).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("user"),
        db_index=False,
    )
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
        db_index=False,
    )
    roles = ArrayField(models.CharField(max_length=30), default=list, verbose_name=_("roles"))
    # Whose: the case and, where the page shows them, its persons (pks).
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
        db_index=False,
    )
    person_ids = ArrayField(
        models.BigIntegerField(), default=list, blank=True, verbose_name=_("persons")
    )
    # What: the kind of page and the item (e.g. "document 12"): ids only, never titles.
    what = models.CharField(_("what"), max_length=30, choices=ReadWhat.choices)
    object_id = models.BigIntegerField(_("item"), null=True, blank=True)
    path = models.CharField(_("address"), max_length=300, blank=True)
    # From where: client address (through the trusted proxy) and a keyed hash of the session.
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    session_hash = models.CharField(_("session"), max_length=16, blank=True)
    # Why: the basis, and the written motivation of an emergency access.
    basis = models.CharField(_("basis"), max_length=30, choices=ReadBasis.choices)
    motivation = models.TextField(_("motivation"), blank=True)
    # Set when retention or erasure removed the detail (persons, item, path) of this row.
    redacted_at = models.DateTimeField(_("detail removed at"), null=True, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("read log entry")
        verbose_name_plural = _("read log")
        ordering = ["-at", "-pk"]
        permissions = [("audit_access", _("Can audit access to personal data"))]
        indexes = [
            models.Index(fields=["case", "at"], name="readlog_case_at"),
            models.Index(fields=["user", "at"], name="readlog_user_at"),
            models.Index(fields=["basis", "at"], name="readlog_basis_at"),
            GinIndex(fields=["person_ids"], name="readlog_person_ids"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.what} {self.case_id}"

    def save(self, *args: object, **kwargs: object) -> None:
        if not self._state.adding:
            raise PermissionError("The read log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise PermissionError("The read log is append-only")


class EmergencyAccess(models.Model):
    """'Break the glass': a user outside the case opened it with a written motivation.

    Only when EMERGENCY_ACCESS_ENABLED (off by default: the municipality as controller
    decides). Grants read access to the case for EMERGENCY_ACCESS_HOURS; every read in that
    time is logged with basis "emergency" and the motivation, and the privacy officer sees
    them on the unusual-access page. Rows are never changed: a grant simply expires."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+")
    motivation = models.TextField(_("motivation"))
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")
        ordering = ["-granted_at", "-pk"]
        indexes = [models.Index(fields=["user", "expires_at"], name="emergency_user_expires")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.case_id} ({self.granted_at:%Y-%m-%d %H:%M})"


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

    Written only through `privacy/services.py`; the access export runs as a Celery task whose
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
    due_on = models.DateField(_("legal deadline"), db_index=True)
    extended_due_on = models.DateField(_("extended deadline"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for the extension"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    rectification = models.TextField(_("what was rectified"), blank=True)
    decision_reason = models.TextField(_("reason of the decision"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The access export (Celery task): state, progress in percent, files when done.
    task_id = models.CharField(max_length=64, blank=True)
    task_state = models.CharField(
        max_length=10, choices=ExportState.choices, default=ExportState.NONE, blank=True
    )
    task_progress = models.PositiveSmallIntegerField(default=0)
    task_error = models.TextField(blank=True)
    export_started_at = models.DateTimeField(null=True, blank=True)
    export_finished_at = models.DateTimeField(null=True, blank=True)
    export_json = models.FileField(upload_to="privacy/exports/", blank=True)
    export_pdf = models.FileField(upload_to="privacy/exports/", blank=True)

    class Meta:
        verbose_name = _("data-subject request")
        verbose_name_plural = _("data-subject requests")
        ordering = ["-received_on", "-pk"]
        permissions = [
            ("handle_data_subject_requests", _("Can handle data-subject requests")),
            ("view_processing_register", _("Can read the record of processing activities")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(extended_due_on__isnull=True) | ~models.Q(extension_reason=""),
                name="privacy_request_extension_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.received_on:%Y-%m-%d}"

    @property
    def effective_due_on(self) -> datetime.date:
        return self.extended_due_on or self.due_on


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
