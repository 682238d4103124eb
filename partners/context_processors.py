"""The header and navigation every page shows, built from the access module."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from privacy import access

# (url name, label, permission or None for every signed-in user). The navigation shows
# only what the user's roles allow; the views check the same permission on the server.
NAVIGATION: list[tuple[str, Any, str | None]] = [
    ("dashboard", _("Dashboard"), None),
    ("partners:organisation_list", _("Administration"), "partners.manage_partners"),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_roles": []}
    items = [
        {"url": reverse(name), "label": label, "current": request.resolver_match is not None
         and request.resolver_match.view_name == name}
        for name, label, perm in NAVIGATION
        if perm is None or access.may(user, perm)
    ]
    return {"nav_items": items, "user_roles": [r.label for r in access.roles_of(user)]}
