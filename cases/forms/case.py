"""Forms of the case list and case page. Validation only; the services do the writing."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deadlines.domain import DeadlineState
from partners.choices import OrganisationKind
from partners.models import District, Network, Organisation
from woonoverlast.forms import Form, ModelForm

from .. import documents, postcodes, selectors
from ..choices import CaseStatus, Confidentiality, JournalKind
from ..models import Case
from .lawful_basis import LawfulBasisFormMixin

LIST_STATUSES = [
    (value, label)
    for value, label in CaseStatus.choices
    if value not in (CaseStatus.DRAFT, CaseStatus.ATTACHED)
]


class CaseFilterForm(Form):
    """The filters above the case list (GET). Invalid values are ignored, never an error page."""

    # Two characters at least: one letter matches nearly every case, and the search reads
    # the ids of all its matches once (issue 15: 100,000 at national scale).
    q = forms.CharField(
        label=_("Search"),
        required=False,
        min_length=2,
        max_length=100,
        error_messages={"min_length": _("Type at least 2 characters to search.")},
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All"))] + LIST_STATUSES
    )
    network = forms.ModelChoiceField(
        label=_("Network"),
        required=False,
        queryset=Network.objects.filter(is_active=True),
        empty_label=_("All"),
    )
    casemanager = forms.ModelChoiceField(
        label=_("Casemanager"),
        required=False,
        queryset=selectors.case_list_casemanagers(),
        empty_label=_("All"),
    )
    unassigned = forms.BooleanField(label=_("Without casemanager"), required=False)
    deadline = forms.ChoiceField(
        label=_("Intake deadline"),
        required=False,
        choices=[
            ("", _("All")),
            (DeadlineState.OVERDUE.value, _("Overdue")),
            (DeadlineState.DUE_SOON.value, _("Due soon")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].help_text = _("Case number, name or address")
        self.fields["casemanager"].label_from_instance = lambda u: u.get_full_name() or u.email

    def filters(self) -> dict[str, Any]:
        """The valid filters as keyword arguments for `selectors.case_list_filtered`."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "query": data.get("q") or "",
            "status": data.get("status") or "",
            "network": data.get("network"),
            "casemanager": data.get("casemanager"),
            "unassigned": bool(data.get("unassigned")),
            "deadline": data.get("deadline") or "",
        }


class ContributionForm(LawfulBasisFormMixin, Form):
    """Shared by journal entries and documents: who may read it and on what basis it is
    shared."""

    confidentiality = forms.ChoiceField(
        label=_("Who may read this"),
        choices=Confidentiality.choices,
        # Privacy by default (AVG art. 25(2)): the most restricted level; the author widens it.
        initial=Confidentiality.CASE_TEAM,
        widget=forms.RadioSelect,
        help_text=_(
            "A new entry is for the casemanager and coordinator only, unless you choose to "
            "share it."
        ),
    )
    visible_to = forms.ModelMultipleChoiceField(
        label=_("Named organisations"),
        required=False,
        queryset=Case.objects.none(),  # replaced in __init__: the involved organisations
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only for “named organisations”: pick among the involved organisations."),
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case = case
        self.fields["visible_to"].queryset = selectors.involved_organisations(case=case)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("confidentiality") == Confidentiality.NAMED_ORGANISATIONS:
            if not data.get("visible_to"):
                self.add_error(
                    "visible_to", _("Pick at least one organisation that may read this.")
                )
        else:
            data["visible_to"] = []
        return data


class JournalEntryForm(ContributionForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=JournalKind.choices)
    occurred_on = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    participants = forms.CharField(label=_("Participants"), required=False, max_length=500)
    text = forms.CharField(label=_("Text"), max_length=20000, widget=forms.Textarea)

    field_order = [
        "kind",
        "occurred_on",
        "participants",
        "text",
        "confidentiality",
        "visible_to",
        "data_category",
        "lawful_basis",
        "consent_date",
        "basis_motivation",
    ]

    def clean_occurred_on(self) -> Any:
        day = self.cleaned_data["occurred_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day

    def clean_text(self) -> str:
        text = self.cleaned_data["text"]
        if not text.strip():
            raise forms.ValidationError(_("This field is required."))
        return text


class DocumentForm(ContributionForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, PNG, JPEG or an Office document (docx, xlsx, pptx, doc, xls, odt)."),
    )

    field_order = [
        "title",
        "file",
        "confidentiality",
        "visible_to",
        "data_category",
        "lawful_basis",
        "consent_date",
        "basis_motivation",
    ]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = documents.clean_original_name(upload.name or "")
        self.detected = documents.validate_upload(upload, name, upload.size)
        return upload


class InvolvementForm(Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Case.objects.none())

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = selectors.involvement_candidates(case=case)


class SensitiveShareForm(Form):
    """Share (or take back) the referral's sensitive details with one involved organisation."""

    organisation = forms.ModelChoiceField(
        label=_("Share with"), queryset=Case.objects.none(), empty_label=None
    )
    action = forms.ChoiceField(
        choices=[("share", "share"), ("unshare", "unshare")], widget=forms.HiddenInput
    )

    def __init__(self, *args: Any, case: Case, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = selectors.involved_organisations(case=case)


class InvolvementEndForm(Form):
    """Ending an organisation's involvement: a reason, and an explicit confirmation."""

    reason = forms.CharField(
        label=_("Why does the involvement end?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept on the case, with your name and the date."),
    )
    confirm = forms.BooleanField(
        label=_(
            "I understand that the organisation's representatives can no longer see this case."
        ),
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"]
        if not reason.strip():
            raise forms.ValidationError(_("Give the reason the involvement ends."))
        return reason


class TransitionForm(Form):
    to = forms.ChoiceField(choices=CaseStatus.choices, widget=forms.HiddenInput)
    motivation = forms.CharField(
        label=_("Motivation"), required=False, max_length=5000, widget=forms.Textarea
    )
    # A step that ends the case (closing) is confirmed in its own form: no JavaScript needed.
    confirm = forms.BooleanField(required=False)


class CaseDetailsForm(ModelForm):
    """Corrections to the address and housing by the case team; carries `version`."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)

    class Meta:
        model = Case
        fields = [
            "postcode",
            "house_number",
            "house_number_addition",
            "street",
            "city",
            "district",
            "network",
            "housing_type",
            "corporation",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:

        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.all()
        self.fields["network"].queryset = Network.objects.filter(is_active=True)
        self.fields["corporation"].queryset = Organisation.objects.filter(
            is_active=True, kind=OrganisationKind.CORPORATION
        )
        self.fields["house_number"].validators.append(MaxValueValidator(99999))
        if not self.is_bound:
            self.initial["version"] = self.instance.version

    def clean_postcode(self) -> str:

        value = self.cleaned_data.get("postcode", "")
        if not value:
            return ""
        normalised = postcodes.normalise_postcode(value)
        if normalised is None:
            raise forms.ValidationError(_("Enter a valid postcode, such as 1234 AB."))
        return normalised

    def _post_clean(self) -> None:
        # The service writes; the form does not touch the instance (no model validation of a
        # half-applied instance, no accidental save).
        pass

    def changes(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
