"""The privacy officer's view of the read log: access by user, access to a case, unusual
access, each as a page and as a streaming CSV export.

Role-level pages (`privacy.audit_access`, 403 for other signed-in users). The officer sees
who read what, never the case content itself. Their own look-ups are read-log rows too
(basis "privacy officer's audit"), so the watchers are watched.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import readlog
from audit.models import ReadLogEntry
from audit.readlog import Basis, ReadBasis, ReadWhat
from cases.access import may_request_emergency_access
from cases.models import Case
from partners.access import permission_required, rule_required
from partners.models import User

from . import selectors_audit
from .audit_forms import CaseLookupForm, PeriodForm, UserLookupForm
from .emergency import EmergencyAccessForm, EmergencyAccessRefused, emergency_access_grant

AUDIT = "privacy.audit_access"
PAGE_SIZE = 50


def _log(
    request: HttpRequest, *, what: ReadWhat, case: Case | None = None, object_id: int | None = None
) -> None:
    readlog.record(
        request,
        case_id=case.pk if case else None,
        what=what,
        object_id=object_id,
        basis=Basis(ReadBasis.PRIVACY_AUDIT),
    )


@permission_required(AUDIT)
def index(request: HttpRequest) -> HttpResponse:
    """Look up access by user or to a case (by case number)."""
    user_form = UserLookupForm(request.GET if "user" in request.GET else None)
    case_form = CaseLookupForm(request.GET if "number" in request.GET else None)
    if user_form.is_bound and user_form.is_valid():
        return redirect("privacy_audit:by_user", pk=user_form.cleaned_data["user"].pk)
    if case_form.is_bound and case_form.is_valid():
        return redirect("privacy_audit:by_case", pk=case_form.cleaned_data["case"].pk)
    return render(
        request, "privacy/audit/index.html", {"user_form": user_form, "case_form": case_form}
    )


def _page(request: HttpRequest, rows: Any) -> Any:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


@permission_required(AUDIT)
def by_user(request: HttpRequest, pk: int) -> HttpResponse:
    subject = get_object_or_404(User.objects.select_related("organisation"), pk=pk)
    _log(request, what=ReadWhat.ACCESS_LOG, object_id=subject.pk)  # first: counted on the page
    page = _page(request, selectors_audit.reads_by_user(user_id=subject.pk))
    return render(request, "privacy/audit/by_user.html", {"subject": subject, "page": page})


@permission_required(AUDIT)
def by_case(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_object_or_404(Case.objects.exclude(number=None), pk=pk)
    _log(request, what=ReadWhat.ACCESS_LOG, case=case)  # first: counted on the page
    page = _page(request, selectors_audit.reads_of_case(case_id=case.pk))
    return render(request, "privacy/audit/by_case.html", {"case": case, "page": page})


@rule_required(may_request_emergency_access)
def emergency(request: HttpRequest) -> HttpResponse:
    """'Break the glass': open a case outside one's own involvement, with a motivation."""
    form = EmergencyAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case = form.cleaned_data["case"]
        try:
            emergency_access_grant(
                case=case, motivation=form.cleaned_data["motivation"], by=request.user
            )
        except EmergencyAccessRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.warning(
                request,
                _("Emergency access to %(number)s is recorded. Every page you open is logged.")
                % {"number": case.number},
            )
            return redirect("cases:detail", pk=case.pk)
    return render(request, "privacy/emergency.html", {"form": form})


@permission_required(AUDIT)
def unusual(request: HttpRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    days = form.cleaned_data["days"] if form.is_valid() else PeriodForm.DEFAULT_DAYS
    since = selectors_audit.default_since(days)
    context = {
        "form": form,
        "days": days,
        "cases": settings.UNUSUAL_ACCESS_CASES,
        "minutes": settings.UNUSUAL_ACCESS_MINUTES,
        "rows": selectors_audit.unusual_access(since=since),
        "emergencies": list(selectors_audit.emergency_reads(since=since)[:PAGE_SIZE]),
        "refusals": list(selectors_audit.refused_attempts(since=since)[:PAGE_SIZE]),
    }
    _log(request, what=ReadWhat.ACCESS_LOG)
    return render(request, "privacy/audit/unusual.html", context)


# --- CSV exports (streaming) -------------------------------------------------------------


class _Echo:
    def write(self, value: str) -> str:
        return value


def _safe(value: Any) -> str:
    """A cell as text; a leading =, +, -, @ is neutralised (no formulas in spreadsheets)."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def _csv_rows(entries: Iterable[ReadLogEntry]) -> Iterator[list[str]]:
    yield [
        _("When (Europe/Amsterdam)"),
        _("User"),
        _("E-mail address"),
        _("Organisation"),
        _("Roles"),
        _("Case number"),
        _("Persons"),
        _("What"),
        _("Item"),
        _("Basis"),
        _("Motivation"),
        _("IP address"),
        _("Session"),
    ]
    for e in entries:
        yield [
            _safe(timezone.localtime(e.at).isoformat(timespec="seconds")),
            _safe(e.user.get_full_name()),
            _safe(e.user.email),
            _safe(e.organisation.name if e.organisation else ""),
            _safe(", ".join(e.role_labels)),
            _safe(e.case.number if e.case else ""),
            _safe(" ".join(str(p) for p in e.person_ids)),
            _safe(e.get_what_display()),
            _safe(e.object_id or ""),
            _safe(e.get_basis_display()),
            _safe(e.motivation),
            _safe(e.ip_address or ""),
            _safe(e.session_hash),
        ]


def _csv_response(entries: Any, filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())
    rows = (writer.writerow(row) for row in _csv_rows(entries.iterator(chunk_size=2000)))
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@permission_required(AUDIT)
def by_user_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    subject = get_object_or_404(User, pk=pk)
    _log(request, what=ReadWhat.EXPORT, object_id=subject.pk)
    return _csv_response(
        selectors_audit.reads_by_user(user_id=subject.pk), f"toegang-gebruiker-{subject.pk}.csv"
    )


@permission_required(AUDIT)
def by_case_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    case = get_object_or_404(Case.objects.exclude(number=None), pk=pk)
    _log(request, what=ReadWhat.EXPORT, case=case)
    return _csv_response(
        selectors_audit.reads_of_case(case_id=case.pk), f"toegang-{case.number}.csv"
    )


@permission_required(AUDIT)
def unusual_csv(request: HttpRequest) -> StreamingHttpResponse:
    """The reads behind the unusual-access list: every read outside own work of the users
    found, in the period."""
    form = PeriodForm(request.GET or None)
    days = form.cleaned_data["days"] if form.is_valid() else PeriodForm.DEFAULT_DAYS
    since = selectors_audit.default_since(days)
    users = [row.user.pk for row in selectors_audit.unusual_access(since=since)]
    entries = (
        ReadLogEntry.objects.select_related("user", "organisation", "case")
        .filter(user_id__in=users, at__gte=since)
        .exclude(basis__in=selectors_audit.OWN_WORK)
        .order_by("user_id", "at", "pk")
    )
    _log(request, what=ReadWhat.EXPORT)
    return _csv_response(entries, "ongebruikelijke-toegang.csv")
