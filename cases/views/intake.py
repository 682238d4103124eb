"""Intake: the coordinator's pages per case, and the partners' request inbox.

Thin views: forms validate, `cases/services.py` writes, `cases/selectors.py` reads and
`cases/access.py` decides who sees what: every view loads its case or request through an
`access_*` function (which also writes the read log). Every page works without JavaScript;
with htmx a section form swaps only its own section (`cases/intake/detail.html#<section>`).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partners.access import object_access, permission_required, rule_required

from .. import access, extensions, selectors, services
from ..access import (
    Section,
    access_case,
    access_consent_request,
    access_recidivism_match,
    access_screening,
)
from ..choices import (
    CaseStatus,
    ConsentDecision,
    NuisanceForm,
    RecidivismDecision,
    RedirectTarget,
)
from ..domain import workflow
from ..forms.intake import (
    AcceptForm,
    AssignCasemanagerForm,
    AttachForm,
    ConsentAnswerForm,
    CriteriaForm,
    KrisForm,
    OverrideForm,
    RecidivismForm,
    RedirectForm,
    ScreeningRecordForm,
    ScreeningWaiverForm,
)
from ..models import Case, Criterion, KrisCheck

COORDINATE = "cases.coordinate_cases"
DETAIL = "cases/intake/detail.html"


# --- The coordinator's intake list -----------------------------------------------------

INTAKE_PAGE_SIZE = 50


@permission_required(COORDINATE)
def intake_list(request: HttpRequest) -> HttpResponse:
    page = selectors.page_of(
        selectors.intake_cases(user=request.user),
        request.GET.get("page"),
        per_page=INTAKE_PAGE_SIZE,
        load=selectors.intake_rows,
    )
    rows = []
    for case in page.object_list:
        consent = next(iter(case.consent_requests.all()), None)
        rows.append(
            {
                "case": case,
                "intake": selectors.intake_due_state(case),
                "consent": consent,
                "consent_deadline": selectors.consent_due_state(consent) if consent else None,
            }
        )
    return render(request, "cases/intake/list.html", {"rows": rows, "page": page})


# --- The intake page of one case -------------------------------------------------------


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


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
            "trajectory_manager_contacted_on": kris.trajectory_manager_contacted_on,
            "plans_aligned": None if kris.plans_aligned is None else _yes_no(kris.plans_aligned),
            "target_group_outcome": kris.target_group_outcome,
            "registered_with_altrecht": _yes_no(kris.referred_to_altrecht),
        }
        if kris
        else None
    )
    consents = [
        {"request": c, "deadline": selectors.consent_due_state(c)}
        for c in selectors.with_consent_deadline(
            case.consent_requests.select_related("corporation")
        ).order_by("-pk")
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
    matches = selectors.recidivism_matches_of(case=case)
    intake_open = workflow.intake_is_open(case.status)
    return {
        "case": case,
        # The intake is a phase: afterwards the page only shows what was decided.
        "intake_open": intake_open,
        "may_coordinate": access.may_coordinate(user),
        "may_assess": access.may_assess_criteria(user, case),
        "may_check": access.may_do_intake_checks(user, case),
        "intake_deadline": selectors.intake_deadline_of(case),
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
        "consent_given": any(c["request"].decision == ConsentDecision.CONSENT for c in consents),
        "kris": kris,
        "kris_form": bound.get("kris_form") or KrisForm(prefix="kris", initial=kris_initial),
        "screenings": screenings,
        "screening_pending": any(not s.risk_level for s in screenings),
        "screening_answered": any(s.risk_level for s in screenings),
        "waiver_form": bound.get("waiver_form") or ScreeningWaiverForm(prefix="waiver"),
        "matches": [
            {
                "match": m,
                "form": bound.get(f"recidivism_form_{m.pk}")
                or RecidivismForm(prefix=f"recidivism-{m.pk}"),
            }
            for m in matches
        ],
        "may_see_screening_detail": access.may_see_screening_detail(user, case),
        "earlier": earlier,
        "duplicates": duplicates,
        "attach_form": bound.get("attach_form")
        or AttachForm(prefix="attach", duplicates=duplicates),
        "accept_form": bound.get("accept_form") or AcceptForm(prefix="accept"),
        "redirect_form": bound.get("redirect_form") or RedirectForm(prefix="redirect"),
        "refusals": bound.get("refusals") or [],
        # Sections of feature apps above cases (early signals on the address).
        "extra_panels": extensions.intake_panels(request, case),
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
    """Success: back to the page (or the fresh section for htmx). Failure: re-render, 200.
    A re-render shows the intake page: loaded afresh through `Section.INTAKE` (which logs it)."""
    if ok and not request.htmx:  # type: ignore[attr-defined]
        if message:
            messages.success(request, message)
        return redirect(reverse("cases:intake", args=[case.pk]) + f"#{section}")
    # htmx: the fresh section shows the message itself (`section_message`); stored in the
    # messages framework too, it would show a second time on the next full page.
    case = access_case(request, case.pk, section=Section.INTAKE)
    template = f"{DETAIL}#{section}" if request.htmx else DETAIL  # type: ignore[attr-defined]
    context = _context(request, case, **bound)
    context["section_message"] = message if ok else ""
    context["refusal_section"] = section
    return render(request, template, context)


@object_access(access_case)
def intake_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_case(request, pk, section=Section.INTAKE)
    return render(request, DETAIL, _context(request, case))


@object_access(access_case)
@require_POST
def intake_take(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_case(request, pk, section=Section.INTAKE_COORDINATE)
    try:
        services.case_transition(case=case, to=CaseStatus.INTAKE, by=request.user)
    except workflow.TransitionRefused as refused:
        return _respond(request, case, "handling", ok=False, refusals=refused.reasons)
    return _respond(
        request, case, "handling", ok=True, message=_("The case is taken into handling.")
    )


@object_access(access_case)
@require_POST
def intake_assign(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_case(request, pk, section=Section.INTAKE_COORDINATE)
    form = AssignCasemanagerForm(
        request.POST, prefix="assign", casemanagers=selectors.casemanagers_with_caseload()
    )
    if not form.is_valid():
        return _respond(request, case, "casemanager", ok=False, assign_form=form)
    services.case_assign_casemanager(
        case=case, casemanager=form.cleaned_data["casemanager"], by=request.user
    )
    return _respond(request, case, "casemanager", ok=True, message=_("Casemanager assigned."))


@object_access(access_case)
@require_POST
def intake_criteria(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_case(request, pk, section=Section.INTAKE_CRITERIA)
    criteria = list(Criterion.objects.filter(is_active=True))
    form = CriteriaForm(request.POST, prefix="criteria", criteria=criteria)
    if not form.is_valid():
        return _respond(request, case, "criteria", ok=False, criteria_form=form)
    try:
        services.criteria_assess(case=case, answers=form.answers(), by=request.user)
    except workflow.TransitionRefused as refused:
        return _respond(request, case, "criteria", ok=False, refusals=refused.reasons)
    return _respond(request, case, "criteria", ok=True, message=_("Criteria assessment saved."))


@object_access(access_case)
@require_POST
def intake_override(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_case(request, pk, section=Section.INTAKE_COORDINATE)
    form = OverrideForm(request.POST, prefix="override")
    if not form.is_valid():
        return _respond(request, case, "criteria", ok=False, override_form=form)
    try:
        services.criteria_override_set(
            case=case,
            override=form.cleaned_data["override"],
            motivation=form.cleaned_data["motivation"],
            by=request.user,
        )
    except workflow.TransitionRefused as refused:
        return _respond(request, case, "criteria", ok=False, refusals=refused.reasons)
    return _respond(request, case, "criteria", ok=True, message=_("Override saved."))


@object_access(access_case)
@require_POST
def intake_consent(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_case(request, pk, section=Section.INTAKE_CHECKS)
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
    except workflow.TransitionRefused as refused:
        return _respond(request, case, "consent", ok=False, refusals=refused.reasons)
    return _respond(
        request, case, "consent", ok=True, message=_("Consent requested from the corporation.")
    )


@object_access(access_case)
@require_POST
def intake_kris(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_case(request, pk, section=Section.INTAKE_CHECKS)
    form = KrisForm(request.POST, prefix="kris")
    if not form.is_valid():
        return _respond(request, case, "kris", ok=False, kris_form=form)
    try:
        services.kris_record(case=case, by=request.user, **form.kris_data())
    except workflow.TransitionRefused as refused:
        return _respond(request, case, "kris", ok=False, refusals=refused.reasons)
    return _respond(request, case, "kris", ok=True, message=_("KRIS check result saved."))


@object_access(access_case)
@require_POST
def intake_screening_request(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_case(request, pk, section=Section.INTAKE_CHECKS)
    try:
        services.screening_request(case=case, by=request.user)
    except services.RequestStillOpenError as refused:
        return _respond(request, case, "screening", ok=False, refusals=[str(refused)])
    except workflow.TransitionRefused as refused:
        return _respond(request, case, "screening", ok=False, refusals=refused.reasons)
    return _respond(request, case, "screening", ok=True, message=_("Police screening requested."))


@object_access(access_case)
@require_POST
def intake_screening_waive(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_case(request, pk, section=Section.INTAKE_CHECKS)
    form = ScreeningWaiverForm(request.POST, prefix="waiver")
    if not form.is_valid():
        return _respond(request, case, "screening", ok=False, waiver_form=form)
    try:
        services.screening_waive(case=case, by=request.user, reason=form.cleaned_data["reason"])
    except services.RequestStillOpenError as refused:
        return _respond(request, case, "screening", ok=False, refusals=[str(refused)])
    except workflow.TransitionRefused as refused:
        return _respond(request, case, "screening", ok=False, refusals=refused.reasons)
    return _respond(request, case, "screening", ok=True, message=_("Police screening waived."))


@object_access(access_case)
@require_POST
def intake_recidivism(request: HttpRequest, pk: int, match_pk: int) -> HttpResponse:
    match = access_recidivism_match(request, pk, match_pk)
    case = match.case
    form = RecidivismForm(request.POST, prefix=f"recidivism-{match.pk}")
    if not form.is_valid():
        return _respond(
            request, case, "recidivism", ok=False, **{f"recidivism_form_{match.pk}": form}
        )
    try:
        services.recidivism_decide(
            match=match,
            confirmed=form.cleaned_data["decision"] == RecidivismDecision.CONFIRMED,
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    except workflow.TransitionRefused as refused:
        return _respond(request, case, "recidivism", ok=False, refusals=refused.reasons)
    return _respond(request, case, "recidivism", ok=True, message=_("Decision saved."))


@object_access(access_case)
@require_POST
def intake_attach(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_case(request, pk, section=Section.INTAKE_COORDINATE)
    form = AttachForm(
        request.POST, prefix="attach", duplicates=selectors.open_duplicates_for(case=case)
    )
    if not form.is_valid():
        return _respond(request, case, "duplicates", ok=False, attach_form=form)
    target = form.cleaned_data["target"]
    try:
        services.case_transition(
            case=case,
            to=CaseStatus.ATTACHED,
            by=request.user,
            motivation=_("Attached to %(number)s") % {"number": target.number},
            into=target,
        )
    except workflow.TransitionRefused as refused:
        return _respond(request, case, "duplicates", ok=False, refusals=refused.reasons)
    messages.success(
        request, _("The referral is attached to %(number)s.") % {"number": target.number}
    )
    return redirect("cases:intake", pk=target.pk)


@object_access(access_case)
@require_POST
def intake_accept(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_case(request, pk, section=Section.INTAKE_DECISION)
    form = AcceptForm(request.POST, prefix="accept")
    if not form.is_valid():
        return _respond(request, case, "decision", ok=False, accept_form=form)
    try:
        services.case_transition(
            case=case,
            to=CaseStatus.ACCEPTED,
            by=request.user,
            motivation=form.cleaned_data["motivation"],
        )
    except workflow.TransitionRefused as refused:
        return _respond(
            request, case, "decision", ok=False, accept_form=form, refusals=refused.reasons
        )
    return _respond(request, case, "decision", ok=True, message=_("The case is accepted."))


@object_access(access_case)
@require_POST
def intake_redirect(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_case(request, pk, section=Section.INTAKE_DECISION)
    form = RedirectForm(request.POST, prefix="redirect")
    if not form.is_valid():
        return _respond(request, case, "decision", ok=False, redirect_form=form)
    try:
        services.case_transition(
            case=case,
            to=CaseStatus.REDIRECTED,
            by=request.user,
            motivation=form.cleaned_data["reason"],
            target=RedirectTarget(form.cleaned_data["target"]),
        )
    except workflow.TransitionRefused as refused:
        return _respond(
            request, case, "decision", ok=False, redirect_form=form, refusals=refused.reasons
        )
    messages.success(request, _("The referral is redirected."))
    # A redirected case is closed for intake; the list is where the coordinator goes on.
    return redirect("cases:intake_list")


# --- Police screening result, for everyone who may see the case ------------------------


@object_access(access_case)
def screening_result(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_case(request, pk, section=Section.SCREENING_RESULT)
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


@rule_required(access.may_use_request_inbox)
def request_inbox(request: HttpRequest) -> HttpResponse:
    consents = [
        {"request": c, "deadline": selectors.consent_due_state(c)}
        for c in selectors.consent_requests_for_inbox(user=request.user)
    ]
    screenings = list(selectors.screening_requests_for_inbox(user=request.user))
    return render(
        request,
        "cases/intake/inbox.html",
        {"consents": consents, "screenings": screenings},
    )


@object_access(access_consent_request)
def consent_answer(request: HttpRequest, pk: int) -> HttpResponse:
    consent = access_consent_request(request, pk)
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
        except workflow.TransitionRefused as refused:
            refusals.extend(refused.reasons)
        except ValueError:
            refusals.append(_("This request has already been answered."))
        else:
            messages.success(request, _("Your answer has been recorded."))
            return redirect("cases:requests")
    return render(
        request,
        "cases/intake/consent_answer.html",
        {
            "consent": consent,
            "street": _street_only(consent.case),
            "nuisance_forms": selectors.request_nuisance_forms(case=consent.case),
            "deadline": selectors.consent_deadline_of(consent),
            "form": form,
            "refusals": refusals,
        },
    )


@object_access(access_screening)
def screening_record(request: HttpRequest, pk: int) -> HttpResponse:
    screening = access_screening(request, pk)
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
    refusals: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.screening_record(screening=screening, by=request.user, **form.cleaned_data)
        except workflow.TransitionRefused as refused:
            refusals.extend(refused.reasons)
        else:
            messages.success(request, _("The screening has been recorded."))
            return redirect("cases:requests")
    return render(
        request,
        "cases/intake/screening_record.html",
        {
            "screening": screening,
            "street": _street_only(screening.case),
            "nuisance_forms": selectors.request_nuisance_forms(case=screening.case),
            "form": form,
            "refusals": refusals,
        },
    )
