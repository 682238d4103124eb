"""The privacy officer's lawful-basis catalogue (DOMAIN.md §7) and the review of items that
carry no basis from it yet (rows from before the catalogue). Thin views: cases' services
write, `privacy.selectors` read; permission `privacy.handle_data_subject_requests`.

The review pages show what the officer needs to pick a basis (case number, kind of item,
sharing organisation, date, the old value) and no content of the item."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import services as case_services
from cases.forms.lawful_basis import LawfulBasisFormMixin
from cases.models import LawfulBasis
from partners.access import permission_required

from . import selectors
from .basis_forms import LawfulBasisForm

HANDLE = "privacy.handle_data_subject_requests"


@permission_required(HANDLE)
def basis_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "privacy/basis_list.html",
        {
            "bases": LawfulBasis.objects.order_by("-is_active", "label"),
            "to_review": selectors.basis_review_count(),
        },
    )


@permission_required(HANDLE)
def basis_new(request: HttpRequest) -> HttpResponse:
    form = LawfulBasisForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        case_services.lawful_basis_save(basis=form.instance, by=request.user)
        messages.success(request, _("The lawful basis was added."))
        return redirect("privacy_rights:basis_list")
    return render(request, "privacy/basis_form.html", {"form": form, "basis": None})


@permission_required(HANDLE)
def basis_edit(request: HttpRequest, pk: int) -> HttpResponse:
    basis = get_object_or_404(LawfulBasis, pk=pk)
    form = LawfulBasisForm(request.POST or None, instance=basis)
    if request.method == "POST" and form.is_valid():
        case_services.lawful_basis_save(basis=form.instance, by=request.user)
        messages.success(request, _("The lawful basis was changed."))
        return redirect("privacy_rights:basis_list")
    return render(
        request,
        "privacy/basis_form.html",
        {"form": form, "basis": basis, "history": selectors.basis_history(basis=basis)},
    )


@require_POST
@permission_required(HANDLE)
def basis_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    basis = get_object_or_404(LawfulBasis, pk=pk)
    active = request.POST.get("active") == "1"
    case_services.lawful_basis_set_active(basis=basis, active=active, by=request.user)
    if active:
        messages.success(request, _("The lawful basis is offered again."))
    else:
        messages.success(
            request, _("The lawful basis is no longer offered; items that use it keep it.")
        )
    return redirect("privacy_rights:basis_list")


@permission_required(HANDLE)
def basis_review_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "privacy/basis_review_list.html", {"rows": selectors.basis_review_rows()}
    )


class ReviewForm(LawfulBasisFormMixin):
    field_order = ["data_category", "lawful_basis", "consent_date", "basis_motivation"]


@permission_required(HANDLE)
def basis_review(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    item = selectors.basis_review_item(kind=kind, pk=pk)
    if item is None:
        raise Http404
    organisation = item.sharing_organisation
    form = ReviewForm(
        request.POST or None,
        organisation_kind=organisation.kind if organisation is not None else "",
        initial={"data_category": item.data_category},
    )
    if request.method == "POST" and form.is_valid():
        case_services.shared_item_basis_review(
            item=item, by=request.user, **form.lawful_basis_data()
        )
        messages.success(request, _("The lawful basis was recorded."))
        return redirect("privacy_rights:basis_review_list")
    return render(
        request,
        "privacy/basis_review.html",
        {"form": form, "row_list": [selectors.basis_review_row(kind=kind, item=item)]},
    )
