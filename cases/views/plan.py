"""The plan of approach of a case (its versions, goals, actions, agreements and life-domain
scores) and "my actions" of a partner's representative.

Thin views: `selectors.plan` reads, `services.plan` writes, `cases.access` decides. Every
view with a case pk loads it through `access_case` (404 for outsiders, 403 for a section
the role may not use, the read-log row written there).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from partners.access import object_access, rule_required
from woonoverlast.forms import posted_with_version
from woonoverlast.pdf import render_pdf

from ..access import (
    Section,
    access_case,
    access_case_item,
    may_agree_plan,
    may_assign_actions,
    may_use_my_actions,
    may_write_plan,
)
from ..choices import CaseStatus
from ..choices_plan import PlanStatus
from ..domain import workflow
from ..domain.plan import PlanRefused, StalePlanEdit
from ..forms.persons import PersonSelectForm, organisation_from_request
from ..forms.plan import (
    ActionForm,
    GoalForm,
    LifeDomainScoresForm,
    MyActionsFilterForm,
    PlanForm,
)
from ..models import Case, Goal, Plan
from ..selectors import page_of
from ..selectors import plan as plan_selectors
from ..services import case_facts
from ..services import plan as plan_services
from .action_finish import Finish

CHART_WIDTH = 160
# The no-JavaScript button of an action form that shows the chosen organisation's people.
SHOW_PERSONS = "show_persons"
CHART_HEIGHT = 60


def _plan_url(case: Case) -> str:
    return reverse("cases:plan", args=[case.pk])


def _refused(request: HttpRequest, error: PlanRefused) -> None:
    for reason in error.reasons:
        messages.error(request, str(reason))


def _chart_points(scores: list[int | None]) -> list[tuple[str, str, int]]:
    """(x, y, score) of each scored moment on a CHART_WIDTH × CHART_HEIGHT canvas: 5 at the
    top, 1 at the bottom; moments without a score are left out. Coordinates as strings, so
    the template does not localise them (a decimal comma breaks SVG)."""
    count = len(scores)
    step = CHART_WIDTH / (count - 1) if count > 1 else 0
    return [
        (
            f"{i * step if count > 1 else CHART_WIDTH / 2:.1f}",
            f"{(5 - s) * CHART_HEIGHT / 4:.1f}",
            s,
        )
        for i, s in enumerate(scores)
        if s is not None
    ]


def _timeline(request: HttpRequest, case: Case) -> dict[str, Any]:
    timeline = plan_selectors.life_domain_timeline(case=case, user=request.user)
    rows = []
    for row in timeline.rows:
        points = [] if row.hidden else _chart_points(row.scores)
        rows.append(
            {
                "row": row,
                "points": points,
                "polyline": " ".join(f"{x},{y}" for x, y, _s in points),
            }
        )
    return {"timeline": timeline, "chart_rows": rows}


def _plan_step(request: HttpRequest, case: Case) -> workflow.Transition | None:
    """The workflow step to PLAN_AGREED when the table offers it to this user now."""
    facts = case_facts(case=case, by=request.user)
    return next(
        (t for t in workflow.allowed_transitions(facts) if t.target == CaseStatus.PLAN_AGREED),
        None,
    )


def plan_page_response(
    request: HttpRequest, case: Case, number: int | None, *, finish: Finish | None = None
) -> HttpResponse:
    """The plan page; `finish`: an action's done or cancel form sent back with errors, shown
    open at that action's row (also for cases/views/actions.py)."""
    plan = plan_selectors.plan_detail(case=case, number=number)
    if number is not None and plan is None:
        raise Http404
    versions = list(plan_selectors.plan_versions(case=case).order_by("number"))
    diff = None
    if plan is not None and plan.previous_id is not None:
        previous = next((v for v in versions if v.pk == plan.previous_id), None)
        if previous is not None:
            diff = plan_selectors.plan_diff_between(old=previous, new=plan)
    user = request.user
    may_write = may_write_plan(user, case)
    context: dict[str, Any] = {
        "case": case,
        "plan": plan,
        "versions": versions,
        "diff": diff,
        "meeting_actions": list(plan_selectors.meeting_decided_actions(case=case)),
        "is_latest": number is None or (plan is not None and plan.status != PlanStatus.SUPERSEDED),
        "may_write": may_write,
        # The case team marks actions done or cancels them from the page's action rows.
        "case_team": may_write,
        "finish": finish,
        "next_url": request.get_full_path() if finish is None else finish.next_url,
        "may_agree": may_agree_plan(user, case),
        "agreements": plan_selectors.plan_agreement_overview(plan=plan) if plan else [],
        "plan_step": _plan_step(request, case) if may_write else None,
        "chart_width": CHART_WIDTH,
        "chart_height": CHART_HEIGHT,
        **_timeline(request, case),
    }
    return render(request, "cases/plan/plan.html", context)


@require_safe
@object_access(access_case)
def plan_page(request: HttpRequest, pk: int) -> HttpResponse:
    return plan_page_response(request, access_case(request, pk, section=Section.PLAN), None)


@require_safe
@object_access(access_case)
def plan_version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    return plan_page_response(request, access_case(request, pk, section=Section.PLAN), number)


@require_safe
@object_access(access_case)
def plan_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The current version as PDF for a conversation with the household: only what the
    household may see (goals, actions, organisations, dates; no summary, notes or names of
    staff)."""
    case = access_case(request, pk, section=Section.PLAN_PDF)
    plan = plan_selectors.plan_detail(case=case)
    if plan is None:
        raise Http404
    recipient = _("the household (case %(number)s)") % {"number": case.number}
    content = render_pdf("cases/plan/pdf.html", {"case": case, "plan": plan}, recipient=recipient)
    response = HttpResponse(content, content_type="application/pdf")
    filename = f"plan-van-aanpak-{case.number or case.pk}-v{plan.number}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _draft(case: Case) -> Plan:
    """The draft version, or 404 when there is none (the page offers to start one)."""
    plan = plan_selectors.plan_latest(case=case)
    if plan is None or plan.status != PlanStatus.DRAFT:
        raise PlanRefused(_("There is no draft version of the plan to change."))
    return plan


@object_access(access_case)
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Start the first draft, or change the draft's summary and evaluation interval."""
    case = access_case(request, pk, section=Section.PLAN_WRITE)
    plan = plan_selectors.plan_latest(case=case)
    if plan is not None and plan.status != PlanStatus.DRAFT:
        messages.error(request, _("The plan is agreed; adjust it through an evaluation."))
        return redirect(_plan_url(case))
    initial = (
        {
            "summary": plan.summary,
            "evaluation_interval_months": plan.evaluation_interval_months,
            "version": plan.version,
        }
        if plan
        else None
    )
    form = PlanForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            if plan is None:
                plan_services.plan_start(case=case, by=request.user, **data)
            else:
                plan_services.plan_update(plan=plan, by=request.user, version=version, **data)
        except PlanRefused as error:
            _refused(request, error)
            if isinstance(error, StalePlanEdit):
                form = _with_current_version(PlanForm, request, error)
        else:
            messages.success(request, _("The plan was saved."))
            return redirect(_plan_url(case))
    return render(request, "cases/plan/plan_form.html", {"case": case, "form": form, "plan": plan})


def _goal_data(form: GoalForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "specific": data["specific"],
        "indicator": data["indicator"],
        "target": data["target"],
        "agreed_partners": list(data["agreed_partners"]),
        "feasibility": data["feasibility"],
        "target_date": data["target_date"],
        "life_domains": list(data["life_domains"]),
        "covenant_elements": list(data["covenant_elements"]),
    }


def _with_current_version(form_class: Any, request: HttpRequest, error: StalePlanEdit) -> Any:
    """The posted form again, everything typed kept, carrying the version saved now."""
    form = form_class(posted_with_version(request.POST, error.current_version))
    form.is_valid()
    return form


def _goal_form(request: HttpRequest, case: Case, goal: Goal | None) -> HttpResponse:
    try:
        plan = _draft(case)
    except PlanRefused as error:
        _refused(request, error)
        return redirect(_plan_url(case))
    initial = GoalForm.initial_for(goal) if goal is not None else None
    form = GoalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if goal is None:
                plan_services.goal_add(plan=plan, by=request.user, **_goal_data(form))
            else:
                plan_services.goal_update(
                    goal=goal,
                    by=request.user,
                    version=form.cleaned_data["version"],
                    **_goal_data(form),
                )
        except PlanRefused as error:
            if isinstance(error, StalePlanEdit):
                form = _with_current_version(GoalForm, request, error)
            for reason in error.reasons:
                form.add_error(None, str(reason))
        else:
            messages.success(request, _("The goal was saved."))
            return redirect(_plan_url(case) + "#goals")
    return render(request, "cases/plan/goal_form.html", {"case": case, "form": form, "goal": goal})


def _goal(request: HttpRequest, case: Case, goal_pk: int) -> Goal:
    """A goal of this case; another case's goal is a refused attempt on this case (404)."""
    goals = Goal.objects.select_related("plan", "plan__case").filter(plan__case=case)
    return access_case_item(request, case, goals, goal_pk)


@object_access(access_case)
def goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _goal_form(request, access_case(request, pk, section=Section.PLAN_WRITE), None)


@object_access(access_case)
def goal_edit(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    case = access_case(request, pk, section=Section.PLAN_WRITE)
    return _goal_form(request, case, _goal(request, case, goal_pk))


@require_POST
@object_access(access_case)
def goal_remove(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    case = access_case(request, pk, section=Section.PLAN_WRITE)
    goal = _goal(request, case, goal_pk)
    if request.POST.get("confirm") != "on":  # removing is for good: the form asks to confirm
        messages.error(request, _("Tick the box to confirm that the goal is to be removed."))
        return redirect(_plan_url(case) + "#goals")
    try:
        plan_services.goal_remove(goal=goal, by=request.user)
    except PlanRefused as error:
        _refused(request, error)
    else:
        messages.success(request, _("The goal was removed."))
    return redirect(_plan_url(case) + "#goals")


@object_access(access_case)
def action_add(request: HttpRequest, pk: int, goal_pk: int) -> HttpResponse:
    """Assign an action under a goal to an organisation (optionally a person)."""
    case = access_case(request, pk, section=Section.PLAN_WRITE)
    goal = _goal(request, case, goal_pk)
    form = ActionForm(request.POST or None)
    if request.method == "POST" and SHOW_PERSONS in request.POST:
        # Without JavaScript: the same form again, with the chosen organisation's people.
        form = ActionForm(initial=request.POST.dict())
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            plan_services.action_assign(
                by=request.user,
                goal=goal,
                organisation=data["organisation"],
                assignee=data["assignee"],
                description=data["description"],
                due_on=data["due_on"],
                life_domain=data["life_domain"],
            )
        except PlanRefused as error:
            for reason in error.reasons:
                form.add_error(None, str(reason))
        else:
            messages.success(request, _("The action was assigned."))
            return redirect(_plan_url(case) + "#goals")
    return render(
        request, "cases/plan/action_form.html", {"case": case, "goal": goal, "form": form}
    )


@object_access(access_case)
def plan_scores(request: HttpRequest, pk: int) -> HttpResponse:
    """Score the active life domains (1–5 with a note) for the draft version."""
    case = access_case(request, pk, section=Section.PLAN_WRITE)
    try:
        plan = _draft(case)
    except PlanRefused as error:
        _refused(request, error)
        return redirect(_plan_url(case))
    domains = plan_selectors.life_domains_active()
    form = LifeDomainScoresForm(request.POST or None, domains=domains)
    if request.method == "POST" and form.is_valid():
        try:
            plan_services.life_domains_assess(
                case=case, by=request.user, plan=plan, scores=form.scores()
            )
        except PlanRefused as error:
            for reason in error.reasons:
                form.add_error(None, str(reason))
        else:
            messages.success(request, _("The life-domain analysis was saved."))
            return redirect(_plan_url(case) + "#life-domains")
    return render(request, "cases/plan/scores_form.html", {"case": case, "form": form})


@require_POST
@object_access(access_case)
def plan_agree(request: HttpRequest, pk: int) -> HttpResponse:
    """A representative records that their organisation agrees with the draft."""
    case = access_case(request, pk, section=Section.PLAN_AGREE)
    try:
        plan_services.plan_agreement_record(
            plan=_draft(case), by=request.user, note=request.POST.get("note", "")[:500]
        )
    except PlanRefused as error:
        _refused(request, error)
    else:
        messages.success(request, _("Your organisation's agreement was recorded."))
    return redirect(_plan_url(case) + "#agreements")


@require_POST
@object_access(access_case)
def plan_mark_agreed(request: HttpRequest, pk: int) -> HttpResponse:
    """The casemanager marks the draft agreed; the page then offers the workflow step."""
    case = access_case(request, pk, section=Section.PLAN_WRITE)
    try:
        plan_services.plan_mark_agreed(plan=_draft(case), by=request.user)
    except PlanRefused as error:
        _refused(request, error)
    else:
        messages.success(request, _("The plan is marked agreed."))
    return redirect(_plan_url(case))


@require_safe
@rule_required(may_assign_actions)
def organisation_persons(request: HttpRequest) -> HttpResponse:
    """The person select of an action form for the organisation just chosen (htmx swaps it
    in place): the active people of that organisation only."""
    asked = organisation_from_request(request.GET)
    if asked is None:
        raise Http404
    name, organisation_id = asked
    form = PersonSelectForm(name=name, organisation_id=organisation_id)
    return HttpResponse(form.widget_html(name))


# --- My actions ------------------------------------------------------------------------------


MY_ACTIONS_PAGE_SIZE = 50


def my_actions_page_response(
    request: HttpRequest, *, done_form: Any = None, done_pk: int | None = None
) -> HttpResponse:
    """The organisation's actions, MY_ACTIONS_PAGE_SIZE a page (plain links keep the
    filters). The case filter offers the cases with actions in the chosen status (and the
    chosen case): a police organisation has actions on tens of thousands of cases over the
    years, which no select can offer (docs/scale.md)."""
    user = request.user
    status = MyActionsFilterForm.chosen_status(request.GET)
    organisation_cases = plan_selectors.my_actions_cases(
        user=user, status=status, chosen=request.GET.get("case", "")
    )
    form = MyActionsFilterForm(
        request.GET or None, cases=[(pk, number) for pk, number in organisation_cases]
    )
    page = page_of(
        plan_selectors.my_actions(user=user, **form.filters()),
        request.GET.get("page"),
        per_page=MY_ACTIONS_PAGE_SIZE,
        load=plan_selectors.my_actions_rows,
    )
    actions = list(page.object_list)
    if done_pk is not None and all(action.pk != done_pk for action in actions):
        # The action whose note was refused stays in view with the form, on any page.
        actions[:0] = plan_selectors.my_actions(user=user, status=None).filter(pk=done_pk)
    return render(
        request,
        "cases/plan/my_actions.html",
        {
            "form": form,
            "actions": actions,
            "page": page,
            "done_form": done_form,
            "done_pk": done_pk,
        },
    )


@require_safe
@rule_required(may_use_my_actions)
def my_actions(request: HttpRequest) -> HttpResponse:
    return my_actions_page_response(request)
