"""The ground floor of access: roles, organisation groups and the view decorators.

Role-level rights are Django permissions held through role groups (`partners/roles.py`).
Object-level rules live with the objects they guard: cases in `cases/access.py`, deadlines
in `deadlines/access.py`, the privacy officer's pages in `privacy/access.py`. Nothing here
imports those apps: they build on this module.

Every view is wrapped in exactly one of the decorators below. The decorator records its
rule on the view (`view.access_rule`), and `tests/test_url_access.py` walks all URL
patterns and fails for a view that has none.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.models import AnonymousUser, Group
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

from .choices import Role
from .models import Organisation, User

View = Callable[..., HttpResponseBase]
AnyUser = User | AnonymousUser


def roles_of(user: AnyUser) -> frozenset[Role]:
    """The user's active roles (cached on the user object for the request).

    The same query notes the id of the user's organisation group (`_organisation_group_id`),
    which `cases.access` filters grants on: no join through group names, and the permissions
    the role groups hold, which `may` answers from: no further queries for the request."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached: frozenset[Role] | None = getattr(user, "_roles_cache", None)
    if cached is None:
        groups: dict[str, int] = {}
        permissions: set[str] = set()
        role_names = {role.value for role in Role}
        for name, pk, app_label, codename in user.groups.values_list(
            "name", "pk", "permissions__content_type__app_label", "permissions__codename"
        ):
            groups[name] = pk
            if codename is not None and name in role_names:
                permissions.add(f"{app_label}.{codename}")
        cached = frozenset(role for role in Role if role.value in groups)
        own = (
            organisation_group_name(user.organisation_id)
            if user.organisation_id is not None
            else None
        )
        # Per-request caches on the user object (not model fields).
        vars(user)["_roles_cache"] = cached
        vars(user)["_organisation_group_id"] = groups.get(own) if own else None
        vars(user)["_role_permissions_cache"] = frozenset(permissions)
    return cached


def forget_roles(user: User) -> None:
    """Drop the caches of `roles_of` after the user's groups changed."""
    for name in ("_roles_cache", "_organisation_group_id", "_role_permissions_cache"):
        user.__dict__.pop(name, None)


def has_role(user: AnyUser, *roles: Role) -> bool:
    return bool(roles_of(user).intersection(roles))


def may(user: AnyUser, permission: str) -> bool:
    """Role-level right: a Django permission held through one of the user's roles (the
    groups of `partners/roles.py`; nothing else assigns permissions), or a superuser.

    Answered from the query `roles_of` makes anyway, instead of `user.has_perm`, which
    asked the database twice more on every page (the navigation checks a dozen rights)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    held: frozenset[str] | None = getattr(user, "_role_permissions_cache", None)
    if held is None:
        forget_roles(user)
        roles_of(user)
        held = vars(user)["_role_permissions_cache"]
    return permission in held


def may_manage_partners(user: AnyUser) -> bool:
    return may(user, "partners.manage_partners")


# --- Organisation groups --------------------------------------------------------------
#
# An organisation's users form a group ("organisation:<pk>"). Involving an organisation in
# a case grants that group guardian's `view_case_content` on the case (`cases/access.py`).


def organisation_group_name(organisation_pk: int) -> str:
    return f"organisation:{organisation_pk}"


def organisation_group(organisation: Organisation) -> Group:
    group, _ = Group.objects.get_or_create(name=organisation_group_name(organisation.pk))
    return group


def sync_user_organisation_group(user: User) -> None:
    """Keep the user in exactly the group of their own organisation."""
    stale = user.groups.filter(name__startswith="organisation:")
    if user.organisation is not None:
        own = organisation_group(user.organisation)
        stale = stale.exclude(pk=own.pk)
        user.groups.add(own)
    user.groups.remove(*stale)
    forget_roles(user)


# --- View decorators -------------------------------------------------------------------


def _mark[V: Callable[..., HttpResponseBase]](view: V, rule: str) -> V:
    view.access_rule = rule  # type: ignore[attr-defined]
    return view


def public[V: Callable[..., HttpResponseBase]](view: V) -> V:
    """Reachable without signing in (sign-in pages, accessibility statement)."""
    return _mark(view, "public")


def signed_in(view: View) -> View:
    """Any signed-in, verified user."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return _mark(wrapper, "signed_in")


def permission_required(permission: str) -> Callable[[View], View]:
    """A role-level right; signed-in users without it get 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not may(request.user, permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return _mark(wrapper, f"permission:{permission}")

    return decorator


def object_access(access_function: Callable[..., object]) -> Callable[[View], View]:
    """The view loads its object through `access_function` (an `access_*` of the app that
    owns the object: it raises Http404 / PermissionDenied and writes the read log).

    Requires sign-in like `signed_in`; the rule names the function so a reader (and
    `tests/test_url_access.py`) finds the check."""
    name = f"{access_function.__module__}.{access_function.__qualname__}"

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            return view(request, *args, **kwargs)

        return _mark(wrapper, f"object:{name}")

    return decorator


def rule_required(rule: Callable[[AnyUser], bool]) -> Callable[[View], View]:
    """A page that exists only for users `rule` admits (the request inbox, emergency access):
    signed-in users it does not admit get 404, as if the page were not there."""
    name = f"{rule.__module__}.{rule.__qualname__}"

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not rule(request.user):
                raise Http404
            return view(request, *args, **kwargs)

        return _mark(wrapper, f"rule:{name}")

    return decorator


# --- Third-party views routed without one of the decorators above -----------------------
#
# `tests/test_url_access.py` accepts a view without `access_rule` only when its url name
# ("namespace:name") or dotted path is listed here with its rule and the reason. Keep it
# empty where possible: wrap third-party views instead, as `partners/auth.py` does for
# django-two-factor-auth's and Django's sign-in and password-reset views (so none of those
# need an entry). Django's admin is not routed (docs/adr/0002-sign-in.md).
THIRD_PARTY_VIEW_RULES: dict[str, str] = {}
