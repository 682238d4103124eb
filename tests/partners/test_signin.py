"""Signing in: password + TOTP, forced enrolment, lockout, expiry, reset, demo skip.

The wizard's fields are prefixed: "auth-username", "token-otp_token"; the wizard's own
step field is "<view name in snake case>-current_step".
"""

import re
import time
from base64 import b32decode
from urllib.parse import urlparse

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from partners.middleware import RENEWED_KEY, SIGNED_IN_COOKIE
from tests.factories.partners import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/account/login/"
SETUP = "/account/security/setup/"
LOGOUT = "/account/logout/"
RESET = "/account/password/reset/"

# The interface is Dutch by default: these are the texts a user reads (locale/nl).
WRONG_LOGIN = "Het e-mailadres of het wachtwoord is onjuist."
WRONG_CODE = "Deze code is onjuist of verlopen."
TOO_MANY_CODES = "Te vaak achter elkaar een onjuiste code."
EXPIRED = "Uw sessie is verlopen omdat u een tijd niet actief was."
SIGNED_OUT = "U bent uitgelogd."
LOCKED = "Inloggen is tijdelijk geblokkeerd"


def password_step(client, email, password=PASSWORD, next_url=None):
    url = LOGIN if next_url is None else f"{LOGIN}?next={next_url}"
    return client.post(
        url,
        {"sign_in_view-current_step": "auth", "auth-username": email, "auth-password": password},
    )


def code_step(client, code, next_url=None, step="token"):
    url = LOGIN if next_url is None else f"{LOGIN}?next={next_url}"
    return client.post(url, {"sign_in_view-current_step": step, f"{step}-otp_token": code})


def current_code(device):
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def wrong_code(device):
    return f"{(int(current_code(device)) + 500_000) % 1_000_000:06d}"


@pytest.fixture
def enrolled_user():
    user = UserFactory(email="sam.jansen@example.org", last_name="Jansen")
    device = TOTPDevice.objects.create(user=user, name="default", confirmed=True)
    return user, device


def is_verified(client):
    from django_otp import DEVICE_ID_SESSION_KEY

    return DEVICE_ID_SESSION_KEY in client.session


# --- 1. Password, then the TOTP code --------------------------------------------------


def test_enrolled_user_signs_in_with_password_and_code_and_lands_on_next(client, enrolled_user):
    user, device = enrolled_user

    response = password_step(client, user.email, next_url="/toegankelijkheid/")
    assert response.status_code == 200
    assert b'name="token-otp_token"' in response.content

    response = code_step(client, current_code(device), next_url="/toegankelijkheid/")
    assert response.status_code == 302
    assert response["Location"] == "/toegankelijkheid/"
    assert is_verified(client)
    assert client.get("/").status_code == 200


def test_e_mail_address_is_not_case_sensitive(client, enrolled_user):
    user, _device = enrolled_user
    response = password_step(client, user.email.upper())
    assert b'name="token-otp_token"' in response.content


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/x"])
def test_unsafe_next_is_ignored(client, enrolled_user, next_url):
    user, device = enrolled_user
    password_step(client, user.email, next_url=next_url)
    response = code_step(client, current_code(device), next_url=next_url)
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_backup_code_signs_in_when_phone_is_missing(client, enrolled_user):
    user, _device = enrolled_user
    backup = StaticDevice.objects.create(user=user, name="backup")
    backup.token_set.create(token="abcd1234")

    response = password_step(client, user.email)
    assert "Een back-upcode gebruiken" in response.content.decode()
    response = client.post(
        LOGIN, {"sign_in_view-current_step": "token", "wizard_goto_step": "backup"}
    )
    assert b'name="backup-otp_token"' in response.content
    response = code_step(client, "abcd1234", step="backup")
    assert response.status_code == 302
    assert is_verified(client)


def test_password_without_code_does_not_sign_in(client, enrolled_user):
    user, _device = enrolled_user
    password_step(client, user.email)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


# --- Forced enrolment ------------------------------------------------------------------


def test_first_sign_in_forces_enrolment_with_qr_code_then_lands_on_dashboard(client):
    user = UserFactory()

    response = password_step(client, user.email)
    assert response.status_code == 302
    response = client.get(response["Location"])
    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next=%2F"

    setup_url = response["Location"]
    response = client.get(setup_url)
    assert response.status_code == 200
    assert "Tweestapsverificatie instellen" in response.content.decode()

    response = client.post(setup_url, {"enrol_view-current_step": "welcome"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'src="/account/security/setup/qrcode/"' in page
    # The QR code comes from our own origin, which the CSP allows for images.
    assert "img-src 'self' data:" in response["Content-Security-Policy"]
    qr = client.get("/account/security/setup/qrcode/")
    assert qr.status_code == 200
    assert qr["Content-Type"].startswith("image/svg+xml")

    secret = client.session["django_two_factor-qr_secret_key"]
    assert secret in page
    code = f"{totp(b32decode(secret)):06d}"
    response = client.post(
        setup_url, {"enrol_view-current_step": "generator", "generator-token": code}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    assert is_verified(client)
    response = client.get("/")
    assert response.status_code == 200


def test_enrolment_code_must_be_right(client):
    user = UserFactory()
    password_step(client, user.email)
    client.post(SETUP, {"enrol_view-current_step": "welcome"})
    response = client.post(
        SETUP, {"enrol_view-current_step": "generator", "generator-token": "000000"}
    )
    assert response.status_code == 200
    assert WRONG_CODE in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_enrolled_user_with_unverified_session_is_sent_to_sign_in(client, enrolled_user):
    user, _device = enrolled_user
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert "_auth_user_id" not in client.session


# --- Lockout (django-axes) ---------------------------------------------------------------


@override_settings(AXES_FAILURE_LIMIT=3)
def test_wrong_passwords_lock_account_and_ip_then_right_password_is_refused(client, enrolled_user):
    user, _device = enrolled_user
    statuses = [password_step(client, user.email, "wrong-password").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    attempt = AccessAttempt.objects.get()
    assert attempt.username == user.email
    assert attempt.failures_since_start == 3

    response = password_step(client, user.email)
    assert response.status_code == 429
    assert LOCKED in response.content.decode()
    assert b'name="token-otp_token"' not in response.content

    # Another address from the same IP address is not locked.
    other = UserFactory()
    response = password_step(client, other.email)
    assert response.status_code == 302


@override_settings(AXES_FAILURE_LIMIT=2)
def test_lockout_page_is_the_same_for_unknown_and_existing_addresses(client, enrolled_user):
    user, _device = enrolled_user
    pages = []
    for email in (user.email, "nobody@example.org"):
        for _ in range(2):
            response = password_step(client, email, "wrong-password")
        assert response.status_code == 429
        pages.append(response.content.decode())
    assert _normalised(pages[0]) == _normalised(pages[1])
    assert user.email not in pages[0]


@override_settings(AXES_FAILURE_LIMIT=3, OTP_TOTP_THROTTLE_FACTOR=0)
def test_wrong_codes_count_as_failures_and_lock_out(client, enrolled_user):
    user, device = enrolled_user
    password_step(client, user.email)
    statuses = [code_step(client, wrong_code(device)).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]

    # The wizard started again and the password is refused now.
    response = code_step(client, current_code(device))
    assert response.status_code == 200
    assert not is_verified(client)
    assert password_step(client, user.email).status_code == 429


# --- The four error messages -------------------------------------------------------------


def _normalised(page, email=None):
    """The page without what differs per request anyway: CSRF tokens and CSP nonces."""
    if email:
        page = page.replace(email, "EMAIL")
    page = re.sub(r"\b[A-Za-z0-9]{64}\b", "CSRF", page)
    return re.sub(r'nonce="[^"]*"', "", page)


def test_unknown_address_and_wrong_password_give_identical_pages(client, enrolled_user):
    user, _device = enrolled_user
    wrong_password = password_step(client, user.email, "wrong-password")
    unknown = password_step(client, "nobody@example.org", "wrong-password")

    assert wrong_password.status_code == unknown.status_code == 200
    assert WRONG_LOGIN in wrong_password.content.decode()
    assert _normalised(wrong_password.content.decode(), user.email) == _normalised(
        unknown.content.decode(), "nobody@example.org"
    )


def test_inactive_account_gets_the_same_message(client):
    user = UserFactory(is_active=False)
    response = password_step(client, user.email)
    assert response.status_code == 200
    assert WRONG_LOGIN in response.content.decode()


def test_wrong_code_gives_clear_message(client, enrolled_user):
    user, device = enrolled_user
    password_step(client, user.email)
    response = code_step(client, wrong_code(device))
    assert response.status_code == 200
    assert WRONG_CODE in response.content.decode()
    assert not is_verified(client)


def test_codes_right_after_a_wrong_one_are_throttled_with_clear_message(client, enrolled_user):
    """django-otp's own throttling: after a wrong code it waits 1, 2, 4 ... seconds."""
    user, device = enrolled_user
    password_step(client, user.email)
    code_step(client, wrong_code(device))
    response = code_step(client, current_code(device))
    assert response.status_code == 200
    assert TOO_MANY_CODES in response.content.decode()
    assert not is_verified(client)


def test_expired_session_gives_clear_message_on_login_page(verified_client, coordinator):
    client = verified_client(coordinator)
    response = client.get("/")
    assert response.status_code == 200
    assert SIGNED_IN_COOKIE in response.cookies

    Session.objects.all().delete()  # what the idle timeout does

    response = client.get("/toegankelijkheid/?x=1")
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=%2Ftoegankelijkheid%2F%3Fx%3D1"
    response = client.get(response["Location"])
    assert response.status_code == 200
    assert EXPIRED in response.content.decode()
    # Once only.
    assert EXPIRED not in client.get(LOGIN).content.decode()


def test_expired_session_on_login_page_itself_shows_message(verified_client, coordinator):
    client = verified_client(coordinator)
    client.get("/")
    Session.objects.all().delete()
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert EXPIRED in response.content.decode()


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_session_in_use_is_renewed_once_a_minute_not_on_every_request(
    verified_client, coordinator, settings
):
    """The idle timeout (30 minutes by default) runs from the last request, to within
    SESSION_RENEW_AFTER; requests within that minute write nothing."""
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client = verified_client(coordinator)
    client.get("/")
    renewed = _expiry(client)
    with CaptureQueriesContext(connection) as queries:
        client.get("/toegankelijkheid/")
    assert not [q for q in queries if q["sql"].startswith("UPDATE")]
    assert _expiry(client) == renewed

    session = client.session
    session[RENEWED_KEY] = int(time.time()) - settings.SESSION_RENEW_AFTER
    session.save()
    before = _expiry(client)
    client.get("/toegankelijkheid/")
    assert _expiry(client) > before


def test_the_bell_poll_does_not_renew_the_session(verified_client, coordinator, settings):
    client = verified_client(coordinator)
    client.get("/")
    session = client.session
    session[RENEWED_KEY] = int(time.time()) - settings.SESSION_RENEW_AFTER
    session.save()
    before = _expiry(client)
    assert client.get(reverse("notifications:bell")).status_code == 200
    assert _expiry(client) == before


# --- Signing out -----------------------------------------------------------------------


def test_signing_out_shows_signed_out_not_expired(verified_client, coordinator):
    client = verified_client(coordinator)
    client.get("/")

    response = client.post(LOGOUT)
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert response.cookies[SIGNED_IN_COOKIE].value == ""

    page = client.get(LOGIN).content.decode()
    assert SIGNED_OUT in page
    assert EXPIRED not in page
    response = client.get("/")
    assert response["Location"].startswith(LOGIN)
    assert EXPIRED not in client.get(response["Location"]).content.decode()


def test_sign_out_needs_post(verified_client, coordinator):
    client = verified_client(coordinator)
    assert client.get(LOGOUT).status_code == 405
    assert client.get("/").status_code == 200


# --- Password reset ----------------------------------------------------------------------


def test_password_reset_by_e_mail(client):
    user = UserFactory(email="ria.devries@example.org", first_name="Ria", last_name="de Vries")

    response = client.post(RESET, {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert "Beste Ria," in message.body
    assert "de Vries" not in message.body
    assert user.email not in message.body
    link = re.search(r"https?://\S+", message.body).group(0)

    response = client.get(urlparse(link).path)
    assert response.status_code == 302  # Django moves the token into the session
    set_password_url = response["Location"]

    response = client.post(
        set_password_url, {"new_password1": "12345678", "new_password2": "12345678"}
    )
    assert response.status_code == 200
    assert "te kort" in response.content.decode()

    new = "a-much-longer-passphrase-42"
    response = client.post(set_password_url, {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert response["Location"] == "/account/password/reset/complete/"
    user.refresh_from_db()
    assert user.check_password(new)

    # The link works once.
    response = client.get(urlparse(link).path, follow=True)
    assert "Deze link werkt niet meer" in response.content.decode()


def test_password_reset_says_the_same_for_unknown_address(client):
    user = UserFactory()
    known = client.post(RESET, {"email": user.email})
    unknown = client.post(RESET, {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1
    page = client.get(known["Location"]).content.decode()
    assert "Als er een account is met het adres dat u hebt ingevuld" in page


def test_reset_pages_render_in_the_frame(client):
    for url in (RESET, "/account/password/reset/sent/", "/account/password/reset/complete/"):
        response = client.get(url)
        assert response.status_code == 200
        assert b"utrecht-heading-1" in response.content


# --- Demo accounts ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "debug, skip_setting, is_demo, skips",
    [
        (True, True, True, True),
        (False, True, True, False),
        (True, False, True, False),
        (True, True, False, False),
    ],
)
def test_demo_account_skips_second_factor_only_with_debug_and_setting(
    client, debug, skip_setting, is_demo, skips
):
    user = UserFactory(is_demo=is_demo)
    with override_settings(DEBUG=debug, TWO_FACTOR_SKIP_FOR_DEMO=skip_setting):
        password_step(client, user.email)
        response = client.get("/")
    if skips:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(SETUP)


# --- Pages render ------------------------------------------------------------------------


def test_security_pages_render_for_verified_user(verified_client, coordinator):
    client = verified_client(coordinator)
    for url in (
        "/account/security/",
        "/account/security/backup-codes/",
        "/account/security/replace/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"utrecht-heading-1" in response.content

    response = client.post("/account/security/backup-codes/")
    assert response.status_code == 302
    assert StaticDevice.objects.get(user=coordinator).token_set.count() == 10


def test_replacing_the_app_leads_to_enrolment(verified_client, coordinator):
    client = verified_client(coordinator)
    response = client.post("/account/security/replace/", {"understand": "on"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=coordinator).exists()
    response = client.get("/")
    assert response["Location"].startswith(SETUP)


def test_login_page_has_no_inline_script_or_style(client):
    page = client.get(LOGIN).content.decode()
    assert "<script>" not in page
    assert "style=" not in page
    assert 'name="auth-username"' in page
