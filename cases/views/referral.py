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
from woonoverlast.forms import posted_with_version

from .. import access, postcodes, selectors_referral, services
from ..choices import CaseStatus
from ..domain.workflow import TransitionRefused
from ..forms.referral import MAX_PERSONS, PERSON_FORMSETS, ReferralForm
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
        "referrer_reference": referral.referrer_reference,
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


ADD_PERSON = "add-"


def _with_one_more_row(data: Any, prefix: str) -> Any:
    """The posted data with one more (blank) row in the formset `prefix`, up to its maximum."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        total = int(data.get(key, "0"))
    except ValueError:
        total = 0
    data[key] = str(max(0, min(total + 1, MAX_PERSONS)))
    return data


def _person_error_links(formsets: list[tuple[Any, Any, Any]]) -> list[dict[str, Any]]:
    """For the error summary: a link to every person field with an error (each formset's
    own errors link to the formset)."""
    links: list[dict[str, Any]] = []
    for formset, legend, _description in formsets:
        for error in formset.non_form_errors():
            links.append({"href": f"{formset.prefix}-errors", "label": legend, "error": error})
        for number, form in enumerate(formset.forms, start=1):
            for field in form:
                if field.errors:
                    links.append(
                        {
                            "href": field.id_for_label or field.auto_id,
                            "label": f"{legend} {number}, {field.label}",
                            "error": field.errors[0],
                        }
                    )
    return links


@permission_required(REFER)
def referral_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Fill in a draft. "Save draft" checks formats only; "Submit referral" checks all.
    "Add a person" (`action=add-<prefix>`) saves nothing: the form comes back with everything
    typed and one more blank row for that role (with htmx only that role's fieldset)."""
    referral = access.access_referral(request, pk)
    if referral.case.status != CaseStatus.DRAFT:
        return redirect("cases:referral_received", pk=referral.pk)
    action = request.POST.get("action", "")
    if request.method == "POST" and action.startswith(ADD_PERSON):
        return _add_person_row(request, referral, action.removeprefix(ADD_PERSON))
    submitting = action == "submit"
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
                fresh = posted_with_version(request.POST, error.current_version)
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
            "person_errors": _person_error_links(formsets) if data is not None else [],
        },
    )


def _add_person_row(request: HttpRequest, referral: Referral, prefix: str) -> HttpResponse:
    """The form again with one more blank person row for `prefix`; nothing is saved and
    nothing typed is lost. Checked as a draft (formats only), so fields nobody touched show
    no error."""
    prefixes = [p for p, *_ in PERSON_FORMSETS]
    data = _with_one_more_row(request.POST, prefix) if prefix in prefixes else request.POST
    form, formsets = _build_forms(request, referral, data, submitting=False)
    added = None
    for formset, *_rest in formsets:
        if formset.prefix == prefix and formset.forms:
            added = formset.forms[-1]
            # Focus the new row's first field (also after an htmx swap).
            added.visible_fields()[0].field.widget.attrs["autofocus"] = True
    if getattr(request, "htmx", False) and added is not None:
        formset, legend, description = next(f for f in formsets if f[0].prefix == prefix)
        return render(
            request,
            "cases/referral/_person_formset.html",
            {
                "referral": referral,
                "formset": formset,
                "legend": legend,
                "description": description,
            },
        )
    form.is_valid()
    return render(
        request,
        "cases/referral/edit.html",
        {
            "referral": referral,
            "form": form,
            "formsets": formsets,
            "person_errors": _person_error_links(formsets),
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
