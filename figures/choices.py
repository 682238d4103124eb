"""The figures a result agreement can set a target for (DOMAIN.md §10)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FigureKey(models.TextChoices):
    REFERRALS = "referrals", _("Referrals (number)")
    ACCEPTED_SHARE = "accepted_share", _("Accepted referrals (%)")
    RESOLVED_OR_MANAGEABLE = (
        "resolved_or_manageable",
        _("Nuisance resolved or manageable, judged by the partners (%)"),
    )
    IN_CARE_AT_CLOSING = "in_care_at_closing", _("Causer in care at closing (%)")
    NOT_HOMELESS = "not_homeless", _("Closed without homelessness (%)")
    LEAD_TIME_MEDIAN = "lead_time_median", _("Lead time referral to closing, median (days)")
    INTAKE_ON_TIME = "intake_on_time", _("Intake within 5 working days (%)")
    CONSENT_ON_TIME = "consent_on_time", _("Consent within 3 working days (%)")
    SIX_MONTH_ON_TIME = "six_month_on_time", _("Six-month evaluations on time (%)")
    RECIDIVISM = "recidivism", _("Recidivism within 3 years (%)")
    AFTERCARE_STARTED = "aftercare_started", _("Aftercare started (%)")
