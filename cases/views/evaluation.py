"""After the plan (issue 12): the investigation, evaluations and the final evaluation, the
aftercare plan with its handover, material support (wisselgeld) and relocation.

Thin views: every case object is loaded through `cases.access.access_case` with its section
(404 outside the need to know, 403 for a role the section is not for, the read-log row
written there); the services of `cases/services/plan.py` write and refuse (`PlanRefused`,
shown next to the form in Dutch); `cases/selectors/plan.py` reads.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from partners.access import object_access, rule_required
from partners.models import User

from .. import access
from ..access import Section, access_case
from ..choices import CaseStatus
from ..choices_plan import (
    ComplaintSource,
    EvaluationKind,
    PassedOnDestination,
    SupportDecision,
)
from ..domain import workflow
from ..domain.plan import PlanRefused
from ..forms.plan import (
    ActionForm,
    AftercarePlanForm,
    EvaluationForm,
    EvictionAdviceForm,
    HousingPermitForm,
    InvestigationForm,
    LifeDomainScoresForm,
    MaterialSupportDecisionForm,
    MaterialSupportForm,
    RelocationAdviceForm,
    RelocationProposalForm,
    SituationReportForm,
)
from ..models import Case, EvictionAdvice, MaterialSupport, Relocation
from ..selectors import plan as plan_selectors
from ..services import plan as plan_services
from .action_finish import Finish
from .plan import SHOW_PERSONS


def _reasons(refused: PlanRefused) -> list[str]:
    return [str(reason) for reason in refused.reasons]


def _closed_reason(case: Case) -> str | None:
    """Why nothing can be written on the case any more (a closed case is read-only)."""
    if workflow.is_terminal(case.status):
        return _("The case is closed: it can no longer be changed.")
    return None


# --- The case page's section -------------------------------------------------------------


def case_page_section(user: User, case: Case, steps: list[workflow.Transition]) -> dict[str, Any]:
    """Context for the case page (cases/views/case.py `_case_page`): links to these pages
    for who may use them, and why the case cannot close yet when "Close" is offered (no
    final evaluation; open actions must be done or cancelled with a reason — also for a
    case passed on)."""
    offers_close = any(step.target == CaseStatus.CLOSED for step in steps)
    return {
        "after_plan_links": {
            "investigation": access.is_case_team(user, case),
            "support": access.may_see_support(user, case),
            "eviction": access.may_see_eviction(user, case),
        },
        "closing_refusals": plan_selectors.closing_refusals(case) if offers_close else [],
    }


# --- Investigation -------------------------------------------------------------------------


@object_access(access_case)
def investigation(request: HttpRequest, pk: int) -> HttpResponse:
    """Both sides heard, care need or deliberate, the leading trajectory and the alignment
    with the care worker: the case team."""
    case = access_case(request, pk, section=Section.INVESTIGATION)
    record = plan_selectors.investigation_of(case=case)
    initial: dict[str, Any] = {}
    if record is not None:
        initial = {name: getattr(record, name) for name in plan_services.INVESTIGATION_FIELDS}
    form = InvestigationForm(request.POST or None, initial=initial)
    refusal: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            plan_services.investigation_record(case=case, by=request.user, data=form.cleaned_data)
        except PlanRefused as refused:
            refusal = _reasons(refused)
        else:
            messages.success(request, _("The investigation was saved."))
            return redirect("cases:investigation", pk=case.pk)
    context = {
        "case": case,
        "form": form,
        "record": record,
        "refusal": refusal,
        "closed_reason": _closed_reason(case),
    }
    return render(request, "cases/evaluation/investigation.html", context)


# --- Evaluations ---------------------------------------------------------------------------


@require_safe
@object_access(access_case)
def evaluation_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The evaluations of the case with the result per goal, and the outcome of the final one
    (share of goals achieved). Everyone who sees the case."""
    case = access_case(request, pk, section=Section.EVALUATIONS)
    evaluations = list(plan_selectors.case_evaluations(case=case))
    rows = [
        {"evaluation": e, "achieved": plan_selectors.evaluation_goals_achieved(e)}
        for e in evaluations
    ]
    final = next((row for row in rows if row["evaluation"].kind == EvaluationKind.FINAL), None)
    if final is not None:
        final["sources"] = [
            ComplaintSource(s).label for s in final["evaluation"].resolved_at_sources
        ]
    context = {
        "case": case,
        "rows": rows,
        "final": final,
        "is_case_team": access.is_case_team(request.user, case),
        "closed_reason": _closed_reason(case),
    }
    return render(request, "cases/evaluation/list.html", context)


def _evaluation_form(request: HttpRequest, pk: int, *, final: bool) -> HttpResponse:
    case = access_case(request, pk, section=Section.EVALUATION_RECORD)
    plan = plan_selectors.plan_agreed(case=case)
    goals = list(plan.goals.all()) if plan is not None else []
    data = request.POST or None
    if data is not None:
        data = data.copy()
        if final:
            data["kind"] = EvaluationKind.FINAL
    initial = {"kind": EvaluationKind.FINAL if final else EvaluationKind.PERIODIC}
    form = EvaluationForm(data, goals=goals, initial=initial)
    if final:
        form.fields["kind"].widget = forms.HiddenInput()
        del form.fields["adjusts_plan"]
    else:
        form.fields["kind"].choices = [
            c for c in EvaluationKind.choices if c[0] != EvaluationKind.FINAL
        ]
        for name in EvaluationForm.FINAL_FIELDS:
            del form.fields[name]
    domains = plan_selectors.life_domains_active()
    scores_form = LifeDomainScoresForm(data, domains=domains, prefix="ld")
    refusal: list[str] = []
    if request.method == "POST" and form.is_valid():
        early_without_scores = form.is_early_end() and not any(
            key.startswith("ld-score_") for key in request.POST
        )
        if early_without_scores or scores_form.is_valid():
            try:
                evaluation = plan_services.evaluation_record(
                    case=case,
                    by=request.user,
                    kind=form.cleaned_data["kind"],
                    held_on=form.cleaned_data["held_on"],
                    participants=form.cleaned_data["participants"],
                    notes=form.cleaned_data.get("notes", ""),
                    goal_results=form.goal_results(),
                    scores=None if early_without_scores else scores_form.scores(),
                    adjusts_plan=bool(form.cleaned_data.get("adjusts_plan")),
                    outcome=form.outcome() if form.is_final() else None,
                )
            except PlanRefused as refused:
                refusal = _reasons(refused)
            else:
                if evaluation.adjusts_plan:
                    messages.success(
                        request,
                        _("The evaluation was recorded; a new version of the plan is drafted."),
                    )
                else:
                    messages.success(request, _("The evaluation was recorded."))
                return redirect("cases:evaluations", pk=case.pk)
    elif request.method == "POST":
        scores_form.is_valid()
    context = {
        "case": case,
        "form": form,
        "scores_form": scores_form,
        "final": final,
        "plan": plan,
        "refusal": refusal,
        "closed_reason": _closed_reason(case),
    }
    return render(request, "cases/evaluation/form.html", context)


@object_access(access_case)
def evaluation_add(request: HttpRequest, pk: int) -> HttpResponse:
    """A periodic or six-month evaluation: the case team."""
    return _evaluation_form(request, pk, final=False)


@object_access(access_case)
def evaluation_final(request: HttpRequest, pk: int) -> HttpResponse:
    """The final evaluation (also the short one of a case that ends early): the case team."""
    return _evaluation_form(request, pk, final=True)


# --- Aftercare -----------------------------------------------------------------------------


def aftercare_page_response(
    request: HttpRequest,
    case: Case,
    *,
    form: AftercarePlanForm | None = None,
    action_form: ActionForm | None = None,
    refusal: list[str] | None = None,
    finish: Finish | None = None,
) -> HttpResponse:
    """The aftercare page; `finish`: an action's done or cancel form sent back with errors,
    shown open at that action's row (also for cases/views/actions.py)."""
    aftercare = plan_selectors.aftercare_of(case=case)
    is_team = access.is_case_team(request.user, case)
    if form is None and is_team:
        initial = {}
        if aftercare is not None:
            initial = {name: getattr(aftercare, name) for name in plan_services.AFTERCARE_FIELDS}
        form = AftercarePlanForm(initial=initial)
    if action_form is None and is_team and aftercare is not None:
        action_form = ActionForm()
    context = {
        "case": case,
        "aftercare": aftercare,
        "actions": plan_selectors.aftercare_actions(case=case),
        "final": plan_selectors.final_evaluation(case=case),
        "is_case_team": is_team,
        # The case team marks actions done or cancels them from the action rows.
        "case_team": is_team,
        "finish": finish,
        "next_url": request.get_full_path() if finish is None else finish.next_url,
        "form": form,
        "action_form": action_form,
        "refusal": refusal or [],
        "closed_reason": _closed_reason(case),
    }
    return render(request, "cases/evaluation/aftercare.html", context)


@object_access(access_case)
def aftercare(request: HttpRequest, pk: int) -> HttpResponse:
    """The aftercare plan (agreements, end date, actions on several life domains) and the
    warm handover: read by everyone who sees the case, written by the case team."""
    if request.method != "POST":
        return aftercare_page_response(request, access_case(request, pk, section=Section.AFTERCARE))
    case = access_case(request, pk, section=Section.AFTERCARE_RECORD)
    form = AftercarePlanForm(request.POST)
    if not form.is_valid():
        return aftercare_page_response(request, case, form=form)
    try:
        plan_services.aftercare_plan_record(case=case, by=request.user, data=form.cleaned_data)
    except PlanRefused as refused:
        return aftercare_page_response(request, case, form=form, refusal=_reasons(refused))
    messages.success(request, _("The aftercare plan was saved."))
    return redirect("cases:aftercare", pk=case.pk)


@object_access(access_case)
def aftercare_action_add(request: HttpRequest, pk: int) -> HttpResponse:
    """An aftercare action for an organisation (the action service: notified, deadline)."""
    case = access_case(request, pk, section=Section.AFTERCARE_RECORD)
    if request.method != "POST":
        return redirect("cases:aftercare", pk=case.pk)
    action_form = ActionForm(request.POST)
    aftercare_plan = plan_selectors.aftercare_of(case=case)
    if aftercare_plan is None:
        return aftercare_page_response(
            request,
            case,
            refusal=[_("Save the aftercare plan first; then add its actions.")],
        )
    if SHOW_PERSONS in request.POST:
        # Without JavaScript: the same form again, with the chosen organisation's people.
        return aftercare_page_response(
            request, case, action_form=ActionForm(initial=request.POST.dict())
        )
    if not action_form.is_valid():
        return aftercare_page_response(request, case, action_form=action_form)
    data = action_form.cleaned_data
    try:
        plan_services.action_assign(
            by=request.user,
            organisation=data["organisation"],
            description=data["description"],
            due_on=data["due_on"],
            aftercare_plan=aftercare_plan,
            assignee=data.get("assignee"),
            life_domain=data.get("life_domain"),
        )
    except PlanRefused as refused:
        return aftercare_page_response(
            request, case, action_form=action_form, refusal=_reasons(refused)
        )
    messages.success(request, _("The aftercare action was added."))
    return redirect(reverse("cases:aftercare", args=[case.pk]) + "#actions")


# --- Material support and relocation -------------------------------------------------------


def _supports(user: User, case: Case) -> QuerySet[MaterialSupport]:
    supports = plan_selectors.case_material_support(case=case)
    if access.is_case_team(user, case):
        return supports
    return supports.filter(corporation_id=user.organisation_id)


def _relocations(user: User, case: Case) -> QuerySet[Relocation]:
    relocations = plan_selectors.case_relocations(case=case)
    if access.is_case_team(user, case):
        return relocations
    return relocations.filter(corporation_id=user.organisation_id)


def _support_page(request: HttpRequest, case: Case, **extra: Any) -> HttpResponse:
    user = request.user
    is_team = access.is_case_team(user, case)
    context: dict[str, Any] = {
        "case": case,
        "supports": list(_supports(user, case)),
        "relocations": list(_relocations(user, case)),
        "is_case_team": is_team,
        "own_organisation_id": getattr(user, "organisation_id", None),
        "closed_reason": _closed_reason(case),
        "pending": SupportDecision.PENDING,
        **extra,
    }
    if is_team:
        context.setdefault("support_form", MaterialSupportForm())
        context.setdefault(
            "relocation_form", RelocationAdviceForm(persons=access.visible_persons(user, case))
        )
    return render(request, "cases/evaluation/support.html", context)


@require_safe
@object_access(access_case)
def support(request: HttpRequest, pk: int) -> HttpResponse:
    """Material support and relocation of the case: the case team sees all; a corporation's
    representatives the requests and relocations addressed to their corporation."""
    return _support_page(request, access_case(request, pk, section=Section.SUPPORT))


@object_access(access_case)
def support_request(request: HttpRequest, pk: int) -> HttpResponse:
    """Request material support (wisselgeld) from a corporation: the case team."""
    case = access_case(request, pk, section=Section.SUPPORT_REQUEST)
    if request.method != "POST":
        return redirect("cases:support", pk=case.pk)
    form = MaterialSupportForm(request.POST)
    if form.is_valid():
        try:
            plan_services.material_support_request(case=case, by=request.user, **form.cleaned_data)
        except PlanRefused as refused:
            return _support_page(request, case, support_form=form, refusal=_reasons(refused))
        messages.success(request, _("The request was sent to the corporation."))
        return redirect("cases:support", pk=case.pk)
    return _support_page(request, case, support_form=form)


@object_access(access_case)
def relocation_advise(request: HttpRequest, pk: int) -> HttpResponse:
    """The casemanager advises relocating the causer or a vulnerable neighbour."""
    case = access_case(request, pk, section=Section.SUPPORT_REQUEST)
    if request.method != "POST":
        return redirect("cases:support", pk=case.pk)
    form = RelocationAdviceForm(request.POST, persons=access.visible_persons(request.user, case))
    if form.is_valid():
        try:
            plan_services.relocation_advise(case=case, by=request.user, **form.cleaned_data)
        except PlanRefused as refused:
            return _support_page(request, case, relocation_form=form, refusal=_reasons(refused))
        messages.success(request, _("The relocation advice was recorded."))
        return redirect("cases:support", pk=case.pk)
    return _support_page(request, case, relocation_form=form)


def _own_item[T: (MaterialSupport, Relocation)](
    request: HttpRequest, case: Case, items: QuerySet[T], item_pk: int
) -> T:
    """An item of the case addressed to the user's corporation (the case team: any);
    Http404 (recorded as a refused attempt) otherwise."""
    item = access.access_case_item(request, case, items, item_pk)
    item.case = case
    return item


@object_access(access_case)
def support_decide(request: HttpRequest, pk: int, support_pk: int) -> HttpResponse:
    """The paying corporation grants or refuses a request: its representatives only."""
    case = access_case(request, pk, section=Section.SUPPORT_CORPORATION)
    item = _own_item(
        request,
        case,
        plan_selectors.case_material_support(case=case).filter(
            corporation_id=request.user.organisation_id
        ),
        support_pk,
    )
    form = MaterialSupportDecisionForm(request.POST or None)
    refusal: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            plan_services.material_support_decide(
                support=item,
                by=request.user,
                granted=form.cleaned_data["granted"],
                note=form.cleaned_data.get("note", ""),
            )
        except PlanRefused as refused:
            refusal = _reasons(refused)
        else:
            messages.success(request, _("The decision was recorded."))
            return redirect("cases:support_inbox")
    context = {"case": case, "item": item, "form": form, "refusal": refusal}
    return render(request, "cases/evaluation/support_decide.html", context)


@object_access(access_case)
def relocation_propose(request: HttpRequest, pk: int, relocation_pk: int) -> HttpResponse:
    """The corporation proposes a home for the relocation it was asked: its representatives."""
    case = access_case(request, pk, section=Section.SUPPORT_CORPORATION)
    item = _own_item(
        request,
        case,
        plan_selectors.case_relocations(case=case).filter(
            corporation_id=request.user.organisation_id
        ),
        relocation_pk,
    )
    form = RelocationProposalForm(request.POST or None, initial={"proposal": item.proposal})
    return _relocation_step(request, case, item, form, propose=True)


@object_access(access_case)
def relocation_permit(request: HttpRequest, pk: int, relocation_pk: int) -> HttpResponse:
    """Note the housing permit: the case team or the corporation."""
    case = access_case(request, pk, section=Section.SUPPORT_PERMIT)
    item = _own_item(request, case, _relocations(request.user, case), relocation_pk)
    form = HousingPermitForm(request.POST or None, initial={"note": item.housing_permit_note})
    return _relocation_step(request, case, item, form, propose=False)


def _relocation_step(
    request: HttpRequest,
    case: Case,
    item: Relocation,
    form: RelocationProposalForm | HousingPermitForm,
    *,
    propose: bool,
) -> HttpResponse:
    refusal: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            if propose:
                plan_services.relocation_propose(
                    relocation=item, by=request.user, proposal=form.cleaned_data["proposal"]
                )
            else:
                plan_services.relocation_note_permit(
                    relocation=item,
                    by=request.user,
                    note=form.cleaned_data["note"],
                    on=form.cleaned_data.get("on"),
                )
        except PlanRefused as refused:
            refusal = _reasons(refused)
        else:
            messages.success(request, _("The relocation was updated."))
            return redirect("cases:support", pk=case.pk)
    context = {"case": case, "item": item, "form": form, "refusal": refusal, "propose": propose}
    return render(request, "cases/evaluation/relocation_step.html", context)


@require_safe
@rule_required(access.is_corporation_representative)
def support_inbox(request: HttpRequest) -> HttpResponse:
    """The corporation's own list: material support requests awaiting its decision, and
    relocations awaiting its proposal."""
    user = request.user
    supports = list(plan_selectors.material_support_to_decide(user=user))
    relocations = list(plan_selectors.relocations_to_propose(user=user))
    access.log_case_list(request, {s.case_id: s.case for s in [*supports, *relocations]}.values())
    context = {"supports": supports, "relocations": relocations}
    return render(request, "cases/evaluation/support_inbox.html", context)


# --- Eviction advice and the police situation report --------------------------------------


def _may_read_report(user: User, case: Case, advice: EvictionAdvice) -> bool:
    """Police data shared under the Wpg with the landlord: the case team, the police who
    shared it and the corporation the advice is for."""
    report = getattr(advice, "situation_report", None)
    if report is None:
        return False
    own = getattr(user, "organisation_id", None)
    return access.is_case_team(user, case) or own in (
        advice.corporation_id,
        report.shared_by_organisation_id,
    )


def _eviction_page(request: HttpRequest, case: Case, **extra: Any) -> HttpResponse:
    user = request.user
    is_team = access.is_case_team(user, case)
    advices = list(plan_selectors.eviction_advices_for(user=user, case=case))
    final = plan_selectors.final_evaluation(case=case)
    context: dict[str, Any] = {
        "case": case,
        "rows": [
            {
                "advice": advice,
                "report": getattr(advice, "situation_report", None),
                "may_read_report": _may_read_report(user, case, advice),
                "may_share_report": access.is_police_representative(user)
                and not hasattr(advice, "situation_report"),
            }
            for advice in advices
        ],
        "is_case_team": is_team,
        "passed_on_to_eviction": final is not None
        and final.passed_on_to == PassedOnDestination.EVICTION_PROCEDURE,
        "closed_reason": _closed_reason(case),
        "refusal": [],
        **extra,
    }
    if is_team:
        context.setdefault("form", EvictionAdviceForm(initial={"advised_on": timezone.localdate()}))
    return render(request, "cases/evaluation/eviction.html", context)


@require_safe
@object_access(access_case)
def eviction(request: HttpRequest, pk: int) -> HttpResponse:
    """The network's eviction advices to the landlord: the case team sees all; the
    corporation the advices for it, a consulted partner those it was consulted on. The
    police situation report: the case team, the police and the corporation concerned."""
    return _eviction_page(request, access_case(request, pk, section=Section.EVICTION))


@object_access(access_case)
def eviction_advise(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the eviction advice (the casemanager leads; coordinators too)."""
    case = access_case(request, pk, section=Section.EVICTION_ADVISE)
    if request.method != "POST":
        return redirect("cases:eviction", pk=case.pk)
    form = EvictionAdviceForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            plan_services.eviction_advice_give(
                case=case,
                by=request.user,
                corporation=data["corporation"],
                advice=data["advice"],
                advised_on=data["advised_on"],
                consulted=list(data["consulted"]),
                neighbourhood_officer=data.get("neighbourhood_officer"),
                care_need_motivation=data.get("care_need_motivation", ""),
            )
        except PlanRefused as refused:
            return _eviction_page(request, case, form=form, refusal=_reasons(refused))
        messages.success(request, _("The eviction advice was recorded."))
        return redirect("cases:eviction", pk=case.pk)
    return _eviction_page(request, case, form=form)


@object_access(access_case)
def situation_report(request: HttpRequest, pk: int, advice_pk: int) -> HttpResponse:
    """The police share their situation report with an advice they were consulted on, with
    the Wpg basis; refused (with the reason) unless the neighbourhood officer took part in
    both the approach and the advice."""
    case = access_case(request, pk, section=Section.EVICTION_REPORT)
    advices = plan_selectors.eviction_advices_for(user=request.user, case=case)
    advice = access.access_case_item(request, case, advices, advice_pk)
    kind = request.user.organisation.kind if request.user.organisation else ""
    form = SituationReportForm(request.POST or None, organisation_kind=kind)
    refusal: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            plan_services.situation_report_share(
                advice=advice,
                by=request.user,
                report=form.cleaned_data["report"],
                **{k: v for k, v in form.lawful_basis_data().items() if k != "data_category"},
            )
        except PlanRefused as refused:
            refusal = _reasons(refused)
        else:
            messages.success(request, _("The situation report was shared."))
            return redirect("cases:eviction", pk=case.pk)
    context = {"case": case, "advice": advice, "form": form, "refusal": refusal}
    return render(request, "cases/evaluation/situation_report.html", context)
