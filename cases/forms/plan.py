"""Forms of the plan of approach, actions, evaluations, aftercare, material support and
relocation. They validate (with the rules of `cases/domain/plan.py`, so the message stands
next to the field); the views hand `cleaned_data` (or the helpers below) to
`cases/services/plan.py`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.choices import OrganisationKind, Role
from partners.models import Organisation, User
from woonoverlast.forms import Form

from ..choices_plan import (
    ActionStatus,
    ComplaintSource,
    CovenantElement,
    EarlyEndReason,
    EvaluationKind,
    FollowUp,
    GoalResult,
    HousingOutcome,
    LeadTrajectory,
    NuisanceOrigin,
    NuisanceOutcome,
    PassedOnDestination,
    RelocatedPerson,
)
from ..domain import plan as rules
from ..models import Goal, LifeDomain, Person
from .lawful_basis import PoliceBasisFormMixin
from .persons import PersonOfOrganisationField, limit_person_to_organisation

TEXT_MAX = 5000
NOTE_MAX = 500


def _text(label: Any, *, required: bool = True, rows: int = 3, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


def _date(label: Any, *, required: bool = True, **kwargs: Any) -> forms.DateField:
    # ISO in the value: a browser's date input drops a localised date ("02-04-2027"), so a
    # form opened to change a goal or the aftercare plan lost its dates.
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        **kwargs,
    )


def _organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(is_active=True).order_by("name")


# --- The life-domain matrix ---------------------------------------------------------------


class LifeDomainForm(Form):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name = forms.CharField(label=_("Name"), max_length=100)
    description = _text(_("Description"), required=False)
    order = forms.IntegerField(label=_("Order"), min_value=0, max_value=1000, initial=0)
    is_special_category = forms.BooleanField(
        label=_("Special-category data (health, addiction, justice)"),
        required=False,
        help_text=_("Scores are shown only to the case team and organisations named for it."),
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)


# --- Investigation -------------------------------------------------------------------------


class InvestigationForm(Form):
    causer_heard_on = _date(_("Causer heard on"), required=False)
    neighbours_heard_on = _date(_("Neighbours heard on"), required=False)
    nuisance_origin = forms.ChoiceField(
        label=_("The nuisance comes from"),
        choices=NuisanceOrigin.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Deliberate nuisance (willens en wetens) makes eviction an acceptable outcome; "
            "otherwise the approach aims to solve the nuisance in the current home."
        ),
    )
    origin_motivation = _text(_("Motivation"), required=False)
    lead_trajectory = forms.ChoiceField(
        label=_("Leading trajectory"), choices=LeadTrajectory.choices
    )
    care_worker_name = forms.CharField(
        label=_("Care worker or trajectory manager"), max_length=200, required=False
    )
    care_worker_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label=_("Organisation of the care worker"),
        required=False,
    )
    plans_aligned = forms.NullBooleanField(
        label=_("Plans aligned with the care worker"),
        required=False,
        widget=forms.Select(
            choices=[("unknown", _("Not yet")), ("true", _("Yes")), ("false", _("No"))]
        ),
    )
    alignment_note = _text(_("Alignment"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["care_worker_organisation"].queryset = _organisations()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        for name in ("causer_heard_on", "neighbours_heard_on"):
            day = data.get(name)
            if day and day > today:
                self.add_error(name, _("This date is in the future."))
        if (
            data.get("nuisance_origin") == NuisanceOrigin.DELIBERATE
            and not data.get("origin_motivation", "").strip()
        ):
            self.add_error("origin_motivation", _("Motivate why the nuisance is deliberate."))
        return data


# --- Plan and goals ------------------------------------------------------------------------


class PlanForm(Form):
    summary = _text(_("Summary of the situation"), required=False, rows=6)
    evaluation_interval_months = forms.IntegerField(
        label=_("Evaluate every (months)"), min_value=1, max_value=12, initial=3
    )
    # The plan's version when the form was loaded (optimistic locking; none when starting).
    version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=2**31 - 1
    )


class GoalForm(Form):
    """A SMART goal. Every part is required with its own message (domain.plan.SMART_PARTS)."""

    specific = _text(_("What will change (specific)"), required=False)
    indicator = _text(_("Indicator (measurable)"), required=False, rows=2)
    target = forms.CharField(label=_("Target value"), max_length=200, required=False)
    agreed_partners = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        label=_("Partners who agreed (acceptable)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    feasibility = _text(_("Why it is feasible (realistic)"), required=False, rows=2)
    target_date = _date(_("Target date (time-bound)"), required=False)
    life_domains = forms.ModelMultipleChoiceField(
        queryset=LifeDomain.objects.none(),
        label=_("Life domains"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    covenant_elements = forms.MultipleChoiceField(
        label=_("Elements of the covenant"),
        choices=CovenantElement.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # The goal's version when the form was loaded (optimistic locking; none when adding).
    version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1, max_value=2**31 - 1
    )

    def __init__(
        self, *args: Any, organisations: QuerySet[Organisation] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["agreed_partners"].queryset = (  # type: ignore[attr-defined]
            organisations if organisations is not None else _organisations()
        )
        self.fields["life_domains"].queryset = LifeDomain.objects.filter(is_active=True)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name, message in rules.smart_problems(data).items():
            if name not in self.errors:
                self.add_error(name, message)
        return data

    @classmethod
    def initial_for(cls, goal: Goal) -> dict[str, Any]:
        return {
            "specific": goal.specific,
            "indicator": goal.indicator,
            "target": goal.target,
            "agreed_partners": list(goal.agreed_partners.all()),
            "feasibility": goal.feasibility,
            "target_date": goal.target_date,
            "life_domains": list(goal.life_domains.all()),
            "covenant_elements": list(goal.covenant_elements),
            "version": goal.version,
        }


class LifeDomainScoresForm(Form):
    """Per active domain a score 1–5 (radio) and a short note."""

    SCORES = [
        (1, _("1 – acute problems")),
        (2, _("2 – not self-reliant")),
        (3, _("3 – barely self-reliant")),
        (4, _("4 – sufficiently self-reliant")),
        (5, _("5 – fully self-reliant")),
    ]

    def __init__(
        self,
        *args: Any,
        domains: list[LifeDomain],
        initial_scores: dict[int, tuple[int, str]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.domains = domains
        initial_scores = initial_scores or {}
        for domain in domains:
            score, note = initial_scores.get(domain.pk, (None, ""))
            self.fields[f"score_{domain.pk}"] = forms.TypedChoiceField(
                label=domain.name,
                choices=self.SCORES,
                coerce=int,
                widget=forms.RadioSelect,
                initial=score,
                error_messages={"required": _("Score this life domain.")},
            )
            self.fields[f"note_{domain.pk}"] = forms.CharField(
                label=_("Note on %(domain)s") % {"domain": domain.name},
                max_length=NOTE_MAX,
                required=False,
                initial=note,
            )

    def scores(self) -> dict[int, tuple[int, str]]:
        """domain pk → (score, note), for `life_domains_assess` / `evaluation_record`."""
        return {
            d.pk: (self.cleaned_data[f"score_{d.pk}"], self.cleaned_data.get(f"note_{d.pk}", ""))
            for d in self.domains
        }


# --- Actions -------------------------------------------------------------------------------


class ActionForm(Form):
    description = _text(_("What is to be done"))
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Assigned to organisation")
    )
    assignee = PersonOfOrganisationField(label=_("Assigned to person (optional)"))
    due_on = _date(_("Due date"))
    life_domain = forms.ModelChoiceField(
        queryset=LifeDomain.objects.none(), label=_("Life domain"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _organisations()  # type: ignore[attr-defined]
        limit_person_to_organisation(self, person="assignee")
        self.fields["life_domain"].queryset = LifeDomain.objects.filter(is_active=True)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "due_on" in data:
            for name, message in rules.action_due_problems(
                due_on=data["due_on"], today=timezone.localdate()
            ).items():
                self.add_error(name, message)
        assignee, organisation = data.get("assignee"), data.get("organisation")
        if assignee and organisation and assignee.organisation_id != organisation.pk:
            self.add_error("assignee", _("The person must belong to the organisation."))
        return data


class ActionCompleteForm(Form):
    note = _text(_("Completion note"), required=False)


class ActionCancelForm(Form):
    reason = _text(
        _("Reason for cancelling"),
        error_messages={"required": _("Give the reason for cancelling the action.")},
    )


class MyActionsFilterForm(Form):
    """The filters of "my actions" (GET): case, due before, status."""

    case = forms.TypedChoiceField(label=_("Case"), required=False, coerce=int, empty_value=None)
    due_before = _date(_("Due on or before"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            (ActionStatus.OPEN, ActionStatus.OPEN.label),
            *[(s.value, s.label) for s in ActionStatus if s != ActionStatus.OPEN],
            ("all", _("All")),
        ],
    )

    def __init__(self, *args: Any, cases: Iterable[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [("", _("All cases")), *cases]  # type: ignore[attr-defined]

    @classmethod
    def chosen_status(cls, data: Any) -> str | None:
        """The status the filters ask for (None: every status), read before the form is
        built, as `filters` reads it: open unless a valid other one or "all" is given."""
        status = data.get("status") or ActionStatus.OPEN
        if status == "all":
            return None
        return status if status in ActionStatus.values else ActionStatus.OPEN

    def filters(self) -> dict[str, Any]:
        """Keyword arguments for `selectors.plan.my_actions` (defaults when invalid)."""
        if not self.is_valid():
            return {"status": ActionStatus.OPEN}
        status = self.cleaned_data.get("status") or ActionStatus.OPEN
        return {
            "case": self.cleaned_data.get("case"),
            "due_before": self.cleaned_data.get("due_before"),
            "status": None if status == "all" else status,
        }


# --- Evaluations ---------------------------------------------------------------------------


class EvaluationForm(Form):
    """An evaluation: per goal of the evaluated plan a result and a note; for the final one
    the outcome (checked with domain.plan.final_outcome_problems). The life-domain scores
    are a `LifeDomainScoresForm` beside it."""

    kind = forms.ChoiceField(label=_("Kind"), choices=EvaluationKind.choices)
    held_on = _date(_("Held on"))
    participants = _text(_("Participants"), rows=2)
    notes = _text(_("Notes"), required=False, rows=5)
    adjusts_plan = forms.BooleanField(
        label=_("Adjust the plan (creates a new version)"), required=False
    )
    early_end_reason = forms.ChoiceField(
        label=_("Ended early because"),
        choices=[("", _("The case did not end early")), *EarlyEndReason.choices],
        required=False,
    )
    neighbours_outcome = forms.ChoiceField(
        label=_("Nuisance outcome, judged by the neighbours"),
        choices=[("", "—"), *NuisanceOutcome.choices],
        required=False,
    )
    partners_outcome = forms.ChoiceField(
        label=_("Nuisance outcome, judged by the partners"),
        choices=[("", "—"), *NuisanceOutcome.choices],
        required=False,
    )
    resolved_at_sources = forms.MultipleChoiceField(
        label=_("No substantial complaints left at"),
        choices=ComplaintSource.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    causer_in_care = forms.NullBooleanField(
        label=_("The causer is in care"),
        required=False,
        widget=forms.Select(choices=[("unknown", "—"), ("true", _("Yes")), ("false", _("No"))]),
    )
    housing_outcome = forms.ChoiceField(
        label=_("Housing outcome"), choices=[("", "—"), *HousingOutcome.choices], required=False
    )
    follow_up = forms.ChoiceField(
        label=_("Follow-up"), choices=[("", "—"), *FollowUp.choices], required=False
    )
    passed_on_to = forms.ChoiceField(
        label=_("Passed on to"),
        choices=[("", "—"), *PassedOnDestination.choices],
        required=False,
    )

    FINAL_FIELDS = (
        "early_end_reason",
        "neighbours_outcome",
        "partners_outcome",
        "resolved_at_sources",
        "causer_in_care",
        "housing_outcome",
        "follow_up",
        "passed_on_to",
    )

    def __init__(self, *args: Any, goals: Iterable[Goal] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = list(goals)
        for goal in self.goals:
            self.fields[f"result_{goal.pk}"] = forms.ChoiceField(
                label=goal.specific,
                choices=GoalResult.choices,
                widget=forms.RadioSelect,
                required=False,
            )
            self.fields[f"result_note_{goal.pk}"] = forms.CharField(
                label=_("Note on this goal"), max_length=TEXT_MAX, required=False
            )

    def clean_held_on(self) -> datetime.date:
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("An evaluation is recorded once it has been held."))
        return held_on

    def is_final(self) -> bool:
        return self.cleaned_data.get("kind") == EvaluationKind.FINAL

    def is_early_end(self) -> bool:
        return self.is_final() and bool(self.cleaned_data.get("early_end_reason"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.is_final():
            if data.get("adjusts_plan"):
                self.add_error("adjusts_plan", _("A final evaluation does not adjust the plan."))
            for name, message in rules.final_outcome_problems(self.outcome()).items():
                self.add_error(name, message)
        else:
            for name in self.FINAL_FIELDS:
                if data.get(name):
                    self.add_error(name, _("Only the final evaluation records the outcome."))
        if not self.is_early_end():
            for goal in self.goals:
                if not data.get(f"result_{goal.pk}"):
                    self.add_error(f"result_{goal.pk}", _("Give the result of this goal."))
        return data

    def outcome(self) -> rules.FinalOutcome:
        data = self.cleaned_data
        return rules.FinalOutcome(
            neighbours_outcome=data.get("neighbours_outcome", ""),
            partners_outcome=data.get("partners_outcome", ""),
            resolved_at_sources=frozenset(data.get("resolved_at_sources") or ()),
            causer_in_care=data.get("causer_in_care"),
            housing_outcome=data.get("housing_outcome", ""),
            follow_up=data.get("follow_up", ""),
            passed_on_to=data.get("passed_on_to", ""),
            early_end_reason=data.get("early_end_reason", ""),
        )

    def goal_results(self) -> dict[int, tuple[str, str]]:
        """goal pk → (result, note), the results given."""
        return {
            goal.pk: (
                self.cleaned_data[f"result_{goal.pk}"],
                self.cleaned_data.get(f"result_note_{goal.pk}", ""),
            )
            for goal in self.goals
            if self.cleaned_data.get(f"result_{goal.pk}")
        }


# --- Aftercare -----------------------------------------------------------------------------


class AftercarePlanForm(Form):
    summary = _text(_("Aftercare agreements"), required=False, rows=5)
    end_date = _date(_("Aftercare ends on"))
    handover_to = forms.CharField(label=_("Handed over to (whom)"), max_length=200, required=False)
    handover_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label=_("Handed over to (organisation)"),
        required=False,
    )
    handover_on = _date(_("Handed over on"), required=False)
    handover_what = _text(_("What was handed over"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handover_organisation"].queryset = _organisations()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        handover = [data.get("handover_to"), data.get("handover_organisation")]
        if data.get("handover_on") and not any(handover):
            self.add_error("handover_to", _("Say to whom the case was handed over."))
        if any(handover) and not data.get("handover_what", "").strip():
            self.add_error("handover_what", _("Say what was handed over."))
        return data


# --- Material support and relocation -------------------------------------------------------


class MaterialSupportForm(Form):
    amount = forms.DecimalField(
        label=_("Amount (euro)"), min_value=Decimal("0.01"), max_digits=8, decimal_places=2
    )
    purpose = _text(_("Purpose"))
    corporation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Paying corporation")
    )
    why_not_regular = _text(_("Why regular funding is not possible"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["corporation"].queryset = _organisations().filter(  # type: ignore[attr-defined]
            kind=OrganisationKind.CORPORATION
        )


class MaterialSupportDecisionForm(Form):
    granted = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Granted")), ("no", _("Refused"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = _text(_("Explanation of the decision"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("granted") is False and not data.get("note", "").strip():
            self.add_error("note", _("Explain why the request is refused."))
        return data


class RelocationAdviceForm(Form):
    relocated = forms.ChoiceField(
        label=_("Person relocated"), choices=RelocatedPerson.choices, widget=forms.RadioSelect
    )
    person = forms.ModelChoiceField(
        queryset=Person.objects.none(), label=_("Person"), required=False
    )
    corporation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Corporation")
    )
    advice = _text(_("Casemanager's advice"), rows=5)

    def __init__(self, *args: Any, persons: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = persons  # type: ignore[attr-defined]
        self.fields["corporation"].queryset = _organisations().filter(  # type: ignore[attr-defined]
            kind=OrganisationKind.CORPORATION
        )


class RelocationProposalForm(Form):
    proposal = _text(_("Corporation's proposal"), rows=5)


class HousingPermitForm(Form):
    note = _text(_("Housing permit"))
    on = _date(_("Noted on"), required=False)


# --- Eviction advice and the police situation report ---------------------------------------


class EvictionAdviceForm(Form):
    """The network's eviction advice to the landlord (`services.plan.eviction_advice_give`)."""

    advised_on = _date(_("Date of the advice"))
    corporation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label=_("Landlord (housing corporation)")
    )
    advice = _text(_("Advice to the landlord"), rows=6)
    care_need_motivation = _text(
        _("Why eviction despite the care need"),
        rows=4,
        required=False,
        help_text=_(
            "Needed when the investigation found that the nuisance comes from a care need: "
            "the approach aims to avoid evicting someone who needs care."
        ),
    )
    consulted = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(),
        label=_("Partners consulted"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Name the partners the network consulted for the advice.")},
    )
    neighbourhood_officer = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label=_("Neighbourhood officer involved in the advice (optional)"),
        required=False,
        help_text=_(
            "The police situation report can be shared only when the neighbourhood officer "
            "took part in both the approach and this advice."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["corporation"].queryset = _organisations().filter(  # type: ignore[attr-defined]
            kind=OrganisationKind.CORPORATION
        )
        self.fields["consulted"].queryset = _organisations()  # type: ignore[attr-defined]
        self.fields["neighbourhood_officer"].queryset = (  # type: ignore[attr-defined]
            User.objects.filter(
                is_active=True,
                organisation__kind=OrganisationKind.POLICE,
                groups__name=Role.PARTNER_REPRESENTATIVE.value,
            )
            .select_related("organisation")
            .order_by("last_name", "first_name")
            .distinct()
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        officer = data.get("neighbourhood_officer")
        consulted = data.get("consulted")
        if (
            officer is not None
            and consulted is not None
            and officer.organisation_id not in {o.pk for o in consulted}
        ):
            self.add_error(
                "neighbourhood_officer",
                _("Name the officer's police organisation among the partners consulted."),
            )
        return data


class SituationReportForm(PoliceBasisFormMixin):
    """The police situation report with an eviction advice, with its Wpg basis."""

    report = _text(_("Situation report"), rows=8)
    field_order = ["report"]
