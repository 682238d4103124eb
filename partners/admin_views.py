"""Functional administration at /beheer/: organisations, users, networks, districts, covenant.

Thin views: reads from `partners.selectors`, writes through `partners.services`. Every view
needs the `partners.manage_partners` permission (role functional administrator). Nothing is
deleted here that has history: rows are deactivated and can be reactivated.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partners import access

from . import selectors, services
from .forms import (
    CovenantForm,
    DistrictForm,
    NetworkForm,
    NetworkRepresentativeForm,
    OrganisationForm,
    UserForm,
    UserSearchForm,
)

manage_partners = access.permission_required("partners.manage_partners")

USERS_PER_PAGE = 25


def _form_page(
    request: HttpRequest,
    form: Form,
    *,
    title: str,
    cancel_url: str,
    submit_label: str,
    section: str,
    extra: dict[str, Any] | None = None,
    template: str = "partners/admin/form.html",
) -> HttpResponse:
    """A form page; with errors it re-renders with status 200 and every value typed kept."""
    context = {
        "form": form,
        "title": title,
        "cancel_url": cancel_url,
        "submit_label": submit_label,
        "section": section,
        **(extra or {}),
    }
    return render(request, template, context)


def _service_error(form: Form, exc: ValidationError) -> None:
    """Put a refusal from a service next to the field it is about (or above the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- Organisations ---------------------------------------------------------------------


@manage_partners
def organisation_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "partners/admin/organisation_list.html",
        {"organisations": selectors.organisation_list(), "section": "organisations"},
    )


@manage_partners
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.organisation_create(**form.cleaned_data, by=request.user)
        messages.success(
            request, _("Organisation “%(name)s” was created.") % {"name": organisation}
        )
        return redirect("partners:organisation_list")
    return _form_page(
        request,
        form,
        title=_("New organisation"),
        cancel_url=reverse("partners:organisation_list"),
        submit_label=_("Create organisation"),
        section="organisations",
    )


@manage_partners
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_get(pk=pk)
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.organisation_update(
            organisation=organisation, **form.cleaned_data, by=request.user
        )
        messages.success(request, _("Organisation “%(name)s” was saved.") % {"name": organisation})
        return redirect("partners:organisation_list")
    return _form_page(
        request,
        form,
        title=_("Edit organisation"),
        cancel_url=reverse("partners:organisation_list"),
        submit_label=_("Save"),
        section="organisations",
        extra={
            "toggle_url": reverse(
                "partners:organisation_deactivate"
                if organisation.is_active
                else "partners:organisation_reactivate",
                args=[organisation.pk],
            ),
            "object_active": organisation.is_active,
        },
    )


@manage_partners
@require_POST
def organisation_set_active(request: HttpRequest, pk: int, active: bool) -> HttpResponse:
    organisation = selectors.organisation_get(pk=pk)
    services.organisation_set_active(organisation=organisation, active=active, by=request.user)
    if active:
        messages.success(
            request, _("Organisation “%(name)s” is active again.") % {"name": organisation}
        )
    else:
        messages.success(
            request, _("Organisation “%(name)s” was deactivated.") % {"name": organisation}
        )
    return redirect("partners:organisation_list")


# --- Users -----------------------------------------------------------------------------


@manage_partners
def user_list(request: HttpRequest) -> HttpResponse:
    search = UserSearchForm(request.GET or None)
    users = selectors.user_list(**search.filters())
    page = Paginator(users, USERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "partners/admin/user_list.html",
        {"search": search, "page": page, "users": page.object_list, "section": "users"},
    )


def _user_fields(form: UserForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        name: data[name]
        for name in ("email", "first_name", "last_name", "organisation", "job_title", "phone")
    }


@manage_partners
def user_create(request: HttpRequest) -> HttpResponse:
    form = UserForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(
                **_user_fields(form), roles=form.cleaned_data["roles"], by=request.user
            )
        except ValidationError as exc:
            _service_error(form, exc)
        else:
            messages.success(request, _("User %(name)s was created.") % {"name": user})
            _tell_about_password(request, user)
            return redirect("partners:user_list")
    return _form_page(
        request,
        form,
        title=_("New user"),
        cancel_url=reverse("partners:user_list"),
        submit_label=_("Create user"),
        section="users",
        extra={"user_form_note": True},
    )


def _tell_about_password(request: HttpRequest, user: Any) -> None:
    if services.user_send_password_setup(user=user, request=request):
        messages.info(
            request,
            _("An e-mail with a link to set a password was sent to %(email)s.")
            % {"email": user.email},
        )
    else:
        messages.warning(
            request,
            _(
                "No password was set. Ask %(email)s to choose “Forgot password?” on the "
                "sign-in page to set one."
            )
            % {"email": user.email},
        )


@manage_partners
def user_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = selectors.user_get(pk=pk)
    form = UserForm(request.POST or None, instance=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(
                user=user, **_user_fields(form), roles=form.cleaned_data["roles"], by=request.user
            )
        except ValidationError as exc:
            _service_error(form, exc)
        else:
            messages.success(request, _("User %(name)s was saved.") % {"name": user})
            return redirect("partners:user_list")
    return _form_page(
        request,
        form,
        title=_("Edit user"),
        cancel_url=reverse("partners:user_list"),
        submit_label=_("Save"),
        section="users",
        extra={
            "toggle_url": reverse(
                "partners:user_deactivate" if user.is_active else "partners:user_reactivate",
                args=[user.pk],
            ),
            "object_active": user.is_active,
            "password_setup_url": reverse("partners:user_send_password_setup", args=[user.pk])
            if user.is_active
            else None,
        },
    )


@manage_partners
@require_POST
def user_set_active(request: HttpRequest, pk: int, active: bool) -> HttpResponse:
    user = selectors.user_get(pk=pk)
    try:
        services.user_set_active(user=user, active=active, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("partners:user_edit", pk=user.pk)
    if active:
        messages.success(request, _("User %(name)s is active again.") % {"name": user})
    else:
        messages.success(request, _("User %(name)s was deactivated.") % {"name": user})
    return redirect("partners:user_list")


@manage_partners
@require_POST
def user_send_password_setup(request: HttpRequest, pk: int) -> HttpResponse:
    user = selectors.user_get(pk=pk)
    _tell_about_password(request, user)
    return redirect("partners:user_edit", pk=user.pk)


# --- Districts -------------------------------------------------------------------------


@manage_partners
def district_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "partners/admin/district_list.html",
        {"districts": selectors.district_list(), "section": "districts"},
    )


@manage_partners
def district_create(request: HttpRequest) -> HttpResponse:
    form = DistrictForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        district = services.district_create(name=form.cleaned_data["name"], by=request.user)
        messages.success(request, _("District “%(name)s” was created.") % {"name": district})
        return redirect("partners:district_list")
    return _form_page(
        request,
        form,
        title=_("New district"),
        cancel_url=reverse("partners:district_list"),
        submit_label=_("Create district"),
        section="districts",
    )


@manage_partners
def district_edit(request: HttpRequest, pk: int) -> HttpResponse:
    district = selectors.district_get(pk=pk)
    form = DistrictForm(request.POST or None, instance=district)
    if request.method == "POST" and form.is_valid():
        services.district_update(district=district, name=form.cleaned_data["name"], by=request.user)
        messages.success(request, _("District “%(name)s” was saved.") % {"name": district})
        return redirect("partners:district_list")
    return _form_page(
        request,
        form,
        title=_("Edit district"),
        cancel_url=reverse("partners:district_list"),
        submit_label=_("Save"),
        section="districts",
        extra={
            "toggle_url": reverse(
                "partners:district_deactivate"
                if district.is_active
                else "partners:district_reactivate",
                args=[district.pk],
            ),
            "object_active": district.is_active,
        },
    )


@manage_partners
@require_POST
def district_set_active(request: HttpRequest, pk: int, active: bool) -> HttpResponse:
    district = selectors.district_get(pk=pk)
    services.district_set_active(district=district, active=active, by=request.user)
    if active:
        messages.success(request, _("District “%(name)s” is active again.") % {"name": district})
    else:
        messages.success(request, _("District “%(name)s” was deactivated.") % {"name": district})
    return redirect("partners:district_list")


# --- Networks --------------------------------------------------------------------------


@manage_partners
def network_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "partners/admin/network_list.html",
        {"networks": selectors.network_list(), "section": "networks"},
    )


@manage_partners
def network_create(request: HttpRequest) -> HttpResponse:
    form = NetworkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        network = services.network_create(
            name=form.cleaned_data["name"],
            districts=form.cleaned_data["districts"],
            by=request.user,
        )
        messages.success(request, _("Network “%(name)s” was created.") % {"name": network})
        return redirect("partners:network_detail", pk=network.pk)
    return _form_page(
        request,
        form,
        title=_("New network"),
        cancel_url=reverse("partners:network_list"),
        submit_label=_("Create network"),
        section="networks",
    )


@manage_partners
def network_detail(request: HttpRequest, pk: int) -> HttpResponse:
    network = selectors.network_get(pk=pk)
    return _network_page(request, network, NetworkRepresentativeForm(network=network))


def _network_page(request: HttpRequest, network: Any, form: Form) -> HttpResponse:
    return render(
        request,
        "partners/admin/network_detail.html",
        {
            "network": network,
            "representatives": selectors.network_representatives(network=network),
            "form": form,
            "section": "networks",
        },
    )


@manage_partners
def network_edit(request: HttpRequest, pk: int) -> HttpResponse:
    network = selectors.network_get(pk=pk)
    form = NetworkForm(request.POST or None, instance=network)
    if request.method == "POST" and form.is_valid():
        services.network_update(
            network=network,
            name=form.cleaned_data["name"],
            districts=form.cleaned_data["districts"],
            by=request.user,
        )
        messages.success(request, _("Network “%(name)s” was saved.") % {"name": network})
        return redirect("partners:network_detail", pk=network.pk)
    return _form_page(
        request,
        form,
        title=_("Edit network"),
        cancel_url=reverse("partners:network_detail", args=[network.pk]),
        submit_label=_("Save"),
        section="networks",
        extra={
            "toggle_url": reverse(
                "partners:network_deactivate"
                if network.is_active
                else "partners:network_reactivate",
                args=[network.pk],
            ),
            "object_active": network.is_active,
        },
    )


@manage_partners
@require_POST
def network_set_active(request: HttpRequest, pk: int, active: bool) -> HttpResponse:
    network = selectors.network_get(pk=pk)
    services.network_set_active(network=network, active=active, by=request.user)
    if active:
        messages.success(request, _("Network “%(name)s” is active again.") % {"name": network})
    else:
        messages.success(request, _("Network “%(name)s” was deactivated.") % {"name": network})
    return redirect("partners:network_list")


@manage_partners
@require_POST
def network_representative_add(request: HttpRequest, pk: int) -> HttpResponse:
    network = selectors.network_get(pk=pk)
    form = NetworkRepresentativeForm(request.POST, network=network)
    if form.is_valid():
        try:
            representative = services.network_representative_add(
                network=network,
                user=form.cleaned_data["user"],
                kind=form.cleaned_data["kind"],
                by=request.user,
            )
        except ValidationError as exc:
            _service_error(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s now represents %(organisation)s in this network.")
                % {"name": representative.user, "organisation": representative.organisation},
            )
            return redirect("partners:network_detail", pk=network.pk)
    return _network_page(request, network, form)


@manage_partners
@require_POST
def network_representative_deactivate(request: HttpRequest, pk: int, rep_pk: int) -> HttpResponse:
    network = selectors.network_get(pk=pk)
    representative = selectors.network_representative_get(network=network, pk=rep_pk)
    services.network_representative_deactivate(representative=representative, by=request.user)
    messages.success(
        request,
        _("%(name)s no longer represents their organisation here.") % {"name": representative.user},
    )
    return redirect("partners:network_detail", pk=network.pk)


@manage_partners
@require_POST
def network_representative_remove(request: HttpRequest, pk: int, rep_pk: int) -> HttpResponse:
    network = selectors.network_get(pk=pk)
    representative = selectors.network_representative_get(network=network, pk=rep_pk)
    name = str(representative.user)
    if services.network_representative_remove(representative=representative, by=request.user):
        messages.success(request, _("%(name)s was removed from this network.") % {"name": name})
    else:
        messages.info(
            request,
            _("%(name)s has history in this network and was deactivated instead of removed.")
            % {"name": name},
        )
    return redirect("partners:network_detail", pk=network.pk)


# --- Covenant --------------------------------------------------------------------------


@manage_partners
def covenant_detail(request: HttpRequest) -> HttpResponse:
    covenant = selectors.covenant_current()
    today = timezone.localdate()
    context: dict[str, Any] = {"covenant": covenant, "today": today, "section": "covenant"}
    if covenant is not None:
        context["term_end"] = covenant.current_term_end(today)
        context["notice_date"] = covenant.notice_date(today)
        context["notice_passed"] = context["notice_date"] < today
        context["next_notice_date"] = covenant.next_notice_date(today)
    return render(request, "partners/admin/covenant_detail.html", context)


@manage_partners
def covenant_edit(request: HttpRequest, pk: int) -> HttpResponse:
    covenant = selectors.covenant_get(pk=pk)
    form = CovenantForm(request.POST or None, instance=covenant)
    if request.method == "POST" and form.is_valid():
        services.covenant_update(covenant=covenant, **form.cleaned_data, by=request.user)
        messages.success(request, _("The covenant was saved."))
        return redirect("partners:covenant_detail")
    return _form_page(
        request,
        form,
        title=_("Edit covenant"),
        cancel_url=reverse("partners:covenant_detail"),
        submit_label=_("Save"),
        section="covenant",
    )
