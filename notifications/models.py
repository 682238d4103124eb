"""Notifications in the application and the state of their e-mail.

Tables and small invariants only; every write goes through `notifications/services.py`.
A notification never holds personal data: its text is rendered at display time from the
event and a small context (case number, deadline kind, dates), see `domain/messages.py`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import EmailMode, EmailState, Event


class Notification(models.Model):
    """One message for one user. At most one per (key, recipient): the database says so."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
        # No index of its own: `notification_list_idx` starts with the recipient.
        db_index=False,
    )
    event = models.CharField(_("event"), max_length=40, choices=Event.choices)
    # The idempotency key chosen by the caller, e.g. "case:12:new_referral" or
    # "deadline:7:overdue". With the recipient it identifies the notification.
    key = models.CharField(_("key"), max_length=200)
    case = models.ForeignKey(
        "cases.Case",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("case"),
    )
    # A path inside the application (behind sign-in), never an outside address.
    url = models.CharField(_("link"), max_length=500, blank=True)
    # Case number, deadline kind, dates: whatever the text needs, never personal data.
    context = models.JSONField(_("context"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email_state = models.CharField(
        _("e-mail"), max_length=10, choices=EmailState.choices, default=EmailState.NONE
    )
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "recipient"], name="notification_key_recipient_unique"
            ),
        ]
        indexes = [
            # The list page: a user's notifications, newest first.
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_list_idx"),
            # The bell: count of unread per recipient, a small partial index.
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
            # The sweep for immediate e-mails whose task was lost: queued, oldest first.
            models.Index(
                fields=["created_at"],
                condition=Q(email_state="queued"),
                name="notification_queued_idx",
            ),
            # The daily digest: what still waits for it.
            models.Index(
                fields=["recipient"],
                condition=Q(email_state="digest"),
                name="notification_digest_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.recipient_id} ({self.key})"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(models.Model):
    """A user's choice how to get notifications by e-mail (no row: the default)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preference",
        verbose_name=_("user"),
    )
    email_mode = models.CharField(
        _("e-mail"), max_length=10, choices=EmailMode.choices, default=EmailMode.IMMEDIATE
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.email_mode}"


class DeliveryFailure(models.Model):
    """An e-mail that could not be sent after every retry. The functional administrator
    sees these under /beheer/; the notifications themselves stay in the application."""

    class Kind(models.TextChoices):
        IMMEDIATE = "immediate", _("Immediate e-mail")
        DIGEST = "digest", _("Daily digest")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    notification = models.ForeignKey(
        Notification,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="delivery_failures",
        verbose_name=_("notification"),
    )
    notification_count = models.PositiveIntegerField(_("notifications"), default=1)
    # The exception's class and message, shortened. No message content.
    error = models.CharField(_("error"), max_length=500)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=1)
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    failed_at = models.DateTimeField(_("failed"), default=timezone.now)

    class Meta:
        verbose_name = _("e-mail delivery failure")
        verbose_name_plural = _("e-mail delivery failures")
        ordering = ["-failed_at", "-id"]
        indexes = [models.Index(fields=["-failed_at"], name="deliveryfailure_failed_idx")]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}: {self.error}"
