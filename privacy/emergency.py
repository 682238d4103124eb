"""'Break the glass': emergency access to a case outside one's own involvement.

Off by default (EMERGENCY_ACCESS_ENABLED). A casemanager or partner representative names
the case number and writes why; the grant lets them read the case (as an involved partner
would, confidentiality levels included) for EMERGENCY_ACCESS_HOURS. They cannot add to it.
Every read in that time is logged with basis "emergency" and the motivation; the privacy
officer sees the reads on the unusual-access page.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.access import may_request_emergency_access
from cases.choices import CaseStatus
from cases.models import Case, EmergencyAccess
from woonoverlast.forms import Form

MIN_MOTIVATION = 20


class EmergencyAccessRefused(Exception):  # noqa: N818 - a refusal shown to the user
    pass


@transaction.atomic
def emergency_access_grant(*, case: Any, motivation: str, by: Any) -> EmergencyAccess:
    """Grant `by` read access to `case` for EMERGENCY_ACCESS_HOURS, with the motivation."""
    if not may_request_emergency_access(by):
        raise EmergencyAccessRefused(_("Emergency access is not available to you."))
    motivation = motivation.strip()
    if len(motivation) < MIN_MOTIVATION:
        raise EmergencyAccessRefused(_("Explain in at least 20 characters why you need access."))
    if case.status in (CaseStatus.DRAFT, CaseStatus.ATTACHED):
        raise EmergencyAccessRefused(_("No case has this number."))
    now = timezone.now()
    return EmergencyAccess.objects.create(
        user=by,
        case=case,
        motivation=motivation,
        granted_at=now,
        expires_at=now + datetime.timedelta(hours=settings.EMERGENCY_ACCESS_HOURS),
    )


class EmergencyAccessForm(Form):
    number = forms.CharField(label=_("Case number"), max_length=20)
    motivation = forms.CharField(
        label=_("Why do you need access now?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_(
            "Your motivation, your name and every page you open are recorded and shown to "
            "the privacy officer."
        ),
    )

    def clean_number(self) -> str:

        number = " ".join(self.cleaned_data["number"].replace("\x00", "").split()).upper()
        case = Case.objects.filter(number=number).first()
        if case is None:
            raise forms.ValidationError(_("No case has this number."))
        self.cleaned_data["case"] = case
        return number

    def clean_motivation(self) -> str:
        motivation = self.cleaned_data["motivation"].replace("\x00", "").strip()
        if len(motivation) < MIN_MOTIVATION:
            raise forms.ValidationError(_("Explain in at least 20 characters why you need access."))
        return motivation
