"""The privacy officer's pages for data-subject requests and the processing register.

Thin views: selectors read, services write, `privacy.access` decides (role permissions
`privacy.handle_data_subject_requests` and `privacy.view_processing_register`). Export files
are served only here, after the permission check, and each download is in the read log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit import readlog
from audit.readlog import Basis, ReadBasis, ReadWhat
from partners.access import permission_required

from . import processing, selectors, services
from .forms import (
    COMPLETE,
    ERASE,
    REFUSE,
    RESTRICT,
    DecisionForm,
    ExtendForm,
    PersonSearchForm,
    RequestForm,
)
from .models import ExportState, RequestKind, RequestStatus

HANDLE = "privacy.handle_data_subject_requests"


@permission_required("privacy.view_processing_register")
def processing_register(request: HttpRequest) -> HttpResponse:
    return render(request, "privacy/processing_register.html", processing.build())


@permission_required(HANDLE)
def retention_overview(request: HttpRequest) -> HttpResponse:
    """Which closed cases retention removes next, and the retention log (no names)."""
    return render(request, "privacy/retention.html", selectors.retention_overview())


@permission_required(HANDLE)
def request_list(request: HttpRequest) -> HttpResponse:
    rows = [{"request": r, "deadline": deadline} for r, deadline in selectors.request_list()]
    return render(request, "privacy/request_list.html", {"rows": rows})


@permission_required(HANDLE)
def request_new(request: HttpRequest) -> HttpResponse:
    """Step 1: find the person (GET); step 2: register the request (POST)."""
    search = PersonSearchForm(request.GET or None)
    persons: list[Any] = []
    if search.is_bound and search.is_valid():
        persons = selectors.person_search(**search.cleaned_data)
    form = RequestForm(
        request.POST or None,
        initial={
            "received_on": timezone.localdate(),
            "person": request.GET.get("person"),
            "kind": RequestKind.ACCESS,
        },
    )
    chosen = None
    person_pk = request.POST.get("person") or request.GET.get("person")
    if person_pk and str(person_pk).isdigit():
        chosen = next((p for p in persons if p.pk == int(person_pk)), None) or (
            selectors.person_search_by_pk(pk=int(person_pk))
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = services.request_register(
                person=data["person"],
                kind=data["kind"],
                received_on=data["received_on"],
                by=request.user,
                requester_name=data["requester_name"],
                requester_contact=data["requester_contact"],
                notes=data["notes"],
            )
        except services.RequestRefused:
            form.add_error(None, _("A request cannot be registered for this person."))
        else:
            messages.success(request, _("The request was registered."))
            return redirect("privacy_rights:request_detail", pk=created.pk)
    context = {"search": search, "persons": persons, "form": form, "chosen": chosen}
    shown = [chosen] if chosen else persons
    _log_read(request, persons=shown, case_id=chosen.case_id if chosen else None)
    return render(request, "privacy/request_new.html", context)


def _detail(request: HttpRequest, pk: int, subject: Any = None, **extra: Any) -> HttpResponse:
    subject = subject or selectors.request_get(pk=pk)
    decided = subject.status in (RequestStatus.COMPLETED, RequestStatus.REFUSED)
    context = {
        "subject": subject,
        "deadline": selectors.request_deadline(subject),
        "decided": decided,
        "extend_form": extra.pop("extend_form", None) or ExtendForm(),
        "decision_form": extra.pop("decision_form", None) or DecisionForm(request=subject),
        "is_access": subject.kind == RequestKind.ACCESS,
        **_export_state(subject),
        "open_cases": selectors.open_cases_of(person=subject.person)
        if subject.kind == RequestKind.ERASURE and not decided
        else [],
        **extra,
    }
    return render(request, "privacy/request_detail.html", context)


@permission_required(HANDLE)
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    subject = selectors.request_get(pk=pk)
    _log_read(request, persons=[subject.person], case_id=subject.person.case_id, object_id=pk)
    return _detail(request, pk, subject=subject)


def _log_read(
    request: HttpRequest,
    *,
    persons: list[Any],
    case_id: int | None = None,
    object_id: int | None = None,
) -> None:
    """The request pages show names and dates of birth: a read of personal data (NEN 7513)."""
    if persons:
        readlog.record(
            request,
            case_id=case_id,
            what=ReadWhat.DATA_SUBJECT_REQUEST,
            basis=Basis(ReadBasis.PRIVACY_AUDIT),
            person_ids=[person.pk for person in persons],
            object_id=object_id,
        )


@require_POST
@permission_required(HANDLE)
def request_extend(request: HttpRequest, pk: int) -> HttpResponse:
    subject = selectors.request_get(pk=pk)
    form = ExtendForm(request.POST)
    if not form.is_valid():
        return _detail(request, pk, extend_form=form)
    try:
        services.request_extend(
            request=subject, reason=form.cleaned_data["reason"], by=request.user
        )
    except services.RequestRefused:
        form.add_error(None, _("The deadline can be extended only once, before the decision."))
        return _detail(request, pk, extend_form=form)
    messages.success(request, _("The deadline was extended by two months."))
    return redirect("privacy_rights:request_detail", pk=pk)


@require_POST
@permission_required(HANDLE)
def request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    subject = selectors.request_get(pk=pk)
    form = DecisionForm(request.POST, request=subject)
    if not form.is_valid():
        return _detail(request, pk, decision_form=form)
    data = form.cleaned_data
    decision, reason = data["decision"], data.get("reason", "")
    try:
        if decision == REFUSE:
            services.request_refuse(request=subject, by=request.user, reason=reason)
        elif decision == ERASE:
            services.person_erase(
                request=subject, by=request.user, reason=reason, documents=data["documents"]
            )
        elif decision == RESTRICT:
            services.person_restrict(request=subject, by=request.user, reason=reason)
        elif decision == COMPLETE:
            services.request_complete(
                request=subject,
                by=request.user,
                reason=reason,
                rectification=data.get("rectification", ""),
            )
    except services.ErasureNotRecorded:
        form.add_error(
            None,
            _(
                "The erasure could not be recorded in the erasure ledger, so nothing was "
                "erased. Ask the administrator to check the ledger's disk and try again."
            ),
        )
        return _detail(request, pk, decision_form=form)
    except services.RequestRefused:
        form.add_error(
            None,
            _("This decision is not possible now. For access, produce the export first."),
        )
        return _detail(request, pk, decision_form=form)
    messages.success(request, _("The decision was recorded."))
    return redirect("privacy_rights:request_detail", pk=pk)


# --- Access export ------------------------------------------------------------------------


def _export_state(subject: Any) -> dict[str, Any]:
    review = selectors.export_review_latest(request=subject)
    return {
        "subject": subject,
        "released": selectors.export_released(request=subject, review=review),
        "review": review,
    }


@permission_required(HANDLE)
def export_review(request: HttpRequest, pk: int) -> HttpResponse:
    """The officer reads the passages of the export that may be about others and marks what
    is withheld (AVG art. 15(4)); the review is recorded (who, when, what)."""
    subject = selectors.request_get(pk=pk)
    if subject.kind != RequestKind.ACCESS:
        raise Http404
    rows = selectors.export_review_candidates(request=subject)
    error = ""
    if request.method == "POST":
        try:
            services.export_review_record(
                request=subject,
                by=request.user,
                withhold=request.POST.getlist("withhold"),
                note=request.POST.get("note", "")[:5000],
            )
        except services.RequestRefused:
            error = _(
                "Only passages listed here can be withheld, and only while the request is open."
            )
        else:
            messages.success(
                request, _("The review was recorded. Produce the export to release it.")
            )
            return redirect(reverse("privacy_rights:request_detail", args=[pk]) + "#export")
    _log_read(request, persons=[subject.person], case_id=subject.person.case_id, object_id=pk)
    return render(
        request,
        "privacy/export_review.html",
        {"subject": subject, "rows": rows, "error": error, **_export_state(subject)},
    )


@require_POST
@permission_required(HANDLE)
def export_start(request: HttpRequest, pk: int) -> HttpResponse:
    subject = selectors.request_get(pk=pk)
    try:
        subject = services.export_start(request=subject, by=request.user)
    except services.RequestRefused:
        raise Http404 from None
    if getattr(request, "htmx", False):
        return render(request, "privacy/request_detail.html#export", _export_state(subject))
    return redirect(reverse("privacy_rights:request_detail", args=[pk]) + "#export")


@permission_required(HANDLE)
def export_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress fragment the page polls (htmx) while the export runs."""
    subject = selectors.request_get(pk=pk)
    return render(request, "privacy/request_detail.html#export", _export_state(subject))


@permission_required(HANDLE)
def export_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    subject = selectors.request_get(pk=pk)
    field = {"json": subject.export_json, "pdf": subject.export_pdf}.get(fmt)
    if subject.task_state != ExportState.DONE or not field:
        raise Http404
    if not selectors.export_released(request=subject):
        raise Http404  # not reviewed since it was produced: not released
    readlog.record(
        request,
        case_id=subject.person.case_id,
        what=ReadWhat.EXPORT,
        basis=Basis(ReadBasis.PRIVACY_AUDIT, f"data-subject request {subject.pk}"),
        person_ids=[subject.person.pk],
        object_id=subject.pk,
    )
    response = FileResponse(
        field.open("rb"),
        as_attachment=True,
        filename=f"inzage-{subject.pk}.{fmt}",
        content_type="application/pdf" if fmt == "pdf" else "application/json",
    )
    response["Cache-Control"] = "private, no-store"
    return response
