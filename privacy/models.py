"""Privacy tables. The read log lives here; see `privacy/readlog.py` for how it is written.

Other privacy tables (register, data-subject requests, retention) go below the read log.
"""

from __future__ import annotations

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
