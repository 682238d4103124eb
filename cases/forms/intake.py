"""Forms of the intake (coordinator) and of the partners' request inbox.

Forms only validate input; the views hand the cleaned data to `cases/services.py`.
Django's CharField already refuses NUL characters (PostgreSQL cannot store them).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.choices import (
    ConsentDecision,
    KrisResult,
    RecidivismDecision,
    RedirectTarget,
    RiskLevel,
)
from cases.models import Case, Criterion
from partners.models import User
from woonoverlast.forms import Form

from .lawful_basis import PoliceBasisFormMixin

MET, NOT_MET = "met", "not_met"
MOTIVATION_MAX = 5000
YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _yes(value: str) -> bool:
    return value == "yes"


def _text(label: Any, *, required: bool = True, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=MOTIVATION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        **kwargs,
    )


class CasemanagerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        name = obj.get_full_name() or obj.email
        return str(
            _("%(name)s (open cases: %(count)s)") % {"name": name, "count": obj.open_cases}  # type: ignore[attr-defined]
        )


class AssignCasemanagerForm(Form):
    casemanager = CasemanagerChoiceField(queryset=User.objects.none(), label=_("Casemanager"))

    def __init__(self, *args: Any, casemanagers: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["casemanager"].queryset = casemanagers  # type: ignore[attr-defined]


class CriteriaForm(Form):
    """Per active criterion: met / not met (a radio group) and a required motivation."""

    def __init__(
        self,
        *args: Any,
        criteria: list[Criterion],
        initial_answers: dict[int, tuple[bool, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        initial_answers = initial_answers or {}
        for criterion in criteria:
            met, motivation = initial_answers.get(criterion.number, (None, ""))
            self.fields[f"met_{criterion.number}"] = forms.ChoiceField(
                label=_("Criterion %(number)s: %(text)s")
                % {"number": criterion.number, "text": criterion.text},
                choices=[(MET, _("Met")), (NOT_MET, _("Not met"))],
                widget=forms.RadioSelect,
                initial=None if met is None else (MET if met else NOT_MET),
            )
            self.fields[f"motivation_{criterion.number}"] = _text(
                _("Motivation for criterion %(number)s") % {"number": criterion.number},
                initial=motivation,
            )

    def answers(self) -> dict[int, tuple[bool, str]]:
        return {
            c.number: (
                self.cleaned_data[f"met_{c.number}"] == MET,
                self.cleaned_data[f"motivation_{c.number}"],
            )
            for c in self.criteria
        }


class OverrideForm(Form):
    override = forms.BooleanField(
        label=_(
            "Special situation (e.g. acute escalation): accept although not all criteria are met"
        ),
        required=False,
        help_text=_(
            "Departs from the criteria only: a corporation home still needs the "
            "corporation's consent first."
        ),
    )
    motivation = _text(_("Motivation of the special situation"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("override") and not (data.get("motivation") or "").strip():
            self.add_error("motivation", _("Give the motivation for the special situation."))
        return data


class KrisForm(Form):
    result = forms.ChoiceField(
        label=_("Result of the KRIS check"), choices=KrisResult.choices, widget=forms.RadioSelect
    )
    trajectory_manager_name = forms.CharField(
        label=_("Trajectory manager"),
        required=False,
        max_length=200,
        help_text=_("Required when known in KRIS."),
    )
    trajectory_manager_organisation = forms.CharField(
        label=_("Organisation of the trajectory manager"),
        required=False,
        max_length=200,
        help_text=_("Required when known in KRIS."),
    )
    trajectory_manager_contacted_on = forms.DateField(
        label=_("Trajectory manager contacted on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Required when known in KRIS."),
    )
    plans_aligned = forms.TypedChoiceField(
        label=_("Plans aligned with the trajectory manager"),
        choices=YES_NO,
        coerce=_yes,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Required when known in KRIS."),
    )
    target_group_outcome = _text(
        _("Outcome of the public-mental-health target-group check"),
        required=False,
        help_text=_("Required when unknown in KRIS."),
    )
    registered_with_altrecht = forms.TypedChoiceField(
        label=_("Client registered with Altrecht"),
        choices=YES_NO,
        coerce=_yes,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("Required when unknown in KRIS."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        result = data.get("result")
        if result == KrisResult.KNOWN:
            for name in ("trajectory_manager_name", "trajectory_manager_organisation"):
                if not (data.get(name) or "").strip():
                    self.add_error(name, _("Required when the person is known in KRIS."))
            contacted = data.get("trajectory_manager_contacted_on")
            if contacted is None:
                if "trajectory_manager_contacted_on" not in self.errors:
                    self.add_error(
                        "trajectory_manager_contacted_on",
                        _("Give the date the trajectory manager was contacted."),
                    )
            elif contacted > timezone.localdate():
                self.add_error(
                    "trajectory_manager_contacted_on", _("The date cannot be in the future.")
                )
            if data.get("plans_aligned") is None:
                self.add_error("plans_aligned", _("Say whether the plans were aligned."))
        elif result == KrisResult.UNKNOWN:
            if not (data.get("target_group_outcome") or "").strip():
                self.add_error(
                    "target_group_outcome", _("Required when the person is unknown in KRIS.")
                )
            if data.get("registered_with_altrecht") is None:
                self.add_error(
                    "registered_with_altrecht",
                    _("Say whether the client was registered with Altrecht."),
                )
        return data

    def kris_data(self) -> dict[str, Any]:
        """The cleaned data as `services.kris_record` takes it."""
        data = dict(self.cleaned_data)
        data["registered_with_altrecht"] = bool(data.get("registered_with_altrecht"))
        return data


class ScreeningWaiverForm(Form):
    reason = _text(_("Reason to waive the police screening"))

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"]
        if not reason.strip():
            raise forms.ValidationError(_("Give the reason to waive the police screening."))
        return reason


class RecidivismForm(Form):
    """Confirm or reject a possible repeat found on the address alone."""

    decision = forms.ChoiceField(
        label=_("Is this the same household?"),
        choices=RecidivismDecision.choices,
        widget=forms.RadioSelect,
    )
    reason = _text(_("Reason"))

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"]
        if not reason.strip():
            raise forms.ValidationError(_("Give the reason for your decision."))
        return reason


class AttachForm(Form):
    target = forms.ModelChoiceField(
        queryset=Case.objects.none(),
        label=_("Open case to attach this referral to"),
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, duplicates: QuerySet[Case], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["target"]
        field.queryset = duplicates  # type: ignore[attr-defined]
        field.label_from_instance = lambda case: str(case.number)  # type: ignore[attr-defined]


class AcceptForm(Form):
    motivation = _text(_("Motivation of the acceptance"), required=False)


class RedirectForm(Form):
    target = forms.ChoiceField(
        label=_("Redirect to"), choices=RedirectTarget.choices, widget=forms.RadioSelect
    )
    reason = _text(_("Reason for the redirection"))

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"]
        if not reason.strip():
            raise forms.ValidationError(_("Give the reason for the redirection."))
        return reason


class ConsentAnswerForm(Form):
    decision = forms.ChoiceField(
        label=_("Answer of the corporation"),
        choices=ConsentDecision.choices,
        widget=forms.RadioSelect,
    )
    reason = _text(_("Reason"), required=False, help_text=_("Required when you refuse consent."))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("decision") == ConsentDecision.REFUSAL
            and not (data.get("reason") or "").strip()
        ):
            self.add_error("reason", _("Give the reason for the refusal."))
        return data


class ScreeningRecordForm(PoliceBasisFormMixin, Form):
    risk_level = forms.ChoiceField(
        label=_("Risk level"), choices=RiskLevel.choices, widget=forms.RadioSelect
    )
    safety_advice = _text(
        _("Safety advice"),
        help_text=_(
            "Shared with the case team and the involved partners, "
            "e.g. home visits only in pairs or with the police."
        ),
    )
    details = _text(
        _("Screening details"),
        required=False,
        help_text=_("Visible only to the police, the casemanager and the coordinator."),
    )

    field_order = [
        "risk_level",
        "safety_advice",
        "details",
        "lawful_basis",
        "consent_date",
        "basis_motivation",
    ]
