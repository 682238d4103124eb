from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.TextChoices):
    """What a notification is about. The text shown is rendered from the event and the
    notification's context at display time (`notifications/domain/messages.py`)."""

    NEW_REFERRAL = "new_referral", _("New referral")
    ASSIGNED = "assigned", _("Case assigned")
    CONSENT_REQUESTED = "consent_requested", _("Consent requested")
    SCREENING_REQUESTED = "screening_requested", _("Police screening requested")
    ACTION_ASSIGNED = "action_assigned", _("Action assigned")
    ACTION_OVERDUE = "action_overdue", _("Action overdue")
    EVALUATION_DUE = "evaluation_due", _("Evaluation due")
    AGENDA_PUBLISHED = "agenda_published", _("Agenda published")
    MINUTES_FINAL = "minutes_final", _("Minutes final")
    MEETING_MOVED = "meeting_moved", _("Meeting moved")
    MEETING_CANCELLED = "meeting_cancelled", _("Meeting cancelled")
    SUBSTITUTE_INVITED = "substitute_invited", _("Invited as a substitute")
    COVENANT_NOTICE = "covenant_notice", _("Covenant notice date near")
    DEADLINE_DUE_SOON = "deadline_due_soon", _("Deadline due soon")
    DEADLINE_OVERDUE = "deadline_overdue", _("Deadline overdue")
    DECISION = "decision", _("Decision on a referral")
    DRAFT_PURGE = "draft_purge", _("Draft referral to be deleted")


class EmailMode(models.TextChoices):
    """How a user wants notifications by e-mail."""

    IMMEDIATE = "immediate", _("Immediately, one e-mail per notification")
    DIGEST = "digest", _("Once a day, a digest at 08:00 on working days")


class EmailState(models.TextChoices):
    """Where a notification's e-mail stands."""

    QUEUED = "queued", _("Queued for immediate sending")
    DIGEST = "digest", _("Waiting for the daily digest")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    NONE = "none", _("No e-mail (no address)")
