"""The header and navigation every page shows, built from the access modules.

In the project package (the top of the layers), since the navigation names rules of every
app: roles from `partners.access`, the request inbox and emergency access from `cases.access`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from cases import access as case_access
from early_signals import access as signal_access
from figures import access as figure_access
from meetings import access as meeting_access
from partners import access

# (url name, label, permission or None for every signed-in user, or a function of the user
# from the access module for a right that is no role permission). The navigation shows
# only what the user's roles allow; the views check the same permission on the server.
# Add an entry here when a feature gets a page of its own in the main navigation.
NAVIGATION: list[tuple[str, Any, str | Callable[[Any], bool] | None]] = [
    ("dashboard", _("Dashboard"), None),
    ("cases:list", _("Cases"), "cases.view_case_content"),
    ("cases:referral_start", _("Refer"), "cases.refer_case"),
    ("cases:my_referrals", _("My referrals"), "cases.refer_case"),
    ("cases:intake_list", _("Intake"), "cases.coordinate_cases"),
    ("cases:requests", _("Requests"), case_access.may_use_request_inbox),
    ("cases:my_actions", _("My actions"), case_access.may_use_my_actions),
    ("meetings:list", _("Meetings"), meeting_access.may_open_meetings),
    ("meetings:bottlenecks", _("Bottlenecks"), meeting_access.may_use_bottlenecks),
    ("early_signals:list", _("Early signals"), signal_access.may_use_signals),
    ("figures:report", _("Annual report"), figure_access.may_view_figures),
    ("figures:agreements", _("Result agreements"), figure_access.may_manage_result_agreements),
    ("partners:organisation_list", _("Administration"), "partners.manage_partners"),
    ("privacy_audit:index", _("Access log"), "privacy.audit_access"),
    ("privacy_audit:emergency", _("Emergency access"), case_access.may_request_emergency_access),
    (
        "privacy_rights:request_list",
        _("Data-subject requests"),
        "privacy.handle_data_subject_requests",
    ),
    (
        "privacy_rights:processing_register",
        _("Processing register"),
        "privacy.view_processing_register",
    ),
]


def _current(path: str, url: str) -> str | None:
    """aria-current for a navigation link: "page" on the page itself, "true" below it."""
    if path == url:
        return "page"
    if url != "/" and path.startswith(url):
        return "true"
    return None


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Everything the page frame (templates/base.html) shows about the installation and user."""
    context: dict[str, Any] = {
        "municipality_name": settings.MUNICIPALITY_NAME,
        "theme_css": settings.THEME_CSS,
        "theme_class": settings.THEME_CLASS,
        "nav_items": [],
        "user_roles": [],
        "user_display_name": "",
        "user_organisation": None,
    }
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    items = []
    for name, label, perm in NAVIGATION:
        if perm is not None and not (perm(user) if callable(perm) else access.may(user, perm)):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:
            # A feature whose pages are not wired up yet. tests/test_frame.py fails for it,
            # so this only keeps other pages working while the feature is being built.
            continue
        items.append({"url": url, "label": label, "current": _current(request.path, url)})
    context.update(
        nav_items=items,
        user_roles=[r.label for r in access.roles_of(user)],
        user_display_name=user.get_full_name() or user.email,
        user_organisation=user.organisation,
    )
    return context
