"""The access log: who read which personal data (the read log, NEN 7513) and who was
refused a case they asked for. Written by `audit/readlog.py`; read by privacy's officer pages.

Ground floor: no imports of `cases` or `privacy`. The case is referenced by name only.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partners.choices import Role


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
    # Issue 12, the pages after the plan (cases/views/evaluation.py).
    INVESTIGATION = "investigation", _("Investigation")
    EVALUATIONS = "evaluations", _("Evaluations and outcome")
    AFTERCARE = "aftercare", _("Aftercare plan")
    SUPPORT = "support", _("Material support and relocation")
    PLAN = "plan", _("Plan of approach")
    EVICTION = "eviction", _("Eviction advice and police situation report")
    # Issue 13: an agenda, minutes or their PDF showing the case as an item.
    MEETING = "meeting", _("Meeting agenda or minutes")
    # Issue 17: a partner's early signal about an address (early_signals/access.py).
    EARLY_SIGNAL = "early_signal", _("Early signal")


class ReadBasis(models.TextChoices):
    """On what basis the user could see it (each app's `access_*` functions decide it)."""

    COORDINATOR = "coordinator", _("Coordinator")
    CASEMANAGER = "casemanager", _("Casemanager of the case")
    INVOLVED_ORGANISATION = "involved_organisation", _("Involved organisation")
    SCREENING_POLICE = "screening_police", _("Police asked for a screening")
    CONSENT_CORPORATION = "consent_corporation", _("Corporation asked for consent")
    REFERRER = "referrer", _("Referrer of the case")
    EMERGENCY = "emergency", _("Emergency access (motivated)")
    PRIVACY_AUDIT = "privacy_audit", _("Privacy officer's audit")
    SIGNALLING_ORGANISATION = "signalling_organisation", _("Organisation that signalled it")


class AppendOnlyQuerySet[M: models.Model](models.QuerySet[M]):
    """No update or delete path in the application (the database refuses them as well)."""

    def update(self, **kwargs: object) -> int:
        raise PermissionError("The access log is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("The access log is append-only")


class ReadLogEntry(models.Model):
    """One read of personal data (NEN 7513: who, whose, what, when, from where, why).

    Append-only. The application has no update or delete path, and a database trigger
    (privacy/migrations/0002) refuses UPDATE and DELETE unless the transaction set
    `woonoverlast.readlog_redaction`, which only `audit.readlog.redact_for_person` and
    `redact_for_case` do (retention and erasure).

    The case is a foreign key by name ("cases.Case"): this module imports nothing of cases."""

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
        db_table = "privacy_readlogentry"  # created by privacy/migrations/0001; moved here
        indexes = [
            models.Index(fields=["case", "at"], name="readlog_case_at"),
            models.Index(fields=["user", "at"], name="readlog_user_at"),
            models.Index(fields=["basis", "at"], name="readlog_basis_at"),
            GinIndex(fields=["person_ids"], name="readlog_person_ids"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.what} {self.case_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("The access log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("The access log is append-only")

    @property
    def role_labels(self) -> list[str]:
        """The roles as the reader names them ("Partner representative"), not their codes;
        a code no longer in `Role` (renamed since) is shown as stored."""
        names = dict(Role.choices)
        return [str(names.get(code, code)) for code in self.roles]


class RefusedAccess(models.Model):
    """A signed-in user asked for a case outside their need to know and got 404.

    Who, when and which case id: nothing else (no path, no address, no object). The case id
    is a plain number: a probe for a case that does not exist is recorded as well. Written
    by the `access_*` functions of `cases/access.py`; shown on the unusual-access page."""

    at = models.DateTimeField(_("when"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("user"),
        db_index=False,
    )
    case_id = models.BigIntegerField(_("case id"))

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("refused access attempt")
        verbose_name_plural = _("refused access attempts")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["at"], name="refusedaccess_at"),
            models.Index(fields=["user", "at"], name="refusedaccess_user_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.case_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError("Refused access attempts are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("Refused access attempts are append-only")
