"""The one place that answers "may this user see or do this".

Views and selectors call these functions; nothing else talks to groups or guardian.
Role-level rights are Django permissions held through role groups (`partners/roles.py`);
object-level rights (cases, documents) are added here as the cases land.

Every view is wrapped in exactly one of the decorators below. The decorator records its
rule on the view (`view.access_rule`), and `tests/test_url_access.py` walks all URL
patterns and fails for a view that has none.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from partners.choices import Role

if TYPE_CHECKING:
    from partners.models import User

View = Callable[..., HttpResponse]

# Pages in the main navigation: (url name, label, permission or None for every signed-in user).
# The navigation shows an item only when `may()` says so.


def roles_of(user: Any) -> frozenset[Role]:
    """The user's active roles (cached on the user object for the request)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_roles_cache", None)
    if cached is None:
        names = set(user.groups.values_list("name", flat=True))
        cached = frozenset(role for role in Role if role.value in names)
        user._roles_cache = cached
    return cached


def has_role(user: Any, *roles: Role) -> bool:
    return bool(roles_of(user).intersection(roles))


def may(user: Any, permission: str) -> bool:
    """Role-level right: a Django permission held through one of the user's roles."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.has_perm(permission))


def may_manage_partners(user: User) -> bool:
    return may(user, "partners.manage_partners")


# --- View decorators -------------------------------------------------------------------


def _mark(view: View, rule: str) -> View:
    view.access_rule = rule  # type: ignore[attr-defined]
    return view


def public(view: View) -> View:
    """Reachable without signing in (sign-in pages, accessibility statement)."""
    return _mark(view, "public")


def signed_in(view: View) -> View:
    """Any signed-in, verified user."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    return _mark(wrapper, "signed_in")


def permission_required(permission: str) -> Callable[[View], View]:
    """A role-level right; signed-in users without it get 403."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not may(request.user, permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return _mark(wrapper, f"permission:{permission}")

    return decorator


def custom_check(description: str) -> Callable[[View], View]:
    """The view itself calls an access function (object-level: 404 for outsiders).

    `description` names that function so a reader finds the check."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            return view(request, *args, **kwargs)

        return _mark(wrapper, f"custom:{description}")

    return decorator
