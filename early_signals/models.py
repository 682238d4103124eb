"""Early signals (vroegsignalering): a partner's short note about an address before a
situation is extreme. Minimal by design: the address, the kinds of nuisance, since when and
what the signalling organisation does, with the lawful basis on which it shares this (as a
journal entry). No names: the form asks for none. docs/signals.md has the rules."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.choices import NuisanceForm
from cases.models import SharedItem

from .choices import NoteKind, SignalOutcome, SignalStatus


class Signal(SharedItem):
    organisation = models.ForeignKey(
        "partners.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signalling organisation"),
    )
    signalled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("signalled by"),
    )
    postcode = models.CharField(_("postcode"), max_length=7)
    house_number = models.PositiveIntegerField(_("house number"))
    house_number_addition = models.CharField(_("addition"), max_length=10, blank=True)
    district = models.ForeignKey(
        "partners.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    network = models.ForeignKey(
        "partners.Network",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("network"),
    )
    nuisance_forms = ArrayField(
        models.CharField(max_length=30, choices=NuisanceForm.choices),
        verbose_name=_("forms of nuisance"),
        default=list,
    )
    nuisance_since = models.DateField(_("nuisance since"), null=True, blank=True)
    own_actions = models.TextField(_("what the organisation is doing"))
    note = models.TextField(_("short description"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SignalStatus.choices,
        default=SignalStatus.OPEN,
        db_index=True,
    )
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=SignalOutcome.choices, blank=True
    )
    outcome_note = models.TextField(_("explanation of the outcome"), blank=True)
    # Signals about the same address, linked by the coordinator: each points at the first.
    linked_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="linked",
        verbose_name=_("linked to"),
    )
    # The case the signal became part of (a referral started from it, or submitted for its
    # address). From then on the case's access rules and retention hold.
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    invited_at = models.DateTimeField(_("referral invited at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The last follow-up: retention counts from here (every service touches it).
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta(SharedItem.Meta):
        verbose_name = _("early signal")
        verbose_name_plural = _("early signals")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["postcode", "house_number"], name="signal_address")]

    def __str__(self) -> str:
        return f"{self.postcode} {self.house_number}{self.house_number_addition}"

    @property
    def sharing_organisation(self) -> object:
        return self.organisation

    @property
    def group_id(self) -> int:
        """The id of the first signal of its linked group (itself when not linked)."""
        return self.linked_to_id or self.pk


class SignalNote(models.Model):
    """The coordinator's note (coordinators only) or advice (shown to the signalling
    organisation) on a signal. Append-only: no edit, so no history of its own."""

    signal = models.ForeignKey(
        Signal, on_delete=models.CASCADE, related_name="notes", verbose_name=_("early signal")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=NoteKind.choices)
    text = models.TextField(_("text"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("note on an early signal")
        verbose_name_plural = _("notes on early signals")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.signal_id}: {self.get_kind_display()}"
