"""Correcting a person on a case (the case team): also how a rectification request
(AVG art. 16) is carried out. Validation only; `services.person_update` writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from woonoverlast.forms import ModelForm

from ..models import Person


class PersonForm(ModelForm):
    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "date_of_birth",
            "phone",
            "notes",
            "consents_to_contact",
        ]
        widgets = {
            "date_of_birth": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }

    def clean_last_name(self) -> str:
        value = self.cleaned_data["last_name"]
        if not value.strip():
            raise forms.ValidationError(_("Enter the last name."))
        return value

    def clean_date_of_birth(self) -> Any:
        day = self.cleaned_data.get("date_of_birth")
        if day is not None and day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day

    def _post_clean(self) -> None:
        # The service writes; the form does not touch the instance.
        pass

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
