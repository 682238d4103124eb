"""The lawful-basis fields every form for a shared item carries (journal, documents, screening).

The form asks what kind of data the item holds and offers the bases from the privacy
officer's catalogue that the author's organisation kind may use; there is no default basis (a
covenant is no legal basis, AVG art. 6(3)). A basis that does not cover the kind of data is
refused next to the field. Consent needs the date it was given, a conflict of duties its
documented motivation; nothing typed is lost on an error.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from woonoverlast.forms import Form

from ..choices import DataCategory
from ..models import LawfulBasis


class BasisChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: LawfulBasis) -> str:
        return str(obj)


def bases_for(organisation_kind: str) -> Any:
    """The active bases an organisation of this kind may use."""
    return LawfulBasis.objects.filter(
        is_active=True, organisation_kinds__contains=[organisation_kind]
    ).order_by("label")


class LawfulBasisFormMixin(Form):
    """Needs `organisation_kind` (the author's organisation) as keyword argument."""

    data_category = forms.ChoiceField(
        label=_("Kind of data"),
        choices=DataCategory.choices,
        initial=DataCategory.ORDINARY,
        widget=forms.RadioSelect,
        help_text=_("Health data and criminal data need a basis of their own."),
    )
    lawful_basis = BasisChoiceField(
        label=_("Lawful basis for sharing"),
        queryset=LawfulBasis.objects.none(),  # replaced in __init__
        widget=forms.RadioSelect,
        empty_label=None,
        help_text=_("The law on which your organisation shares this."),
        error_messages={"required": _("Choose the lawful basis on which you share this.")},
    )
    consent_date = forms.DateField(
        label=_("Date of consent"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Required when the person's explicit consent is the basis."),
    )
    basis_motivation = forms.CharField(
        label=_("Motivation"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required for a conflict of duties: why professional secrecy is broken here."),
    )

    def __init__(self, *args: Any, organisation_kind: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation_kind = organisation_kind
        self._basis_field().queryset = bases_for(organisation_kind)

    def _basis_field(self) -> forms.ModelChoiceField[LawfulBasis]:
        field = self.fields["lawful_basis"]
        assert isinstance(field, forms.ModelChoiceField)
        return field

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        basis: LawfulBasis | None = data.get("lawful_basis")
        category = data.get("data_category")
        if basis is None:
            return data
        if category and category not in basis.data_categories:
            self.add_error(
                "lawful_basis",
                _(
                    "This basis does not cover %(category)s. Choose a basis that fits the "
                    "kind of data, or check the kind of data."
                )
                % {"category": str(DataCategory(category).label).lower()},
            )
        if basis.requires_consent_date:
            day = data.get("consent_date")
            if day is None and "consent_date" not in self.errors:
                self.add_error(
                    "consent_date", _("Enter the date on which the person gave consent.")
                )
            elif day is not None and day > timezone.localdate():
                self.add_error("consent_date", _("The date of consent cannot be in the future."))
        else:
            data["consent_date"] = None
        if basis.requires_motivation and not (data.get("basis_motivation") or "").strip():
            self.add_error(
                "basis_motivation",
                _("Document why this basis applies (e.g. the conflict of duties)."),
            )
        return data

    def lawful_basis_data(self) -> dict[str, Any]:
        return {
            "lawful_basis": self.cleaned_data["lawful_basis"],
            "data_category": self.cleaned_data["data_category"],
            "consent_date": self.cleaned_data.get("consent_date"),
            "basis_motivation": self.cleaned_data.get("basis_motivation") or "",
        }


class PoliceBasisFormMixin(LawfulBasisFormMixin):
    """The police screening: police data shared under the Wpg by the police's own decision.
    Only the bases for police data are offered; the kind of data is not asked."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["data_category"]
        offered = self._basis_field().queryset
        bases = (offered if offered is not None else LawfulBasis.objects.none()).filter(
            data_categories__contains=[DataCategory.POLICE]
        )
        self._basis_field().queryset = bases
        if len(bases) == 1 and not self.is_bound:
            self.initial.setdefault("lawful_basis", bases[0].pk)

    def clean(self) -> dict[str, Any]:
        self.cleaned_data["data_category"] = DataCategory.POLICE
        return super().clean()
