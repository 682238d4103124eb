"""Forms of the data-subject request pages. Validation only; the services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Document, Person
from woonoverlast.forms import Form

from .models import RequestKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text(label: Any, *, required: bool = False, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        **kwargs,
    )


class PersonSearchForm(Form):
    """Find the person a request is about: last name, and date of birth or case number."""

    last_name = forms.CharField(label=_("Last name"), max_length=150)
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DATE)
    case_number = forms.CharField(label=_("Case number"), required=False, max_length=20)


class RequestForm(Form):
    person = forms.ModelChoiceField(
        queryset=Person.objects.filter(erased_at__isnull=True), widget=forms.HiddenInput
    )
    kind = forms.ChoiceField(
        label=_("Kind of request"), choices=RequestKind.choices, widget=forms.RadioSelect
    )
    received_on = forms.DateField(label=_("Received on"), widget=DATE)
    requester_name = forms.CharField(
        label=_("Requested by (if not the person)"),
        required=False,
        max_length=200,
        help_text=_("For example a legal representative. Leave empty when the person asked."),
    )
    requester_contact = forms.CharField(
        label=_("Contact details for the answer"), required=False, max_length=300
    )
    notes = _text(_("Notes"))

    def clean_received_on(self) -> Any:
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day


class ExtendForm(Form):
    reason = _text(
        _("Reason for the extension"),
        required=True,
        help_text=_("The person must be told the reason within the first month."),
    )

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"]
        if not reason.strip():
            raise forms.ValidationError(_("Give the reason for the extension."))
        return reason


COMPLETE, REFUSE, ERASE, RESTRICT = "complete", "refuse", "erase", "restrict"


class _DocumentsField(forms.ModelMultipleChoiceField):
    """The case's documents, shown by their title."""

    def label_from_instance(self, obj: Model) -> str:
        return obj.title if isinstance(obj, Document) else str(obj)


class DecisionForm(Form):
    """How the request ends. The choices depend on its kind."""

    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect, choices=[])
    reason = _text(
        _("Reason"),
        help_text=_("Required to refuse, erase or restrict. Do not write the person's name."),
    )
    rectification = _text(
        _("What was rectified"),
        help_text=_("For a rectification: which data was corrected, and where."),
    )
    documents = _DocumentsField(
        label=_("Documents about the person to delete"),
        queryset=Document.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, request: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        choices = {
            RequestKind.ERASURE: [(ERASE, _("Erase the person")), (REFUSE, _("Refuse"))],
            RequestKind.RESTRICTION: [
                (RESTRICT, _("Restrict processing")),
                (REFUSE, _("Refuse")),
            ],
        }.get(request.kind, [(COMPLETE, _("Completed")), (REFUSE, _("Refuse"))])
        decision = self.fields["decision"]
        assert isinstance(decision, forms.ChoiceField)
        decision.choices = choices
        if request.kind == RequestKind.ERASURE:
            documents = self.fields["documents"]
            assert isinstance(documents, _DocumentsField)
            documents.queryset = Document.objects.filter(case_id=request.person.case_id).exclude(
                file=""
            )
        else:
            del self.fields["documents"]
        if request.kind != RequestKind.RECTIFICATION:
            del self.fields["rectification"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decision = data.get("decision")
        if decision in (REFUSE, ERASE, RESTRICT) and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for this decision."))
        if (
            decision == COMPLETE
            and self.request.kind == RequestKind.RECTIFICATION
            and not (data.get("rectification") or "").strip()
        ):
            self.add_error("rectification", _("Describe what was rectified."))
        return data
