from django.db import models
from django.utils.translation import gettext_lazy as _


class SignalStatus(models.TextChoices):
    OPEN = "open", _("Open")
    REFERRAL_INVITED = "referral_invited", _("Referral invited")
    IN_CASE = "in_case", _("Taken up in a case")
    CLOSED = "closed", _("Closed")


class SignalOutcome(models.TextChoices):
    """How the coordinator closed a signal (shown to the signalling organisation)."""

    ADVISED = "advised", _("Advised the partner on its own means")
    IMPROVED = "improved", _("The situation improved")
    ELSEWHERE = "elsewhere", _("Taken up elsewhere in the approach")
    NO_FOLLOW_UP = "no_follow_up", _("No follow-up needed")
    REFERRED = "referred", _("Taken up in a referral")


class NoteKind(models.TextChoices):
    NOTE = "note", _("Note for the coordinators")
    ADVICE = "advice", _("Advice to the signalling organisation")
