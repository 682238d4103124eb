"""Look-up forms of the privacy officer's access pages (GET; errors next to the field)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cases.models import Case
from partners.models import User
from woonoverlast.forms import Form


class UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        name = obj.get_full_name() or obj.email
        return f"{name} ({obj.email})"


class UserLookupForm(Form):
    user = UserChoice(
        label=_("User"),
        queryset=User.objects.order_by("last_name", "first_name", "email"),
        empty_label=_("Choose a user"),
    )


class CaseLookupForm(Form):
    number = forms.CharField(
        label=_("Case number"),
        max_length=20,
        help_text=_("For example WO-2026-0042."),
    )

    def clean_number(self) -> str:
        number = " ".join(self.cleaned_data["number"].replace("\x00", "").split()).upper()
        case = Case.objects.filter(number=number).first()
        if case is None:
            raise forms.ValidationError(_("No case has this number."))
        self.cleaned_data["case"] = case
        return number


class PeriodForm(Form):
    DEFAULT_DAYS = 30

    days = forms.IntegerField(
        label=_("Period (days back)"), min_value=1, max_value=3660, initial=DEFAULT_DAYS
    )
