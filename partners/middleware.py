"""Sign-in glue: forced second factor and a clear message when a session expired."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

SIGNED_IN_COOKIE = "wo_signed_in"

# Paths a signed-in user without a verified second factor may still use.
_OPEN_PREFIXES = ("/static/", "/i18n/", "/toegankelijkheid/", "/account/")


def second_factor_may_be_skipped(user) -> bool:  # type: ignore[no-untyped-def]
    """Only demo accounts, only with DEBUG on and the setting switched on."""
    return bool(settings.DEBUG and settings.TWO_FACTOR_SKIP_FOR_DEMO and getattr(user, "is_demo", False))


class RequireSecondFactorMiddleware:
    """A signed-in user without a verified second factor is sent to enrol or verify first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()  # type: ignore[union-attr]
            and not second_factor_may_be_skipped(user)
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            return redirect("two_factor:setup")
        return self.get_response(request)


class SessionExpiryMiddleware:
    """Tells a user whose session ran out why they see the sign-in page again.

    A marker cookie (no personal data) lives as long as the browser session; when it
    arrives without a signed-in session, the session expired through inactivity."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        had_marker = SIGNED_IN_COOKIE in request.COOKIES
        if had_marker and not request.user.is_authenticated and not request.path.startswith("/static/"):
            messages.warning(
                request,
                _("Your session has expired because you were inactive. Please sign in again."),
            )
            response = redirect(f"{reverse('two_factor:login')}?next={request.get_full_path()}")
            response.delete_cookie(SIGNED_IN_COOKIE)
            return response
        response = self.get_response(request)
        if getattr(request, "_signed_out", False):
            response.delete_cookie(SIGNED_IN_COOKIE)
        elif request.user.is_authenticated and not had_marker:
            response.set_cookie(
                SIGNED_IN_COOKIE,
                "1",
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response


@receiver(user_logged_out)
def _forget_marker(sender, request, **kwargs) -> None:  # type: ignore[no-untyped-def]
    if request is not None:
        request._signed_out = True
