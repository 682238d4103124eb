"""Forms of early signals. They only validate; the views hand `cleaned_data` to the
services. The address fields are the referral form's (the same messages, the district
proposed from the postcode the same way); the lawful basis is the journal entry's."""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases import postcodes
from cases.choices import NuisanceForm
from cases.forms.lawful_basis import LawfulBasisFormMixin
from cases.forms.referral import INVALID_CHOICE, ReferralForm
from partners.models import District
from woonoverlast.forms import Form

from .choices import NoteKind, SignalOutcome
from .models import Signal

MAX_SHORT_TEXT = 2_000


def _referral_field(name: str) -> Any:
    return copy.deepcopy(ReferralForm.base_fields[name])


class SignalForm(LawfulBasisFormMixin):
    """`services.signal_record(**form.signal_data(), by=...)`. Needs `organisation_kind`."""

    use_required_attribute = False

    postcode = _referral_field("postcode")
    house_number = _referral_field("house_number")
    house_number_addition = _referral_field("house_number_addition")
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.none(),
        required=False,
        help_text=_("Leave empty to have it proposed from the postcode."),
        error_messages={"invalid_choice": _("Choose one of the districts in the list.")},
    )
    nuisance_forms = forms.MultipleChoiceField(
        label=_("Forms of nuisance"),
        choices=NuisanceForm.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose every form you see."),
        error_messages={
            "required": _("Choose at least one form of nuisance."),
            "invalid_choice": INVALID_CHOICE,
        },
    )
    nuisance_since = _referral_field("nuisance_since")
    own_actions = forms.CharField(
        label=_("What your organisation is doing"),
        max_length=MAX_SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Your own means so far, such as talks, a warning or a referral to care."),
        error_messages={"required": _("Describe what your organisation is doing.")},
    )
    note = forms.CharField(
        label=_("Short description (optional)"),
        max_length=MAX_SHORT_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "What you see, in a few sentences. No names, and no health or criminal data "
            "unless the coordinator needs it."
        ),
    )

    FIELD_ORDER = (
        "postcode",
        "house_number",
        "house_number_addition",
        "district",
        "nuisance_forms",
        "nuisance_since",
        "own_actions",
        "note",
        "data_category",
        "lawful_basis",
        "consent_date",
        "basis_motivation",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.order_fields(self.FIELD_ORDER)
        district = self.fields["district"]
        assert isinstance(district, forms.ModelChoiceField)
        district.queryset = District.objects.filter(is_active=True).order_by("name")

    def clean_postcode(self) -> str:
        value = self.cleaned_data.get("postcode", "")
        normalised = postcodes.normalise_postcode(value) if value else None
        if normalised is None:
            raise forms.ValidationError(
                _("Enter a valid postcode, such as 1234 AB."), code="invalid"
            )
        return normalised

    def clean_nuisance_since(self) -> Any:
        day = self.cleaned_data.get("nuisance_since")
        if day is not None and day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("postcode") and not data.get("district") and "district" not in self.errors:
            data["district"] = postcodes.district_for(data["postcode"])
            if data["district"] is None:
                self.add_error(
                    "district",
                    _("The district could not be found from the postcode; choose it."),
                )
        return data

    def signal_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "postcode": data["postcode"],
            "house_number": data["house_number"],
            "house_number_addition": data.get("house_number_addition") or "",
            "district": data.get("district"),
            "nuisance_forms": data["nuisance_forms"],
            "nuisance_since": data.get("nuisance_since"),
            "own_actions": data["own_actions"],
            "note": data.get("note") or "",
            **self.lawful_basis_data(),
        }


class NoteForm(Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=NoteKind.choices,
        initial=NoteKind.NOTE,
        widget=forms.RadioSelect,
        help_text=_("Advice is shown to the signalling organisation; a note is not."),
        error_messages={"required": _("Choose note or advice."), "invalid_choice": INVALID_CHOICE},
    )
    text = forms.CharField(
        label=_("Text"),
        max_length=MAX_SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write the note or the advice.")},
    )


class SignalChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Signal) -> str:
        return str(
            _("%(organisation)s, %(date)s")
            % {
                "organisation": obj.organisation.name,
                "date": timezone.localtime(obj.created_at).strftime("%d-%m-%Y"),
            }
        )


class LinkForm(Form):
    other = SignalChoiceField(
        label=_("Signal on the same address"),
        queryset=Signal.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={
            "required": _("Choose the signal to link."),
            "invalid_choice": _("Choose one of the signals in the list."),
        },
    )

    def __init__(self, *args: Any, candidates: QuerySet[Signal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        other = self.fields["other"]
        assert isinstance(other, forms.ModelChoiceField)
        other.queryset = candidates


class InviteForm(Form):
    advice = forms.CharField(
        label=_("Message to the signalling organisation (optional)"),
        max_length=MAX_SHORT_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CloseForm(Form):
    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=[c for c in SignalOutcome.choices if c[0] != SignalOutcome.REFERRED],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the outcome."), "invalid_choice": INVALID_CHOICE},
    )
    outcome_note = forms.CharField(
        label=_("Explanation for the signalling organisation"),
        max_length=MAX_SHORT_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Explain the outcome to the signalling organisation.")},
    )
