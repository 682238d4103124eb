"""Intake: the coordinator's pages per case, and the partners' request inbox.

Thin views: forms validate, `cases/services.py` writes, `cases/selectors.py` reads and
`privacy/access.py` decides who sees what. Every page works without JavaScript; with htmx
a section form swaps only its own section (`cases/intake/detail.html#<section>`).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from deadlines import registry
from deadlines.kinds import CORPORATION_CONSENT as CONSENT
from deadlines.kinds import INTAKE
from privacy import access, readlog

from .. import selectors, services
from ..choices import CaseStatus, NuisanceForm, RedirectTarget
from ..domain import workflow
from ..domain.deadlines import DeadlineState, deadline_state
from ..forms.intake import (
    AcceptForm,
    AssignCasemanagerForm,
    AttachForm,
    ConsentAnswerForm,
    CriteriaForm,
    KrisForm,
    OverrideForm,
    RedirectForm,
    ScreeningRecordForm,
)
from ..models import Case, Criterion, KrisCheck

COORDINATE = "cases.coordinate_cases"
DETAIL = "cases/intake/detail.html"


@dataclass(frozen=True)
class Deadline:
    """A due date with its state, for the `_deadline.html` label."""

    due: datetime.date
    state: DeadlineState

    @property
    def is_overdue(self) -> bool:
        return self.state in (DeadlineState.OVERDUE, DeadlineState.MET_LATE)

    @property
    def is_met(self) -> bool:
        return self.state in (DeadlineState.MET_ON_TIME, DeadlineState.MET_LATE)


def deadline(
    due: datetime.date | None, met_on: datetime.date | None = None, *, kind: str
) -> Deadline | None:
    """`kind` is the deadlines registry's code: it says from when the deadline is due soon."""
    if due is None:
        return None
    soon_days = (due - registry.get(kind).soon_from(due)).days
    today = timezone.localdate()
    return Deadline(
        due, deadline_state(due=due, today=today, met_on=met_on, due_soon_days=soon_days)
    )


# --- The coordinator's intake list -----------------------------------------------------


@access.permission_required(COORDINATE)
def intake_list(request: HttpRequest) -> HttpResponse:
    rows = []
    for case in selectors.intake_cases(user=request.user):
        consent = next(iter(case.consent_requests.all()), None)
        rows.append(
            {
                "case": case,
                "intake": deadline(case.intake_due_on, case.intake_started_on, kind=INTAKE),
                "consent": consent,
                "consent_deadline": deadline(consent.due_on, consent.answered_on, kind=CONSENT)
                if consent
                else None,
            }
        )
    return render(request, "cases/intake/list.html", {"rows": rows})


# --- The intake page of one case -------------------------------------------------------


def _coordinator(user: Any, case: Case) -> bool:
    return access.may_coordinate(user)


def _intake_case(
    request: HttpRequest, pk: int, *, may: Callable[[Any, Case], bool] | None = None
) -> Case:
    """The case for the intake pages: the case team (coordinators and the case's own
    casemanager, `access.may_open_intake`); everyone else gets 404. `may` is the section's
    own rule: a team member without it gets 403."""
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    if not access.may_open_intake(request.user, case):
        raise Http404
    if may is not None and not may(request.user, case):
        raise PermissionDenied
    return case


def _context(request: HttpRequest, case: Case, **bound: Any) -> dict[str, Any]:
    """Everything the intake page shows; `bound` holds forms re-rendered with errors."""
    user = request.user
    facts = services.case_facts(case=case, by=user)
    steps = {t.target for t in workflow.allowed_transitions(facts)}
    criteria = list(Criterion.objects.filter(is_active=True))
    assessments = {
        a.criterion.number: (a.is_met, a.motivation)
        for a in case.criterion_assessments.select_related("criterion")
    }
    kris = KrisCheck.objects.filter(case=case).first()
    kris_initial = (
        {
            "result": kris.result,
            "trajectory_manager_name": kris.trajectory_manager_name,
            "trajectory_manager_organisation": kris.trajectory_manager_organisation,
            "target_group_outcome": kris.target_group_outcome,
            "referred_to_altrecht": kris.referred_to_altrecht,
        }
        if kris
        else None
    )
    consents = [
        {"request": c, "deadline": deadline(c.due_on, c.answered_on, kind=CONSENT)}
        for c in case.consent_requests.select_related("corporation").order_by("-pk")
    ]
    screenings = list(
        case.police_screenings.select_related("screened_by_organisation", "lawful_basis").order_by(
            "-pk"
        )
    )
    earlier = [
        {"case": c, "forms": [NuisanceForm(f).label for f in selectors.case_nuisance_forms(c)]}
        for c in selectors.earlier_cases_for(case=case)
    ]
    duplicates = selectors.open_duplicates_for(case=case)
    readlog.record(
        request,
        case=case,
        what=readlog.ReadWhat.INTAKE,
        basis=access.case_access_basis(user, case),
    )
    return {
        "case": case,
        "may_coordinate": access.may_coordinate(user),
        "may_assess": access.may_assess_criteria(user, case),
        "may_check": access.may_do_intake_checks(user, case),
        "intake_deadline": deadline(case.intake_due_on, case.intake_started_on, kind=INTAKE),
        "may_take": CaseStatus.INTAKE in steps,
        "may_decide": CaseStatus.ACCEPTED in steps or CaseStatus.REDIRECTED in steps,
        "may_attach": CaseStatus.ATTACHED in steps,
        "assign_form": bound.get("assign_form")
        or AssignCasemanagerForm(
            prefix="assign",
            casemanagers=selectors.casemanagers_with_caseload(),
            initial={"casemanager": case.casemanager_id},
        ),
        "criteria_form": bound.get("criteria_form")
        or CriteriaForm(prefix="criteria", criteria=criteria, initial_answers=assessments),
        "criteria_done": len(assessments),
        "criteria_total": len(criteria),
        "override_form": bound.get("override_form")
        or OverrideForm(
            prefix="override",
            initial={
                "override": case.criteria_override,
                "motivation": case.criteria_override_motivation,
            },
        ),
        "consents": consents,
        "consent_pending": any(not c["request"].decision for c in consents),
        "kris": kris,
        "kris_form": bound.get("kris_form") or KrisForm(prefix="kris", initial=kris_initial),
        "screenings": screenings,
        "screening_pending": any(not s.risk_level for s in screenings),
        "may_see_screening_detail": access.may_see_screening_detail(user, case),
        "earlier": earlier,
        "duplicates": duplicates,
        "attach_form": bound.get("attach_form")
        or AttachForm(prefix="attach", duplicates=duplicates),
        "accept_form": bound.get("accept_form") or AcceptForm(prefix="accept"),
        "redirect_form": bound.get("redirect_form") or RedirectForm(prefix="redirect"),
        "refusals": bound.get("refusals") or [],
    }


def _respond(
    request: HttpRequest,
    case: Case,
    section: str,
    *,
    ok: bool,
    message: str = "",
    **bound: Any,
) -> HttpResponse:
    """Success: back to the page (or the fresh section for htmx). Failure: re-render, 200."""
    if ok:
        if message:
            messages.success(request, message)
        if not request.htmx:  # type: ignore[attr-defined]
            return redirect(reverse("cases:intake", args=[case.pk]) + f"#{section}")
        case = _intake_case(request, case.pk)
    template = f"{DETAIL}#{section}" if request.htmx else DETAIL  # type: ignore[attr-defined]
    context = _context(request, case, **bound)
    context["section_message"] = message if ok else ""
    context["refusal_section"] = section
    return render(request, template, context)


@access.custom_check("views.intake._intake_case: case team, 404 for others")
def intake_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _intake_case(request, pk)
    return render(request, DETAIL, _context(request, case))


@access.custom_check("views.intake._intake_case: case team, 404 for others; coordinators")
@require_POST
def intake_take(request: HttpRequest, pk: int) -> HttpResponse:
    case = _intake_case(request, pk, may=_coordinator)
    try:
        services.case_transition(case=case, to=CaseStatus.INTAKE, by=request.user)
    except workflow.TransitionRefused as refused:
        return _respond(request, case, "handling", ok=False, refusals=refused.reasons)
    return _respond(
        request, case, "handling", ok=True, message=_("The case is taken into handling.")
    )


@access.custom_check("views.intake._intake_case: case team, 404 for others; coordinators")
@require_POST
def intake_assign(request: HttpRequest, pk: int) -> HttpResponse:
    case = _intake_case(request, pk, may=_coordinator)
    form = AssignCasemanagerForm(
        request.POST, prefix="assign", casemanagers=selectors.casemanagers_with_caseload()
    )
    if not form.is_valid():
        return _respond(request, case, "casemanager", ok=False, assign_form=form)
    services.case_assign_casemanager(
        case=case, casemanager=form.cleaned_data["casemanager"], by=request.user
    )
    return _respond(request, case, "casemanager", ok=True, message=_("Casemanager assigned."))


@access.custom_check("views.intake._intake_case: case team, 404 for others; may_assess_criteria")
@require_POST
def intake_criteria(request: HttpRequest, pk: int) -> HttpResponse:
    case = _intake_case(request, pk, may=access.may_assess_criteria)
    criteria = list(Criterion.objects.filter(is_active=True))
    form = CriteriaForm(request.POST, prefix="criteria", criteria=criteria)
    if not form.is_valid():
        return _respond(request, case, "criteria", ok=False, criteria_form=form)
    services.criteria_assess(case=case, answers=form.answers(), by=request.user)
    return _respond(request, case, "criteria", ok=True, message=_("Criteria assessment saved."))


@access.custom_check("views.intake._intake_case: case team, 404 for others; coordinators")
@require_POST
def intake_override(request: HttpRequest, pk: int) -> HttpResponse:
    case = _intake_case(request, pk, may=_coordinator)
    form = OverrideForm(request.POST, prefix="override")
    if not form.is_valid():
        return _respond(request, case, "criteria", ok=False, override_form=form)
    services.criteria_override_set(
        case=case,
        override=form.cleaned_data["override"],
        motivation=form.cleaned_data["motivation"],
        by=request.user,
    )
    return _respond(request, case, "criteria", ok=True, message=_("Override saved."))


@access.custom_check("views.intake._intake_case: case team, 404 for others; may_do_intake_checks")
@require_POST
def intake_consent(request: HttpRequest, pk: int) -> HttpResponse:
    case = _intake_case(request, pk, may=access.may_do_intake_checks)
    if case.corporation_id is None:
        return _respond(
            request,
            case,
            "consent",
            ok=False,
            refusals=[_("The home is not owned by a corporation; no consent is needed.")],
        )
    try:
        services.consent_request(case=case, by=request.user)
    except services.RequestStillOpenError as refused:
        return _respond(request, case, "consent", ok=False, refusals=[str(refused)])
    return _respond(
        request, case, "consent", ok=True, message=_("Consent requested from the corporation.")
    )


@access.custom_check("views.intake._intake_case: case team, 404 for others; may_do_intake_checks")
@require_POST
def intake_kris(request: HttpRequest, pk: int) -> HttpResponse:
    case = _intake_case(request, pk, may=access.may_do_intake_checks)
    form = KrisForm(request.POST, prefix="kris")
    if not form.is_valid():
        return _respond(request, case, "kris", ok=False, kris_form=form)
    services.kris_record(case=case, by=request.user, **form.cleaned_data)
    return _respond(request, case, "kris", ok=True, message=_("KRIS check result saved."))


@access.custom_check("views.intake._intake_case: case team, 404 for others; may_do_intake_checks")
@require_POST
def intake_screening_request(request: HttpRequest, pk: int) -> HttpResponse:
    case = _intake_case(request, pk, may=access.may_do_intake_checks)
    try:
        services.screening_request(case=case, by=request.user)
    except services.RequestStillOpenError as refused:
        return _respond(request, case, "screening", ok=False, refusals=[str(refused)])
    return _respond(request, case, "screening", ok=True, message=_("Police screening requested."))


@access.custom_check("views.intake._intake_case: case team, 404 for others; coordinators")
@require_POST
def intake_attach(request: HttpRequest, pk: int) -> HttpResponse:
    case = _intake_case(request, pk, may=_coordinator)
    form = AttachForm(
        request.POST, prefix="attach", duplicates=selectors.open_duplicates_for(case=case)
    )
    if not form.is_valid():
        return _respond(request, case, "duplicates", ok=False, attach_form=form)
    target = form.cleaned_data["target"]
    try:
        services.case_attach(case=case, to=target, by=request.user)
    except workflow.TransitionRefused as refused:
        return _respond(request, case, "duplicates", ok=False, refusals=refused.reasons)
    messages.success(
        request, _("The referral is attached to %(number)s.") % {"number": target.number}
    )
    return redirect("cases:intake", pk=target.pk)


@access.custom_check("views.intake._intake_case: case team, 404 for others")
@require_POST
def intake_accept(request: HttpRequest, pk: int) -> HttpResponse:
    case = _intake_case(request, pk)
    form = AcceptForm(request.POST, prefix="accept")
    if not form.is_valid():
        return _respond(request, case, "decision", ok=False, accept_form=form)
    try:
        services.intake_accept(
            case=case, by=request.user, motivation=form.cleaned_data["motivation"]
        )
    except workflow.TransitionRefused as refused:
        return _respond(
            request, case, "decision", ok=False, accept_form=form, refusals=refused.reasons
        )
    return _respond(request, case, "decision", ok=True, message=_("The case is accepted."))


@access.custom_check("views.intake._intake_case: case team, 404 for others")
@require_POST
def intake_redirect(request: HttpRequest, pk: int) -> HttpResponse:
    case = _intake_case(request, pk)
    form = RedirectForm(request.POST, prefix="redirect")
    if not form.is_valid():
        return _respond(request, case, "decision", ok=False, redirect_form=form)
    try:
        services.intake_redirect(
            case=case,
            target=RedirectTarget(form.cleaned_data["target"]),
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    except workflow.TransitionRefused as refused:
        return _respond(
            request, case, "decision", ok=False, redirect_form=form, refusals=refused.reasons
        )
    messages.success(request, _("The referral is redirected."))
    # A redirected case is closed for intake; the list is where the coordinator goes on.
    return redirect("cases:intake_list")


# --- Police screening result, for everyone who may see the case ------------------------


@access.custom_check("selectors.case_get_for_user (404 for outsiders); may_see_screening_detail")
def screening_result(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get_for_user(user=request.user, pk=pk)
    readlog.record(
        request,
        case=case,
        what=readlog.ReadWhat.SCREENING,
        basis=access.case_access_basis(request.user, case),
    )
    return render(
        request,
        "cases/intake/screening_result.html",
        {
            "case": case,
            "screenings": case.police_screenings.select_related(
                "screened_by_organisation", "lawful_basis"
            ).order_by("-pk"),
            "may_see_screening_detail": access.may_see_screening_detail(request.user, case),
        },
    )


# --- The partner representatives' request inbox ---------------------------------------


def _street_only(case: Case) -> str:
    """The inbox names the street, never the house number (need to know)."""
    return case.street


@access.custom_check("access.visible_consent_requests / visible_screening_requests")
def request_inbox(request: HttpRequest) -> HttpResponse:
    if not access.may_use_request_inbox(request.user):
        raise Http404
    consents = [
        {"request": c, "deadline": deadline(c.due_on, c.answered_on, kind=CONSENT)}
        for c in selectors.consent_requests_for_inbox(user=request.user)
    ]
    screenings = list(selectors.screening_requests_for_inbox(user=request.user))
    return render(
        request,
        "cases/intake/inbox.html",
        {"consents": consents, "screenings": screenings},
    )


@access.custom_check("access.visible_consent_requests (404 for other organisations)")
def consent_answer(request: HttpRequest, pk: int) -> HttpResponse:
    consent = get_object_or_404(
        access.visible_consent_requests(request.user).select_related("case"), pk=pk
    )
    form = ConsentAnswerForm(request.POST if request.method == "POST" else None, prefix="consent")
    refusals: list[str] = []
    if request.method == "POST" and not consent.decision and form.is_valid():
        try:
            services.consent_answer(
                request=consent,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValueError:
            refusals.append(_("This request has already been answered."))
        else:
            messages.success(request, _("Your answer has been recorded."))
            return redirect("cases:requests")
    readlog.record(
        request,
        case=consent.case_id,
        what=readlog.ReadWhat.INTAKE,
        object_id=consent.pk,
        basis=readlog.ReadBasis.CONSENT_CORPORATION,
    )
    return render(
        request,
        "cases/intake/consent_answer.html",
        {
            "consent": consent,
            "street": _street_only(consent.case),
            "deadline": deadline(consent.due_on, consent.answered_on, kind=CONSENT),
            "form": form,
            "refusals": refusals,
        },
    )


@access.custom_check("access.visible_screening_requests (404 for other organisations)")
def screening_record(request: HttpRequest, pk: int) -> HttpResponse:
    screening = get_object_or_404(
        access.visible_screening_requests(request.user).select_related("case"), pk=pk
    )
    initial = {
        "risk_level": screening.risk_level or None,
        "safety_advice": screening.safety_advice,
        "details": screening.details,
        "consent_date": screening.consent_date,
        "basis_motivation": screening.basis_motivation,
    }
    if screening.lawful_basis_id:
        initial["lawful_basis"] = screening.lawful_basis_id
    organisation = request.user.organisation
    form = ScreeningRecordForm(
        request.POST if request.method == "POST" else None,
        prefix="screening",
        initial=initial,
        organisation_kind=organisation.kind if organisation is not None else "",
    )
    if request.method == "POST" and form.is_valid():
        services.screening_record(screening=screening, by=request.user, **form.cleaned_data)
        messages.success(request, _("The screening has been recorded."))
        return redirect("cases:requests")
    readlog.record(
        request,
        case=screening.case_id,
        what=readlog.ReadWhat.SCREENING,
        object_id=screening.pk,
        basis=readlog.ReadBasis.SCREENING_POLICE,
    )
    return render(
        request,
        "cases/intake/screening_record.html",
        {"screening": screening, "street": _street_only(screening.case), "form": form},
    )
