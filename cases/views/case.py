"""The case list, the case page and what the case team and involved partners do on it.

Thin views: selectors read, services write, `cases.access` decides. Every view that takes
a case pk loads it through an `access_*` function (404 for outsiders, 403 for a section the
role may not use, the read-log row written there).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from partners.access import object_access, permission_required
from partners.models import User
from woonoverlast.forms import posted_with_version

from .. import access, extensions, selectors, services
from ..access import Section, access_case, access_document, access_journal_entry
from ..choices import CaseStatus
from ..domain import workflow
from ..forms.case import (
    CaseDetailsForm,
    CaseFilterForm,
    DocumentForm,
    InvolvementEndForm,
    InvolvementForm,
    JournalEntryForm,
    SensitiveShareForm,
    TransitionForm,
)
from ..models import Case
from . import evaluation

PAGE_SIZE = 25
# Steps that need more than a button (a target, a case to attach to): on the intake page.
INTAKE_PAGE_TARGETS = frozenset({CaseStatus.REDIRECTED, CaseStatus.ATTACHED})


def _intake_url(case: Case) -> str | None:
    try:
        return reverse("cases:intake", args=[case.pk])
    except NoReverseMatch:
        return None


def _intake_links(user: User, case: Case) -> list[dict[str, str]]:
    """Links from the case page to the intake sections the user may use: the intake page for
    the case team, the screening result for everyone who sees the case, and the consent or
    screening request that waits for the user's own organisation."""
    requests = selectors.case_requests_for_user(user=user, case=case)
    links = []
    if access.may_open_intake(user, case):
        links.append(
            {"name": "intake", "url": reverse("cases:intake", args=[case.pk]), "label": _("Intake")}
        )
    if requests["has_screenings"]:
        links.append(
            {
                "name": "screening_result",
                "url": reverse("cases:screening_result", args=[case.pk]),
                "label": _("Police screening"),
            }
        )
    if requests["open_consent"] is not None:
        links.append(
            {
                "name": "consent_answer",
                "url": reverse("cases:consent_answer", args=[requests["open_consent"].pk]),
                "label": _("Answer the consent request"),
            }
        )
    if requests["open_screening"] is not None:
        links.append(
            {
                "name": "screening_record",
                "url": reverse("cases:screening_record", args=[requests["open_screening"].pk]),
                "label": _("Record the police screening"),
            }
        )
    return links


@require_safe
@permission_required("cases.view_case_content")
def case_list(request: HttpRequest) -> HttpResponse:
    form = CaseFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    today = timezone.localdate()
    cases = selectors.case_list_filtered(user=request.user, today=today, **filters)
    page = selectors.page_of(
        cases,
        request.GET.get("page"),
        per_page=PAGE_SIZE,
        load=lambda ids: selectors.case_list_rows(ids, today=today),
        all_ids=bool(filters.get("query")),  # a search: its matches read once
    )
    rows = [
        {
            "case": case,
            "full_address": access.may_see_full_address(request.user, case),
            "intake_deadline": selectors.intake_due_state(case),
        }
        for case in page.object_list
    ]
    access.log_case_list(request, [row["case"] for row in rows])
    context = {"form": form, "page": page, "rows": rows}
    template = "cases/case/list.html"
    if getattr(request, "htmx", False) and not request.htmx.boosted:
        template += "#case_table"
    return render(request, template, context)


def _case_page(
    request: HttpRequest, case: Case, *, status: int = 200, **extra: Any
) -> HttpResponse:
    """The case page for a case loaded with `Section.CASE_PAGE` (which logged the read)."""
    user = request.user
    facts = services.case_facts(case=case, by=user)
    steps = [t for t in workflow.allowed_transitions(facts) if t.target not in INTAKE_PAGE_TARGETS]
    context: dict[str, Any] = {
        "case": case,
        **selectors.case_page(
            user=user,
            case=case,
            journal_page=request.GET.get("journal_page"),
            history_page=request.GET.get("history_page"),
        ),
        "steps": steps,
        "terminal_targets": workflow.TERMINAL_STATUSES,
        "intake_url": _intake_url(case) if access.is_case_team(user, case) else None,
        "intake_links": _intake_links(user, case),
        "is_case_team": access.is_case_team(user, case),
        "may_manage_involvement": access.may_manage_involvement(user, case),
        "may_contribute": access.may_contribute_to_case(user, case),
        "may_edit": access.may_edit_case_details(user, case),
        **evaluation.case_page_section(user, case, steps),
        # Sections of feature apps above cases (early signals), each for whom it decides.
        "extra_panels": extensions.case_panels(request, case),
        **extra,
    }
    return render(request, "cases/case_detail.html", context, status=status)


@require_safe
@object_access(access_case)
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_page(request, access_case(request, pk, section=Section.CASE_PAGE))


@require_POST
@object_access(access_case)
def case_transition(request: HttpRequest, pk: int) -> HttpResponse:
    """A status step from the case page; the workflow table decides who may take it."""
    case = access_case(request, pk, section=Section.TRANSITION)
    form = TransitionForm(request.POST)
    if not form.is_valid() or form.cleaned_data["to"] in INTAKE_PAGE_TARGETS:
        return _case_page(
            request,
            access_case(request, pk, section=Section.CASE_PAGE),
            refusal=[_("This step is not possible from the current status.")],
        )
    target = CaseStatus(form.cleaned_data["to"])
    if workflow.is_terminal(target) and not form.cleaned_data["confirm"]:
        # An irreversible step: asked once more, with the reason typed kept.
        return _case_page(
            request,
            access_case(request, pk, section=Section.CASE_PAGE),
            refusal=[
                _(
                    "Confirm that you want to take this step: the case can then no longer be changed."
                )
            ],
            typed_step=target,
            typed_motivation=form.cleaned_data["motivation"],
        )
    try:
        case = services.case_transition(
            case=case, to=target, by=request.user, motivation=form.cleaned_data["motivation"]
        )
    except workflow.TransitionRefused as refused:
        return _case_page(
            request, access_case(request, pk, section=Section.CASE_PAGE), refusal=refused.reasons
        )
    messages.success(
        request, _("The case is now: %(status)s.") % {"status": case.get_status_display()}
    )
    return redirect("cases:detail", pk=case.pk)


@object_access(access_case)
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Address and housing corrections, with optimistic locking on `Case.version`."""
    case = access_case(request, pk, section=Section.EDIT_DETAILS)
    form = CaseDetailsForm(request.POST or None, instance=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_details_update(
                case=case,
                by=request.user,
                version=form.cleaned_data["version"],
                data=form.changes(),
            )
        except services.StaleEdit as error:
            form = CaseDetailsForm(
                posted_with_version(request.POST, error.current_version), instance=case
            )
            form.is_valid()
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The case details were saved."))
            return redirect(reverse("cases:detail", args=[case.pk]) + "#summary")
    return render(request, "cases/case/details_form.html", {"case": case, "form": form})


# --- Involved organisations ----------------------------------------------------------


@object_access(access_case)
def involvement_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_case(request, pk, section=Section.MANAGE_INVOLVEMENT)
    form = InvolvementForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        services.involvement_add(case=case, organisation=organisation, by=request.user)
        messages.success(
            request, _("%(organisation)s is now involved.") % {"organisation": organisation}
        )
        return redirect(reverse("cases:detail", args=[case.pk]) + "#involved")
    return render(request, "cases/case/involvement_form.html", {"case": case, "form": form})


@object_access(access_case)
def involvement_end(request: HttpRequest, pk: int, organisation_pk: int) -> HttpResponse:
    """End an organisation's involvement: a confirmation page that asks the reason."""
    case = access_case(request, pk, section=Section.MANAGE_INVOLVEMENT)
    organisation = selectors.involved_organisations(case=case).filter(pk=organisation_pk).first()
    if organisation is None:
        raise PermissionDenied
    form = InvolvementEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.involvement_end(
            case=case,
            organisation=organisation,
            by=request.user,
            reason=form.cleaned_data["reason"],
        )
        messages.success(
            request, _("%(organisation)s is no longer involved.") % {"organisation": organisation}
        )
        return redirect(reverse("cases:detail", args=[case.pk]) + "#involved")
    return render(
        request,
        "cases/case/involvement_end.html",
        {"case": case, "organisation": organisation, "form": form},
    )


@require_POST
@object_access(access_case)
def sensitive_share(request: HttpRequest, pk: int) -> HttpResponse:
    """Share the referral's suspected backgrounds and description and the neighbours' contact
    details with an involved organisation, or take the share back (the case team)."""
    case = access_case(request, pk, section=Section.MANAGE_INVOLVEMENT)
    form = SensitiveShareForm(request.POST, case=case)
    if not form.is_valid():
        messages.error(request, _("Pick an organisation involved in the case."))
        return redirect(reverse("cases:detail", args=[case.pk]) + "#referrals")
    organisation = form.cleaned_data["organisation"]
    if form.cleaned_data["action"] == "share":
        services.sensitive_share(case=case, organisation=organisation, by=request.user)
        messages.success(
            request,
            _(
                "%(organisation)s now sees the suspected backgrounds, the description and the "
                "neighbours' contact details."
            )
            % {"organisation": organisation},
        )
    else:
        services.sensitive_unshare(case=case, organisation=organisation, by=request.user)
        messages.success(
            request,
            _("These details are for the case team again, not for %(organisation)s.")
            % {"organisation": organisation},
        )
    return redirect(reverse("cases:detail", args=[case.pk]) + "#referrals")


# --- Journal -------------------------------------------------------------------------


def _organisation_kind(request: HttpRequest) -> str:
    organisation = request.user.organisation
    return organisation.kind if organisation is not None else ""


@object_access(access_case)
def journal_add(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_case(request, pk, section=Section.CONTRIBUTE)
    form = JournalEntryForm(
        request.POST or None,
        case=case,
        organisation_kind=_organisation_kind(request),
        initial={"occurred_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.journal_entry_add(
            case=case,
            by=request.user,
            kind=data["kind"],
            occurred_on=data["occurred_on"],
            participants=data["participants"],
            text=data["text"],
            confidentiality=data["confidentiality"],
            visible_to=list(data["visible_to"]),
            **form.lawful_basis_data(),
        )
        messages.success(request, _("The journal entry was added."))
        return redirect(reverse("cases:detail", args=[case.pk]) + "#journal")
    return render(request, "cases/case/journal_form.html", {"case": case, "form": form})


@object_access(access_journal_entry)
def journal_entry(request: HttpRequest, pk: int, entry_pk: int) -> HttpResponse:
    entry = access_journal_entry(request, pk, entry_pk)
    return render(request, "cases/case/journal_entry.html", {"case": entry.case, "entry": entry})


# --- Documents -----------------------------------------------------------------------


@object_access(access_case)
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    case = access_case(request, pk, section=Section.CONTRIBUTE)
    form = DocumentForm(
        request.POST or None,
        request.FILES or None,
        case=case,
        organisation_kind=_organisation_kind(request),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.document_add(
            case=case,
            by=request.user,
            title=data["title"],
            upload=data["file"],
            confidentiality=data["confidentiality"],
            visible_to=list(data["visible_to"]),
            **form.lawful_basis_data(),
        )
        messages.success(request, _("The document was added."))
        return redirect(reverse("cases:detail", args=[case.pk]) + "#documents")
    return render(request, "cases/case/document_form.html", {"case": case, "form": form})


@object_access(access_document)
def document_download(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    document = access_document(request, pk, document_pk)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
