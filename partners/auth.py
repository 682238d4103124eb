"""Signing in, out and resetting a password.

Built on django-two-factor-auth (e-mail + password, then a TOTP code; backup codes),
django-otp (the devices and their own throttling) and django-axes (lockout after
`AXES_FAILURE_LIMIT` failures per e-mail address and IP address). This module adds what
those packages leave to the project:

- our wording for every error, identical for an unknown e-mail address and a wrong password;
- a wrong second-factor code counts as a failed sign-in for django-axes, like a wrong password;
- after the forced enrolment the user lands on the page they asked for (or the dashboard);
- the issuer in the authenticator app is `OTP_TOTP_ISSUER`, not the request's host name;
- every URL is wrapped in a `privacy.access` decorator (see `urlpatterns` at the bottom).

ADR: docs/adr/0002-sign-in.md.
"""

from __future__ import annotations

import math
from typing import Any

from axes.helpers import get_cool_off
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django_otp.forms import OTPAuthenticationFormMixin
from two_factor import views as two_factor_views
from two_factor.utils import get_otpauth_url, totp_digits

from partners import access
from partners.models import User
from woonoverlast.forms import InputHygieneMixin

# --- Messages (English source; the Dutch wording matters, see docs/adr/0002-sign-in.md) ---

# One message for an unknown e-mail address, a wrong password and an inactive account,
# so the page never tells whether an account exists.
INVALID_LOGIN = _("The e-mail address or password is incorrect. Please try again.")
SIGNED_OUT = _("You have been signed out.")
ENROLLED = _(
    "Two-step verification is set up. From now on you sign in with your password and a "
    "code from your authenticator app."
)
TOKEN_ERROR_MESSAGES = {
    **OTPAuthenticationFormMixin.otp_error_messages,
    "token_required": _("Enter the 6-digit code from your authenticator app."),
    "invalid_token": _(
        "This code is incorrect or has expired. Enter the code your authenticator app shows now."
    ),
    # django-otp waits 1, 2, 4, 8 ... seconds after each wrong code (its own throttling).
    # The text is %-formatted with django-otp's details, so it must not contain a bare %.
    "n_failed_attempts": _(
        "Too many incorrect codes in a row. Wait a minute, then enter the code your "
        "authenticator app shows at that moment."
    ),
    "verification_not_allowed": _(
        "Codes cannot be checked right now. Wait a minute and try again."
    ),
}


# --- Forms ---------------------------------------------------------------------------


class UserBackend(ModelBackend):
    """Django's model backend, loading the signed-in user with their organisation: every page
    shows it (the frame) and most access rules read it, so it comes with the user's own query
    instead of one of its own."""

    def get_user(self, user_id: Any) -> User | None:
        try:
            user = User._default_manager.select_related("organisation").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class SignInForm(InputHygieneMixin, AuthenticationForm):
    """First step: e-mail address and password."""

    error_messages = {"invalid_login": INVALID_LOGIN, "inactive": INVALID_LOGIN}

    def __init__(self, request: HttpRequest | None = None, *args: Any, **kwargs: Any) -> None:
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        assert isinstance(username, forms.CharField)
        username.label = _("E-mail address")
        username.widget = forms.EmailInput(attrs={"autofocus": True, "autocomplete": "username"})
        username.max_length = 254

    def clean_username(self) -> str:
        # Addresses are stored in lower case; "Sam@Example.org" is the same person (and
        # the same lockout counter).
        return (self.cleaned_data.get("username") or "").strip().lower()


class ResetRequestForm(InputHygieneMixin, PasswordResetForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


# --- Two-factor views ----------------------------------------------------------------


class SignInView(two_factor_views.LoginView):
    """The two_factor sign-in wizard with our forms, messages and failure counting."""

    form_list = (
        (two_factor_views.LoginView.AUTH_STEP, SignInForm),
        *two_factor_views.LoginView.form_list[1:],
    )
    template_name = "two_factor/core/login.html"

    def get_form(self, step: str | None = None, **kwargs: Any) -> forms.Form:
        form = super().get_form(step=step, **kwargs)
        if isinstance(form, OTPAuthenticationFormMixin):
            form.otp_error_messages = TOKEN_ERROR_MESSAGES
            token = form.fields["otp_token"]
            if (step or self.steps.current) == self.BACKUP_STEP:
                token.label = _("Backup code")
            else:
                token.label = _("Code from your authenticator app")
                token.widget.attrs.update({"inputmode": "numeric", "maxlength": totp_digits()})
        return form

    def render(self, form: forms.Form | None = None, **kwargs: Any) -> HttpResponse:
        # The wizard re-renders a step whose form did not validate: a wrong code.
        if (
            form is not None
            and form.is_bound
            and self.steps.current in (self.TOKEN_STEP, self.BACKUP_STEP)
            and form.has_error(NON_FIELD_ERRORS, code="invalid_token")
        ):
            self._count_wrong_code()
        return super().render(form, **kwargs)

    def _count_wrong_code(self) -> None:
        """A wrong code is a failed sign-in for django-axes (same counter as passwords).

        At the limit axes marks the request as locked out (its middleware then shows the
        lockout page) and the wizard starts again at the password, which axes refuses."""
        user = self.get_user()
        if not user:
            return
        user_login_failed.send(
            sender=type(self),
            credentials={"username": user.get_username()},
            request=self.request,
        )
        if getattr(self.request, "axes_locked_out", False):
            self.storage.reset()


def _issuer() -> str:
    return settings.OTP_TOTP_ISSUER


class EnrolView(two_factor_views.SetupView):
    """Setting up the authenticator app; forced at the first sign-in."""

    def get_success_url(self) -> str:
        return self.get_redirect_url() or resolve_url(settings.LOGIN_REDIRECT_URL)

    def get_form(self, step: str | None = None, **kwargs: Any) -> forms.Form:
        form = super().get_form(step=step, **kwargs)
        if "token" in form.fields:
            token = form.fields["token"]
            token.label = _("Code from your authenticator app")
            # A text box, not a number spinner: codes may start with 0.
            token.widget = forms.TextInput(
                attrs={
                    "autofocus": True,
                    "inputmode": "numeric",
                    "autocomplete": "one-time-code",
                    "maxlength": totp_digits(),
                }
            )
            token.error_messages["invalid"] = TOKEN_ERROR_MESSAGES["invalid_token"]
            if hasattr(form, "error_messages"):
                form.error_messages = {
                    **form.error_messages,
                    "invalid_token": TOKEN_ERROR_MESSAGES["invalid_token"],
                }
        return form

    def done(self, form_list: Any, **kwargs: Any) -> HttpResponse:
        response = super().done(form_list, **kwargs)
        messages.success(self.request, ENROLLED)
        return response

    def get_context_data(self, form: forms.Form, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(form, **kwargs)
        if self.steps.current == "generator":
            context["issuer"] = _issuer()
            context["otpauth_url"] = get_otpauth_url(
                self.request.user.get_username(), context["secret_key"], _issuer()
            )
        return context


class QRCodeView(two_factor_views.QRGeneratorView):
    """The QR code as an SVG from our own origin (allowed by the CSP `img-src 'self'`)."""

    def get_issuer(self) -> str:
        return _issuer()


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    messages.success(request, SIGNED_OUT)
    return redirect(settings.LOGOUT_REDIRECT_URL)


# --- django-axes hooks (settings AXES_USERNAME_CALLABLE, AXES_LOCKOUT_CALLABLE) ----------


def axes_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str | None:
    """The e-mail address a failure or lockout belongs to, however axes was called.

    Django's `authenticate()` reports failures with `credentials["username"]`, axes' own
    backend checks with `credentials[AXES_USERNAME_FORM_FIELD]` ("auth-username", the
    wizard's prefixed field); both must give the same key or nothing ever locks."""
    value = None
    if credentials:
        value = credentials.get("username") or credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    if not value and request is not None:
        value = request.POST.get(settings.AXES_USERNAME_FORM_FIELD)
    return str(value).strip().lower() if value else None


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The same page for every locked-out attempt: nothing about the account."""

    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    return render(
        request,
        "registration/locked_out.html",
        {"minutes": minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


# --- URLs (included at /account/ by woonoverlast/urls.py) ------------------------------

two_factor_urlpatterns = [
    path("login/", access.public(SignInView.as_view()), name="login"),
    path("security/", access.signed_in(two_factor_views.ProfileView.as_view()), name="profile"),
    path("security/setup/", access.signed_in(EnrolView.as_view()), name="setup"),
    path("security/setup/qrcode/", access.signed_in(QRCodeView.as_view()), name="qr"),
    path(
        "security/backup-codes/",
        access.signed_in(two_factor_views.BackupTokensView.as_view()),
        name="backup_tokens",
    ),
    path(
        "security/replace/",
        access.signed_in(two_factor_views.DisableView.as_view()),
        name="disable",
    ),
]

password_urlpatterns = [
    path(
        "password/reset/",
        access.public(auth_views.PasswordResetView.as_view(form_class=ResetRequestForm)),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        access.public(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        access.public(auth_views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        access.public(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", include((two_factor_urlpatterns, "two_factor"))),
    path("logout/", access.public(sign_out), name="logout"),
    *password_urlpatterns,
]
