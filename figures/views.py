"""The annual report (page, CSV, PDF) and the result agreements.

Aggregates only: no access function per object and no read log (nothing here names a
person; docs/figures.md). Managers and the advisory and steering groups reach these pages
and no case page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from partners.access import rule_required
from partners.models import User

from . import services
from .access import may_manage_result_agreements, may_view_figures
from .export import filename, period_label, report_csv, report_pdf
from .forms import ReportForm, ResultAgreementForm
from .models import ResultAgreement
from .report import Report, build_report


def _report(request: HttpRequest) -> tuple[ReportForm, Report | None]:
    form = ReportForm(request.GET or None)
    scope = form.scope()
    if scope is None:
        return form, None
    network = form.cleaned_data.get("netwerk") if form.is_bound else None
    report = build_report(
        scope, today=timezone.localdate(), network_name=network.name if network else ""
    )
    return form, report


@require_safe
@rule_required(may_view_figures)
def annual_report(request: HttpRequest) -> HttpResponse:
    form, report = _report(request)
    return render(
        request,
        "figures/report.html",
        {
            "form": form,
            "report": report,
            "period": period_label(report) if report else "",
            "query": request.GET.urlencode(),
            "may_manage": may_manage_result_agreements(request.user),
        },
    )


def _download(content: bytes | str, *, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_safe
@rule_required(may_view_figures)
def annual_report_csv(request: HttpRequest) -> HttpResponse:
    form, report = _report(request)
    if report is None:
        return redirect("figures:report")
    return _download(
        report_csv(report), content_type="text/csv; charset=utf-8", name=filename(report, "csv")
    )


@require_safe
@rule_required(may_view_figures)
def annual_report_pdf(request: HttpRequest) -> HttpResponse:
    form, report = _report(request)
    if report is None:
        return redirect("figures:report")
    user = request.user
    recipient = (user.get_full_name() or user.email) if isinstance(user, User) else ""
    return _download(
        report_pdf(report, recipient=recipient),
        content_type="application/pdf",
        name=filename(report, "pdf"),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@rule_required(may_manage_result_agreements)
def agreements(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """The list of result agreements with a form to add one, or to change agreement `pk`."""
    instance = get_object_or_404(ResultAgreement, pk=pk) if pk is not None else None
    form = ResultAgreementForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        assert isinstance(request.user, User)
        services.result_agreement_save(form=form, by=request.user)
        messages.success(request, _("The result agreement is saved."))
        return redirect("figures:agreements")
    rows = ResultAgreement.objects.select_related("network").order_by(
        "-year", "network__name", "figure"
    )
    return render(
        request,
        "figures/agreements.html",
        {"form": form, "agreements": rows, "editing": instance},
    )
