from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    """DOMAIN.md §9: the neighbourhood case meeting and the covenant's other meetings."""

    CASE = "case", _("Case meeting")
    ADVISORY = "advisory", _("Advisory group")
    STEERING = "steering", _("Steering group")
    DIRECTOR = "director", _("Director meeting")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    CANCELLED = "cancelled", _("Cancelled")


class MinutesState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FINAL = "final", _("Final")


class ItemSource(models.TextChoices):
    """Why an item is on the agenda; the first five are proposed from the cases."""

    INTAKE = "intake", _("New referral in intake")
    PLAN = "plan", _("Plan to agree")
    EVALUATION = "evaluation", _("Evaluation due")
    OVERDUE_ACTION = "overdue_action", _("Overdue action")
    PASS_ON_OR_CLOSE = "pass_on_or_close", _("To pass on or close")
    GENERAL = "general", _("General item")
    STANDING_TOPIC = "standing_topic", _("Standing topic")
    BOTTLENECK = "bottleneck", _("Bottleneck")


CASE_SOURCES = frozenset(
    {
        ItemSource.INTAKE,
        ItemSource.PLAN,
        ItemSource.EVALUATION,
        ItemSource.OVERDUE_ACTION,
        ItemSource.PASS_ON_OR_CLOSE,
    }
)


class BottleneckStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class DocumentKind(models.TextChoices):
    AGENDA = "agenda", _("Agenda")
    MINUTES = "minutes", _("Minutes")


class RenderState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being made")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
