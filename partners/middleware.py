"""Sign-in glue: forced second factor, a clear message when a session expired, and the
renewal that makes SESSION_COOKIE_AGE an idle timeout.

The first two add messages, so they come after MessageMiddleware in MIDDLEWARE."""

from __future__ import annotations

import time
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, user_logged_out
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from two_factor.utils import default_device

from .models import User

SIGNED_IN_COOKIE = "wo_signed_in"
SESSION_EXPIRED = _("Your session has expired because you were inactive. Please sign in again.")

# Paths a signed-in user without a verified second factor may still use. Everything under
# /account/ is sign-in, enrolment, sign-out or password reset (partners/auth.py); the
# two_factor pages there check verification themselves where it matters.
_OPEN_PREFIXES = ("/static/", "/i18n/", "/toegankelijkheid/", "/account/")


def second_factor_may_be_skipped(user: User) -> bool:
    """Only demo accounts, only with DEBUG on and the setting switched on."""
    return bool(settings.DEBUG and settings.TWO_FACTOR_SKIP_FOR_DEMO and user.is_demo)


def _is_verified(user: User) -> bool:
    """Signed in with the second factor: django_otp's middleware (before this one) puts
    `is_verified` on the request's user."""
    is_verified: Callable[[], bool] | None = getattr(user, "is_verified", None)
    return is_verified is not None and is_verified()


def _with_next(url: str, request: HttpRequest) -> str:
    """`url` with ?next=<this page> for a GET (a POST cannot be replayed after signing in)."""
    if request.method != "GET":
        return url
    return f"{url}?{urlencode({'next': request.get_full_path()})}"


def _redirect(request: HttpRequest, url: str) -> HttpResponse:
    """A redirect that also works for an htmx request (which would swap a whole page in)."""
    if request.headers.get("HX-Request") == "true":
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


class RequireSecondFactorMiddleware:
    """A signed-in user without a verified second factor is sent to enrol or verify first."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            isinstance(user, User)
            and user.is_authenticated
            and not _is_verified(user)
            and not second_factor_may_be_skipped(user)
            and not request.path.startswith(_OPEN_PREFIXES)
        ):
            if default_device(user):
                # Enrolled, but this session never passed the code step (e.g. a session
                # from before the device was set up): sign in again, with the code.
                logout(request)
                return redirect_to_login(request.get_full_path())
            return _redirect(request, _with_next(reverse("two_factor:setup"), request))
        return self.get_response(request)


class SessionExpiryMiddleware:
    """Tells a user whose session ran out why they see the sign-in page again.

    A marker cookie (no personal data) lives as long as the browser session; when it
    arrives without a signed-in session, the session expired through inactivity. Signing
    out deletes the marker, so a signed-out user never sees this message."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        had_marker = bool(request.COOKIES.get(SIGNED_IN_COOKIE))
        expired = (
            had_marker
            and not request.user.is_authenticated
            and not request.path.startswith("/static/")
        )
        if expired:
            login_url = reverse("two_factor:login")
            if request.path != login_url:
                messages.warning(request, SESSION_EXPIRED)
                response = _redirect(request, _with_next(login_url, request))
                response.delete_cookie(SIGNED_IN_COOKIE)
                return response
            if request.method == "GET":
                messages.warning(request, SESSION_EXPIRED)
        response = self.get_response(request)
        if getattr(request, "_signed_out", False) or (
            expired and not request.user.is_authenticated
        ):
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
def _forget_marker(sender: object, request: HttpRequest | None, **kwargs: object) -> None:
    if request is not None:
        vars(request)["_signed_out"] = True


# When the session was last renewed (seconds since the epoch), kept in the session itself.
RENEWED_KEY = "_renewed_at"


class SessionRenewalMiddleware:
    """A session ends SESSION_COOKIE_AGE seconds after the last request (the idle timeout).
    Saving it on every request (SESSION_SAVE_EVERY_REQUEST) would renew it exactly, at the
    price of a write on every request; it is renewed instead when the last renewal is
    SESSION_RENEW_AFTER seconds old, so it ends between SESSION_COOKIE_AGE minus that and
    SESSION_COOKIE_AGE after the last request. A request whose view took the session away
    (the bell's poll: `_no_activity`) renews nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return response
        now = int(time.time())
        last = session.get(RENEWED_KEY, 0)
        if (
            session.modified
            or not isinstance(last, int)
            or now - last >= settings.SESSION_RENEW_AFTER
        ):
            session[RENEWED_KEY] = now  # modified: SessionMiddleware saves it, expiry renewed
        return response
