"""The referral form (aanmeldingsformulier): the referral itself and its persons.

Two modes. "Save draft" checks formats only (a postcode that is no postcode, a date in the
future), so a referrer can stop halfway; "Submit" also checks that everything the intake
needs is there. The forms only validate: the view hands `cleaned_data` to
`cases.services.referral_update()`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from partners.choices import OrganisationKind
from partners.models import District, Organisation
from woonoverlast.forms import Form

from .. import postcodes
from ..choices import Background, HousingType, NuisanceForm, PersonRole

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"]
MAX_TEXT = 10_000
MAX_ID = 2_147_483_647  # PostgreSQL integer: larger ids are refused as invalid, not a 500

INVALID_DATE = _("Enter a valid date, such as 15-03-2026.")
INVALID_CHOICE = _("Choose one of the options in the list.")

phone_validator = RegexValidator(
    r"^\+?[0-9][0-9 ()\-]{5,24}$", _("Enter a valid phone number, such as 030 123 45 67.")
)
addition_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9 \-]{0,9}$",
    _("Enter an addition of letters and digits only, such as A or 2-hoog."),
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _date_field(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=DateInput(),
        error_messages={"invalid": INVALID_DATE},
        **kwargs,
    )


class DraftAwareMixin:
    """Save draft: every field optional, formats still checked. Submit: the full rules.

    Fields keep their `required` flag for rendering; only the draft validation lifts it.
    Browsers' own required checks are off (`use_required_attribute`), so "Save draft"
    works without JavaScript and every message comes from the server, next to its field.
    """

    use_required_attribute = False
    fields: dict[str, forms.Field]

    def __init__(self, *args: Any, submitting: bool = False, **kwargs: Any) -> None:
        self.submitting = submitting
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]

    def full_clean(self) -> None:
        if self.submitting:
            super().full_clean()  # type: ignore[misc]
            return
        required = {name: field.required for name, field in self.fields.items()}
        for field in self.fields.values():
            field.required = False
        try:
            super().full_clean()  # type: ignore[misc]
        finally:
            for name, flag in required.items():
                self.fields[name].required = flag


class ReferralForm(DraftAwareMixin, Form):
    organisation = forms.ModelChoiceField(
        label=_("Referring organisation"),
        queryset=Organisation.objects.none(),
        help_text=_("The organisation on whose behalf you refer."),
        error_messages={
            "required": _("Choose the referring organisation."),
            "invalid_choice": _("Choose one of the organisations in the list."),
        },
    )
    contact_name = forms.CharField(
        label=_("Contact person"),
        max_length=200,
        error_messages={"required": _("Enter the name of the contact person.")},
    )
    contact_phone = forms.CharField(
        label=_("Phone number of the contact person"),
        max_length=30,
        required=False,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    contact_email = forms.EmailField(
        label=_("E-mail address of the contact person"),
        required=False,
        max_length=254,
        error_messages={"invalid": _("Enter a valid e-mail address, such as name@example.nl.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    referrer_reference = forms.CharField(
        label=_("Your reference"),
        max_length=50,
        required=False,
        help_text=_(
            "Your organisation's own file number, so you can find this referral back. No names."
        ),
        widget=forms.TextInput(attrs={"size": 20}),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=20,
        help_text=_("For example 1234 AB. The district is filled in from the postcode."),
        error_messages={"required": _("Enter the postcode.")},
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "size": 7}),
    )
    house_number = forms.IntegerField(
        label=_("House number"),
        min_value=1,
        max_value=99_999,
        error_messages={
            "required": _("Enter the house number."),
            "invalid": _("Enter the house number in digits only, such as 12."),
            "min_value": _("Enter the house number in digits only, such as 12."),
            "max_value": _("Enter the house number in digits only, such as 12."),
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 5}),
    )
    house_number_addition = forms.CharField(
        label=_("Addition"),
        max_length=10,
        required=False,
        validators=[addition_validator],
        widget=forms.TextInput(attrs={"size": 5}),
    )
    street = forms.CharField(
        label=_("Street"), max_length=200, error_messages={"required": _("Enter the street.")}
    )
    city = forms.CharField(
        label=_("City"), max_length=100, error_messages={"required": _("Enter the city.")}
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.none(),
        help_text=_("Proposed from the postcode; change it when it is wrong."),
        error_messages={
            "required": _("Choose the district."),
            "invalid_choice": _("Choose one of the districts in the list."),
        },
    )
    housing_type = forms.ChoiceField(
        label=_("Housing type"),
        choices=HousingType.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the housing type."),
            "invalid_choice": INVALID_CHOICE,
        },
    )
    corporation = forms.ModelChoiceField(
        label=_("Owning corporation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Only for corporation rental."),
        error_messages={"invalid_choice": _("Choose one of the corporations in the list.")},
    )
    nuisance_forms = forms.MultipleChoiceField(
        label=_("Forms of nuisance"),
        choices=NuisanceForm.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose every form that applies."),
        error_messages={
            "required": _("Choose at least one form of nuisance."),
            "invalid_choice": INVALID_CHOICE,
        },
    )
    nuisance_since = _date_field(_("Nuisance since"))
    backgrounds = forms.MultipleChoiceField(
        label=_("Suspected background problems"),
        choices=Background.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": INVALID_CHOICE},
    )
    description = forms.CharField(
        label=_("Description of the nuisance"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Describe the nuisance.")},
    )
    actions_taken = forms.CharField(
        label=_("What has already been done"),
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What your organisation and others have done about it so far."),
        error_messages={"required": _("Describe what has already been done.")},
    )
    is_urgent = forms.BooleanField(label=_("This is urgent (escalation)"), required=False)
    urgency_reason = forms.CharField(
        label=_("Reason for urgency"),
        max_length=MAX_TEXT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, max_value=MAX_ID, required=True
    )

    SECTIONS: tuple[tuple[Any, tuple[str, ...]], ...] = (
        (
            _("Referrer"),
            (
                "organisation",
                "contact_name",
                "contact_phone",
                "contact_email",
                "referrer_reference",
            ),
        ),
        (
            _("Address of the home"),
            ("postcode", "house_number", "house_number_addition", "street", "city", "district"),
        ),
        (_("Housing"), ("housing_type", "corporation")),
        (
            _("The nuisance"),
            (
                "nuisance_forms",
                "nuisance_since",
                "backgrounds",
                "description",
                "actions_taken",
            ),
        ),
        (_("Urgency"), ("is_urgent", "urgency_reason")),
    )

    def __init__(self, *args: Any, choose_organisation: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The version is never optional: without it a save could overwrite someone else's.
        self.fields["version"].error_messages["required"] = _(
            "This form is incomplete; reload the page."
        )
        if choose_organisation:
            organisations = Organisation.objects.filter(is_active=True).order_by("name")
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
        else:
            del self.fields["organisation"]
        self.fields["district"].queryset = District.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        ).order_by("name")
        self.fields["corporation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            kind=OrganisationKind.CORPORATION, is_active=True
        ).order_by("name")

    def full_clean(self) -> None:
        # The district may come from the postcode, so its required check waits for clean().
        district = self.fields["district"]
        required, district.required = district.required, False
        try:
            super().full_clean()
        finally:
            district.required = required
        # `version` must be checked in both modes.
        if (
            self.is_bound
            and not self.submitting
            and "version" not in self.cleaned_data
            and "version" not in self.errors
        ):
            self.add_error("version", self.fields["version"].error_messages["required"])

    def sections(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.SECTIONS
        ]

    def clean_postcode(self) -> str:
        value = self.cleaned_data.get("postcode", "")
        if not value:
            return ""
        normalised = postcodes.normalise_postcode(value)
        if normalised is None:
            raise forms.ValidationError(
                _("Enter a valid postcode, such as 1234 AB."), code="invalid"
            )
        return normalised

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("housing_type") != HousingType.CORPORATION:
            data["corporation"] = None
        if not data.get("is_urgent"):
            data["urgency_reason"] = ""
        if data.get("postcode") and "district" in data:
            data["district"] = self._district(data["postcode"], data.get("district"))
        if self.submitting:
            if (
                data.get("housing_type") == HousingType.CORPORATION
                and not data.get("corporation")
                and "corporation" not in self.errors
            ):
                self.add_error("corporation", _("Choose the corporation that owns the home."))
            if "district" not in self.errors and not data.get("district"):
                self.add_error("district", self.fields["district"].error_messages["required"])
            if data.get("is_urgent") and not data.get("urgency_reason", "").strip():
                self.add_error("urgency_reason", _("Give the reason why this is urgent."))
        return data

    def _district(self, postcode: str, chosen: District | None) -> District | None:
        """Propose the district from the postcode, unless the user chose another one."""
        previous = postcodes.district_for(str(self.initial.get("postcode") or ""))
        postcode_changed = (
            postcodes.normalise_postcode(str(self.initial.get("postcode") or "")) != postcode
        )
        if chosen is None or (postcode_changed and chosen == previous):
            return postcodes.district_for(postcode) or chosen
        return chosen

    def referral_data(self) -> dict[str, Any]:
        names = [
            "contact_name",
            "contact_phone",
            "contact_email",
            "referrer_reference",
            "nuisance_forms",
            "nuisance_since",
            "backgrounds",
            "description",
            "actions_taken",
            "is_urgent",
            "urgency_reason",
        ]
        data = {name: self.cleaned_data.get(name) for name in names}
        for name in ("nuisance_forms", "backgrounds"):
            data[name] = list(data[name] or [])
        for name, value in data.items():
            if value is None and name not in ("nuisance_since",):
                data[name] = "" if name != "is_urgent" else False
        if self.cleaned_data.get("organisation") is not None:
            data["organisation"] = self.cleaned_data["organisation"]
        return data

    def case_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "postcode": data.get("postcode") or "",
            "house_number": data.get("house_number"),
            "house_number_addition": (data.get("house_number_addition") or "").strip(),
            "street": data.get("street") or "",
            "city": data.get("city") or "",
            "district": data.get("district"),
            "housing_type": data.get("housing_type") or "",
            "corporation": data.get("corporation"),
        }


# --- Persons ---------------------------------------------------------------------------


class PersonForm(DraftAwareMixin, Form):
    """One person on the referral; which fields show depends on the role (subclasses)."""

    role: PersonRole
    id = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=MAX_ID)
    first_name = forms.CharField(label=_("First name"), max_length=100, required=False)
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        error_messages={"required": _("Enter the last name.")},
    )

    def has_changed(self) -> bool:
        # A blank row is no person, even with an id left in it.
        return any(name != "id" and self[name].value() for name in self.fields if name != "DELETE")

    def person_data(self) -> dict[str, Any]:
        data: dict[str, Any] = {"role": self.role}
        for name in self.fields:
            if name in ("DELETE",):
                continue
            value = self.cleaned_data.get(name)
            if value is None and name not in ("id", "date_of_birth"):
                value = False if name == "consents_to_contact" else ""
            data[name] = value
        if data.get("id") is None:
            data.pop("id", None)
        return data


class CauserForm(PersonForm):
    role = PersonRole.CAUSER
    date_of_birth = _date_field(_("Date of birth"))


class HouseholdMemberForm(PersonForm):
    role = PersonRole.HOUSEHOLD_MEMBER
    date_of_birth = _date_field(_("Date of birth"))
    notes = forms.CharField(
        label=_("Relation to the causer"),
        max_length=500,
        required=False,
        help_text=_("For example partner, child, lodger."),
    )


class NeighbourForm(PersonForm):
    role = PersonRole.NEIGHBOUR
    phone = forms.CharField(
        label=_("Phone"), max_length=30, required=False, validators=[phone_validator]
    )
    notes = forms.CharField(
        label=_("Address or other details"),
        max_length=500,
        required=False,
    )
    consents_to_contact = forms.BooleanField(
        label=_("Agrees to be contacted by the casemanager"), required=False
    )


class BasePersonFormSet(forms.BaseFormSet):
    """Persons of one role. Blank rows are skipped; "Remove" drops a person from the draft."""

    minimum = 0
    minimum_message: Any = ""

    def __init__(self, *args: Any, submitting: bool = False, **kwargs: Any) -> None:
        self.submitting = submitting
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index: int | None) -> dict[str, Any]:
        return {**super().get_form_kwargs(index), "submitting": self.submitting}

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this person")

    def kept_forms(self) -> list[PersonForm]:
        return [
            form
            for form in self.forms
            if form.has_changed() and not (self.can_delete and self._should_delete_form(form))
        ]

    def clean(self) -> None:
        if any(self.errors):
            return
        if self.submitting and len(self.kept_forms()) < self.minimum:
            raise forms.ValidationError(self.minimum_message, code="too_few")

    def persons(self) -> list[dict[str, Any]]:
        return [form.person_data() for form in self.kept_forms()]  # type: ignore[attr-defined]


MAX_PERSONS = 20  # per role


def _formset(form: type[PersonForm], *, minimum: int = 0, message: Any = "") -> type:
    formset = forms.formset_factory(
        form,
        formset=BasePersonFormSet,
        extra=1,
        can_delete=True,
        can_delete_extra=False,
        max_num=MAX_PERSONS,
        absolute_max=MAX_PERSONS,
        validate_max=True,
    )
    formset.minimum = minimum
    formset.minimum_message = message
    return formset


CauserFormSet = _formset(
    CauserForm, minimum=1, message=_("Enter at least one person who causes the nuisance.")
)
HouseholdFormSet = _formset(HouseholdMemberForm)
NeighbourFormSet = _formset(NeighbourForm)

PERSON_FORMSETS: tuple[tuple[str, type, PersonRole, Any, Any], ...] = (
    (
        "causer",
        CauserFormSet,
        PersonRole.CAUSER,
        _("Causers"),
        _("The person or persons causing the nuisance."),
    ),
    (
        "household",
        HouseholdFormSet,
        PersonRole.HOUSEHOLD_MEMBER,
        _("Household members"),
        _("Others living in the home (optional)."),
    ),
    (
        "neighbour",
        NeighbourFormSet,
        PersonRole.NEIGHBOUR,
        _("Affected neighbours"),
        _("Optional. Only with their consent will the casemanager contact them."),
    ),
)
