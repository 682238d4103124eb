"""Notification pages: the list, opening one, marking read (htmx or plain POST), the bell
count for polling, the e-mail preference, and the delivery failures under /beheer/.

Thin views: reads through `selectors`, writes through `services`. Someone else's
notification is a 404, never a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from partners import access

from . import selectors, services
from .forms import PreferenceForm

PER_PAGE = 20
FAILURES_PER_PAGE = 50


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _bell(request: HttpRequest, *, shown: int | None = None) -> dict[str, object]:
    """Context of the bell's out-of-band update: the count, and a sentence for screen
    readers only when the count differs from the one shown."""
    unread = selectors.unread_count(user=request.user)
    return {"unread": unread, "announce": shown is None or shown != unread}


@access.signed_in
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.notification_list_for_user(user=request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "notifications": page.object_list,
            # "Mark all as read" only when something is unread; the bell reuses the count.
            **_bell(request),
        },
    )


@access.signed_in
@require_GET
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification (from the list or an e-mail): mark it read, go to its page."""
    notification = selectors.notification_get_for_user(user=request.user, pk=pk)
    services.notification_mark_read(notification=notification, by=request.user)
    target = notification.url
    if not target or not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        target = reverse("notifications:list")
    return redirect(target)


@access.signed_in
@require_POST
def notification_mark_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = selectors.notification_get_for_user(user=request.user, pk=pk)
    services.notification_mark_read(notification=notification, by=request.user)
    if request.htmx:
        return render(
            request,
            "notifications/list.html#marked",
            {"notification": notification, **_bell(request)},
        )
    messages.success(request, _("The notification is marked as read."))
    return redirect(_safe_next(request, reverse("notifications:list")))


@access.signed_in
@require_POST
def notification_mark_all_read(request: HttpRequest) -> HttpResponse:
    changed = services.notification_mark_all_read(by=request.user)
    if request.htmx:
        page = Paginator(
            selectors.notification_list_for_user(user=request.user), PER_PAGE
        ).get_page(request.POST.get("page"))
        return render(
            request,
            "notifications/list.html#all_marked",
            {"page": page, "notifications": page.object_list, "changed": changed, **_bell(request)},
        )
    messages.success(request, _("All notifications are marked as read."))
    return redirect(_safe_next(request, reverse("notifications:list")))


def _no_activity(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A poll is not the user's activity. Sessions end after SESSION_IDLE_TIMEOUT without a
    request, and requests renew them (partners.middleware.SessionRenewalMiddleware): without
    this, a tab left open would poll its session alive forever. Without `request.session`, Django's
    SessionMiddleware saves nothing and sets no cookie."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if hasattr(request, "session"):
            del request.session
        return response

    return wrapper


@access.signed_in
@require_GET
@_no_activity
def notification_bell(request: HttpRequest) -> HttpResponse:
    """The bell's count for htmx polling: out-of-band updates only (hx-swap="none")."""
    try:
        shown: int | None = int(request.GET.get("shown", ""))
    except ValueError:
        shown = None
    context = _bell(request, shown=shown)
    if not context["announce"] and request.htmx:
        return HttpResponse(status=204)  # unchanged: htmx swaps nothing, nothing announced
    return render(request, "notifications/_bell_update.html", context)


@access.signed_in
def notification_settings(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = PreferenceForm(request.POST)
        if form.is_valid():
            services.preference_set(user=request.user, email_mode=form.cleaned_data["email_mode"])
            messages.success(request, _("Your e-mail preference has been saved."))
            return redirect("notifications:settings")
    else:
        form = PreferenceForm(initial={"email_mode": services.email_mode_of(request.user)})
    return render(request, "notifications/settings.html", {"form": form})


@access.permission_required("partners.manage_partners")
@require_GET
def delivery_failure_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.delivery_failure_list(), FAILURES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "notifications/admin/failures.html",
        {"page": page, "failures": page.object_list, "section": "notification_failures"},
    )
