"""Forms of the administration pages. They validate input; writes go through services.

ModelForms are used for their field definitions and uniqueness checks only: views pass
`cleaned_data` to `partners.services` and never call `form.save()`.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from woonoverlast.forms import Form, ModelForm

from . import selectors
from .choices import RepresentativeKind, Role
from .models import Covenant, District, Network, Organisation, User


class OrganisationForm(ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "short_name", "kind", "on_call_only", "obligations"]
        widgets = {"obligations": forms.Textarea(attrs={"rows": 12})}


class UserForm(ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("Roles"),
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("A person may hold several roles."),
        error_messages={"required": _("Choose at least one role.")},
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "organisation", "job_title", "phone"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = selectors.organisation_choices()
        if self.instance.pk and self.instance.organisation_id:
            # Keep a deactivated organisation selectable for its existing users.
            organisations = (
                organisations | Organisation.objects.filter(pk=self.instance.organisation_id)
            ).distinct()
        organisation = self.fields["organisation"]
        organisation.queryset = organisations  # type: ignore[attr-defined]
        organisation.required = True
        for name in ("first_name", "last_name"):
            self.fields[name].required = True
        if self.instance.pk and not self.is_bound:
            self.initial["roles"] = [role.value for role in self.instance.roles]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        duplicate = User.objects.filter(email__iexact=email).exclude(pk=self.instance.pk)
        if duplicate.exists():
            raise forms.ValidationError(_("A user with this e-mail address already exists."))
        return email


class UserSearchForm(Form):
    STATUS_CHOICES = [
        ("active", _("Active")),
        ("inactive", _("Deactivated")),
        ("all", _("All")),
    ]

    q = forms.CharField(label=_("Name or e-mail address"), required=False, max_length=100)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        empty_label=_("All organisations"),
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for `selectors.user_list`; invalid input filters nothing."""
        if not self.is_valid():
            return {"active": True}
        status = self.cleaned_data.get("status") or "active"
        return {
            "search": self.cleaned_data.get("q") or "",
            "organisation": self.cleaned_data.get("organisation"),
            "active": {"active": True, "inactive": False}.get(status),
        }


class DistrictForm(ModelForm):
    class Meta:
        model = District
        fields = ["name"]


class NetworkForm(ModelForm):
    class Meta:
        model = Network
        fields = ["name", "districts"]
        widgets = {"districts": forms.CheckboxSelectMultiple}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        districts = selectors.district_choices()
        if self.instance.pk:
            districts = (districts | self.instance.districts.all()).distinct()
        self.fields["districts"].queryset = districts.order_by("name")  # type: ignore[attr-defined]


class _RepresentativeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.get_full_name() or obj.email} – {obj.organisation}"


class NetworkRepresentativeForm(Form):
    user = _RepresentativeChoiceField(label=_("Person"), queryset=User.objects.none())
    kind = forms.ChoiceField(
        label=_("Kind"), choices=RepresentativeKind.choices, initial=RepresentativeKind.STANDING
    )

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = selectors.representative_candidates(network=network)  # type: ignore[attr-defined]


class CovenantForm(ModelForm):
    class Meta:
        model = Covenant
        fields = [
            "title",
            "signed_on",
            "starts_on",
            "first_term_ends_on",
            "renews_tacitly",
            "notice_months",
            "is_active",
            "general_obligations",
            "parties",
        ]
        widgets = {
            "signed_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "first_term_ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "general_obligations": forms.Textarea(attrs={"rows": 12}),
            "parties": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parties"].queryset = Organisation.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["notice_months"].validators.append(_at_most_twelve)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts_on = cleaned.get("starts_on")
        first_term_ends_on = cleaned.get("first_term_ends_on")
        if starts_on and first_term_ends_on and first_term_ends_on < starts_on:
            self.add_error(
                "first_term_ends_on",
                _("The first term cannot end before the covenant starts."),
            )
        return cleaned


def _at_most_twelve(value: int) -> None:
    if value > 12:
        raise forms.ValidationError(_("The notice period is at most 12 months."))
