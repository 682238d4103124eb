"""Functional administration at /beheer/: organisations, users, networks, districts, covenant.

Thin views: reads from `partners.selectors`, writes through `partners.services`. Every view
needs the `partners.manage_partners` permission (role functional administrator). Nothing is
deleted here that has history: rows are deactivated and can be reactivated.

Organisations, users, districts and networks have the same four pages (list, create, edit,
deactivate/reactivate). Each is one `AdminKind` row (its form, selector, services, texts and
where a page leads next); one set of views serves every row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.forms import BaseForm, ModelForm
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
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
from .models import User

manage_partners = access.permission_required("partners.manage_partners")

USERS_PER_PAGE = 25


def _form_page(
    request: HttpRequest,
    form: BaseForm,
    *,
    title: str | Promise,
    cancel_url: str,
    submit_label: str | Promise,
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


def _actor(request: HttpRequest) -> User:
    """The signed-in administrator (every view here is behind `manage_partners`)."""
    return cast(User, request.user)


def _service_error(form: BaseForm, exc: ValidationError) -> None:
    """Put a refusal from a service next to the field it is about (or above the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


# --- The four pages every managed kind has ----------------------------------------------


Fields = dict[str, Any]


@dataclass(frozen=True)
class AdminKind:
    """One kind of thing the functional administrator manages.

    URL names follow `partners:<name>_list`, `_create`, `_edit`, `_deactivate` and
    `_reactivate`. Messages take the object as `%(name)s`."""

    name: str
    section: str
    form: type[ModelForm[Any]]
    get: Callable[[int], Any]
    create: Callable[[Fields, User], Any]
    update: Callable[[Any, Fields, User], Any]
    set_active: Callable[[Any, bool, User], Any]
    new_title: Promise
    create_label: Promise
    edit_title: Promise
    created: Promise
    saved: Promise
    reactivated: Promise
    deactivated: Promise
    list_template: str
    list_context: Callable[[HttpRequest], dict[str, Any]]
    fields: Callable[[BaseForm], Fields] = lambda form: dict(form.cleaned_data)
    # Where create and edit lead (and edit's cancel): the list, unless the kind has a
    # detail page of its own.
    detail_url: Callable[[Any], str] | None = None
    after_create: Callable[[HttpRequest, Any], None] | None = None
    create_extra: dict[str, Any] = field(default_factory=dict)
    edit_extra: Callable[[Any], dict[str, Any]] = lambda obj: {}

    def url(self, page: str, *args: Any) -> str:
        return reverse(f"partners:{self.name}_{page}", args=args)

    def next_url(self, obj: Any) -> str:
        return self.detail_url(obj) if self.detail_url else self.url("list")


def _list(request: HttpRequest, kind: AdminKind) -> HttpResponse:
    context = {**kind.list_context(request), "section": kind.section}
    return render(request, kind.list_template, context)


def _create(request: HttpRequest, kind: AdminKind) -> HttpResponse:
    form = kind.form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            obj = kind.create(kind.fields(form), _actor(request))
        except ValidationError as exc:
            _service_error(form, exc)
        else:
            messages.success(request, kind.created % {"name": obj})
            if kind.after_create:
                kind.after_create(request, obj)
            return redirect(kind.next_url(obj))
    return _form_page(
        request,
        form,
        title=kind.new_title,
        cancel_url=kind.url("list"),
        submit_label=kind.create_label,
        section=kind.section,
        extra=kind.create_extra,
    )


def _edit(request: HttpRequest, kind: AdminKind, pk: int) -> HttpResponse:
    obj = kind.get(pk)
    form = kind.form(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        try:
            kind.update(obj, kind.fields(form), _actor(request))
        except ValidationError as exc:
            _service_error(form, exc)
        else:
            messages.success(request, kind.saved % {"name": obj})
            return redirect(kind.next_url(obj))
    toggle = "deactivate" if obj.is_active else "reactivate"
    return _form_page(
        request,
        form,
        title=kind.edit_title,
        cancel_url=kind.next_url(obj),
        submit_label=_("Save"),
        section=kind.section,
        extra={
            "toggle_url": kind.url(toggle, obj.pk),
            "object_active": obj.is_active,
            **kind.edit_extra(obj),
        },
    )


def _set_active(request: HttpRequest, kind: AdminKind, pk: int, active: bool) -> HttpResponse:
    obj = kind.get(pk)
    try:
        kind.set_active(obj, active, _actor(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(kind.url("edit", obj.pk))
    messages.success(request, (kind.reactivated if active else kind.deactivated) % {"name": obj})
    return redirect(kind.url("list"))


# --- The kinds ---------------------------------------------------------------------------


def _user_fields(form: BaseForm) -> Fields:
    data = form.cleaned_data
    fields = {
        name: data[name]
        for name in ("email", "first_name", "last_name", "organisation", "job_title", "phone")
    }
    return {**fields, "roles": data["roles"]}


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


def _user_list_context(request: HttpRequest) -> dict[str, Any]:
    search = UserSearchForm(request.GET or None)
    users = selectors.user_list(**search.filters())
    page = Paginator(users, USERS_PER_PAGE).get_page(request.GET.get("page"))
    return {"search": search, "page": page, "users": page.object_list}


def _user_edit_extra(user: Any) -> dict[str, Any]:
    url = reverse("partners:user_send_password_setup", args=[user.pk])
    return {"password_setup_url": url if user.is_active else None}


ORGANISATIONS = AdminKind(
    name="organisation",
    section="organisations",
    form=OrganisationForm,
    get=lambda pk: selectors.organisation_get(pk=pk),
    create=lambda fields, by: services.organisation_create(**fields, by=by),
    update=lambda obj, fields, by: services.organisation_update(organisation=obj, **fields, by=by),
    set_active=lambda obj, active, by: services.organisation_set_active(
        organisation=obj, active=active, by=by
    ),
    new_title=gettext_lazy("New organisation"),
    create_label=gettext_lazy("Create organisation"),
    edit_title=gettext_lazy("Edit organisation"),
    created=gettext_lazy("Organisation “%(name)s” was created."),
    saved=gettext_lazy("Organisation “%(name)s” was saved."),
    reactivated=gettext_lazy("Organisation “%(name)s” is active again."),
    deactivated=gettext_lazy("Organisation “%(name)s” was deactivated."),
    list_template="partners/admin/organisation_list.html",
    list_context=lambda request: {"organisations": selectors.organisation_list()},
)

USERS = AdminKind(
    name="user",
    section="users",
    form=UserForm,
    get=lambda pk: selectors.user_get(pk=pk),
    create=lambda fields, by: services.user_create(**fields, by=by),
    update=lambda obj, fields, by: services.user_update(user=obj, **fields, by=by),
    set_active=lambda obj, active, by: services.user_set_active(user=obj, active=active, by=by),
    new_title=gettext_lazy("New user"),
    create_label=gettext_lazy("Create user"),
    edit_title=gettext_lazy("Edit user"),
    created=gettext_lazy("User %(name)s was created."),
    saved=gettext_lazy("User %(name)s was saved."),
    reactivated=gettext_lazy("User %(name)s is active again."),
    deactivated=gettext_lazy("User %(name)s was deactivated."),
    list_template="partners/admin/user_list.html",
    list_context=_user_list_context,
    fields=_user_fields,
    after_create=_tell_about_password,
    create_extra={"user_form_note": True},
    edit_extra=_user_edit_extra,
)

DISTRICTS = AdminKind(
    name="district",
    section="districts",
    form=DistrictForm,
    get=lambda pk: selectors.district_get(pk=pk),
    create=lambda fields, by: services.district_create(name=fields["name"], by=by),
    update=lambda obj, fields, by: services.district_update(
        district=obj, name=fields["name"], by=by
    ),
    set_active=lambda obj, active, by: services.district_set_active(
        district=obj, active=active, by=by
    ),
    new_title=gettext_lazy("New district"),
    create_label=gettext_lazy("Create district"),
    edit_title=gettext_lazy("Edit district"),
    created=gettext_lazy("District “%(name)s” was created."),
    saved=gettext_lazy("District “%(name)s” was saved."),
    reactivated=gettext_lazy("District “%(name)s” is active again."),
    deactivated=gettext_lazy("District “%(name)s” was deactivated."),
    list_template="partners/admin/district_list.html",
    list_context=lambda request: {"districts": selectors.district_list()},
)

NETWORKS = AdminKind(
    name="network",
    section="networks",
    form=NetworkForm,
    get=lambda pk: selectors.network_get(pk=pk),
    create=lambda fields, by: services.network_create(
        name=fields["name"], districts=fields["districts"], by=by
    ),
    update=lambda obj, fields, by: services.network_update(
        network=obj, name=fields["name"], districts=fields["districts"], by=by
    ),
    set_active=lambda obj, active, by: services.network_set_active(
        network=obj, active=active, by=by
    ),
    new_title=gettext_lazy("New network"),
    create_label=gettext_lazy("Create network"),
    edit_title=gettext_lazy("Edit network"),
    created=gettext_lazy("Network “%(name)s” was created."),
    saved=gettext_lazy("Network “%(name)s” was saved."),
    reactivated=gettext_lazy("Network “%(name)s” is active again."),
    deactivated=gettext_lazy("Network “%(name)s” was deactivated."),
    list_template="partners/admin/network_list.html",
    list_context=lambda request: {"networks": selectors.network_list()},
    detail_url=lambda network: reverse("partners:network_detail", args=[network.pk]),
)


# --- The views (named as in partners/urls.py) -------------------------------------------


def _pages(kind: AdminKind) -> tuple[Callable[..., HttpResponseBase], ...]:
    """The list, create, edit and set-active views of one kind, each behind the permission."""

    def list_view(request: HttpRequest) -> HttpResponse:
        return _list(request, kind)

    def create_view(request: HttpRequest) -> HttpResponse:
        return _create(request, kind)

    def edit_view(request: HttpRequest, pk: int) -> HttpResponse:
        return _edit(request, kind, pk)

    def set_active_view(request: HttpRequest, pk: int, active: bool) -> HttpResponse:
        return _set_active(request, kind, pk, active)

    views = []
    for page, view in (
        ("list", list_view),
        ("create", create_view),
        ("edit", edit_view),
        ("set_active", set_active_view),
    ):
        view.__name__ = view.__qualname__ = f"{kind.name}_{page}"
        view.__module__ = __name__
        if page == "set_active":
            view = require_POST(view)
        views.append(manage_partners(view))
    return tuple(views)


organisation_list, organisation_create, organisation_edit, organisation_set_active = _pages(
    ORGANISATIONS
)
user_list, user_create, user_edit, user_set_active = _pages(USERS)
district_list, district_create, district_edit, district_set_active = _pages(DISTRICTS)
network_list, network_create, network_edit, network_set_active = _pages(NETWORKS)


@manage_partners
@require_POST
def user_send_password_setup(request: HttpRequest, pk: int) -> HttpResponse:
    user = selectors.user_get(pk=pk)
    _tell_about_password(request, user)
    return redirect("partners:user_edit", pk=user.pk)


# --- Networks: the detail page and its representatives ------------------------------------


@manage_partners
def network_detail(request: HttpRequest, pk: int) -> HttpResponse:
    network = selectors.network_get(pk=pk)
    return _network_page(request, network, NetworkRepresentativeForm(network=network))


def _network_page(request: HttpRequest, network: Any, form: BaseForm) -> HttpResponse:
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
                by=_actor(request),
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
    services.network_representative_deactivate(representative=representative, by=_actor(request))
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
    if services.network_representative_remove(representative=representative, by=_actor(request)):
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
        services.covenant_update(covenant=covenant, **form.cleaned_data, by=_actor(request))
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
