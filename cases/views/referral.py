"""The referral in the browser: start a draft, fill it in, submit it, follow its status.

Thin views: forms validate, `cases.services` writes, `cases.selectors_referral` reads and
`cases.access` decides who may (`access_referral` loads the draft and logs the read). Works without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from partners.access import permission_required

from .. import access, postcodes, selectors_referral, services
from ..choices import CaseStatus
from ..domain.workflow import TransitionRefused
from ..forms.referral import PERSON_FORMSETS, ReferralForm
from ..models import Referral

REFER = "cases.refer_case"


@permission_required(REFER)
def referral_start(request: HttpRequest) -> HttpResponse:
    """GET: what a referral is, and the drafts to continue. POST: start a new draft."""
    if request.method == "POST":
        try:
            referral = services.referral_start(by=request.user)
        except PermissionError as error:  # no organisation: nobody refers as a private person
            raise PermissionDenied from error
        return redirect("cases:referral_edit", pk=referral.pk)
    drafts = [
        referral
        for referral in selectors_referral.my_referrals(user=request.user).filter(
            case__status=CaseStatus.DRAFT
        )
    ]
    return render(request, "cases/referral/start.html", {"drafts": drafts})


def _initial(referral: Referral) -> dict[str, Any]:
    case = referral.case
    return {
        "organisation": referral.organisation_id,
        "contact_name": referral.contact_name,
        "contact_phone": referral.contact_phone,
        "contact_email": referral.contact_email,
        "postcode": postcodes.display_postcode(case.postcode),
        "house_number": case.house_number,
        "house_number_addition": case.house_number_addition,
        "street": case.street,
        "city": case.city,
        "district": case.district_id,
        "housing_type": case.housing_type,
        "corporation": case.corporation_id,
        "nuisance_forms": referral.nuisance_forms,
        "nuisance_since": referral.nuisance_since,
        "backgrounds": referral.backgrounds,
        "description": referral.description,
        "actions_taken": referral.actions_taken,
        "is_urgent": referral.is_urgent,
        "urgency_reason": referral.urgency_reason,
        "version": referral.version,
    }


def _person_initial(referral: Referral) -> dict[str, list[dict[str, Any]]]:
    initial: dict[str, list[dict[str, Any]]] = {prefix: [] for prefix, *_ in PERSON_FORMSETS}
    by_role = {role: prefix for prefix, _cls, role, *_ in PERSON_FORMSETS}
    for person in referral.case.persons.order_by("pk"):
        prefix = by_role.get(person.role)
        if prefix is not None:
            initial[prefix].append(
                {
                    "id": person.pk,
                    "first_name": person.first_name,
                    "last_name": person.last_name,
                    "date_of_birth": person.date_of_birth,
                    "phone": person.phone,
                    "notes": person.notes,
                    "consents_to_contact": person.consents_to_contact,
                }
            )
    return initial


def _build_forms(
    request: HttpRequest, referral: Referral, data: Any = None, *, submitting: bool = False
) -> tuple[ReferralForm, list[tuple[Any, Any, Any]]]:
    person_initial = _person_initial(referral)
    form = ReferralForm(
        data,
        initial=_initial(referral),
        submitting=submitting,
        choose_organisation=access.may_refer_on_behalf(request.user),
    )
    formsets = [
        (
            formset_class(
                data, prefix=prefix, initial=person_initial[prefix], submitting=submitting
            ),
            legend,
            description,
        )
        for prefix, formset_class, _role, legend, description in PERSON_FORMSETS
    ]
    return form, formsets


@permission_required(REFER)
def referral_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Fill in a draft. "Save draft" checks formats only; "Submit referral" checks all."""
    referral = access.access_referral(request, pk)
    if referral.case.status != CaseStatus.DRAFT:
        return redirect("cases:referral_received", pk=referral.pk)
    submitting = request.POST.get("action") == "submit"
    data = request.POST if request.method == "POST" else None
    form, formsets = _build_forms(request, referral, data, submitting=submitting)
    if data is not None:
        valid = form.is_valid()
        valid = all([fs.is_valid() for fs, *_ in formsets]) and valid
        if valid:
            try:
                with transaction.atomic():
                    services.referral_update(
                        referral=referral,
                        by=request.user,
                        version=form.cleaned_data["version"],
                        referral_data=form.referral_data(),
                        case_data=form.case_data(),
                        persons=[person for fs, *_ in formsets for person in fs.persons()],
                    )
                    if submitting:
                        services.case_transition(
                            case=referral.case,
                            to=CaseStatus.REFERRED,
                            by=request.user,
                            referral=referral,
                        )
            except services.StaleEdit as error:
                # Keep every value typed; carry the current version so a second save works.
                fresh = request.POST.copy()
                fresh["version"] = str(Referral.objects.get(pk=referral.pk).version)
                form, formsets = _build_forms(request, referral, fresh, submitting=submitting)
                form.is_valid()
                form.add_error(None, str(error))
            except TransitionRefused as error:
                form.add_error(None, "; ".join(str(reason) for reason in error.reasons))
            else:
                if submitting:
                    return redirect("cases:referral_received", pk=referral.pk)
                return redirect(f"{request.path}?saved=1")
    return render(
        request,
        "cases/referral/edit.html",
        {
            "referral": referral,
            "form": form,
            "formsets": formsets,
            "saved": request.method == "GET" and request.GET.get("saved") == "1",
            "person_errors": data is not None
            and any(fs.total_error_count() for fs, *_ in formsets),
        },
    )


@permission_required(REFER)
def referral_received(request: HttpRequest, pk: int) -> HttpResponse:
    """After submitting: the case number and status, nothing of the content."""
    referral = selectors_referral.referral_get_for_referrer(user=request.user, pk=pk)
    if referral.case.status == CaseStatus.DRAFT:
        return redirect("cases:referral_edit", pk=referral.pk)
    return render(
        request,
        "cases/referral/received.html",
        {"referral": referral, "status": selectors_referral.referral_status(referral.case)},
    )


@permission_required(REFER)
def my_referrals(request: HttpRequest) -> HttpResponse:
    """The referrals of the user's organisation: number, the address the referrer entered,
    the status in the case team's words and the date of its last change. Nothing the case
    team added."""
    referrals = list(selectors_referral.my_referrals(user=request.user))
    access.log_referral_list(request, referrals)
    rows = [
        {"referral": referral, "status": selectors_referral.referral_status(referral.case)}
        for referral in referrals
    ]
    return render(request, "cases/referral/my_referrals.html", {"rows": rows})
