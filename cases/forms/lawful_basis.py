"""The lawful-basis fields every form for a shared item carries (journal, documents, screening).

Default: the public task under the covenant. Consent needs the date the person gave it; the
error shows next to that field and nothing typed is lost.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from woonoverlast.forms import Form

from ..choices import LawfulBasis


class LawfulBasisFormMixin(Form):
    lawful_basis = forms.ChoiceField(
        label=_("Lawful basis for sharing"),
        choices=LawfulBasis.choices,
        initial=LawfulBasis.PUBLIC_TASK,
        widget=forms.RadioSelect,
        help_text=_("On what basis your organisation shares this (AVG article 6)."),
    )
    consent_date = forms.DateField(
        label=_("Date of consent"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Required when the person's consent is the basis."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("lawful_basis") == LawfulBasis.CONSENT:
            day = data.get("consent_date")
            if day is None and "consent_date" not in self.errors:
                self.add_error(
                    "consent_date", _("Enter the date on which the person gave consent.")
                )
            elif day is not None and day > timezone.localdate():
                self.add_error("consent_date", _("The date of consent cannot be in the future."))
        else:
            data["consent_date"] = None
        return data

    def lawful_basis_data(self) -> dict[str, Any]:
        return {
            "lawful_basis": self.cleaned_data["lawful_basis"],
            "consent_date": self.cleaned_data.get("consent_date"),
        }
