"""Browser journeys: Playwright driving Debian's chromium against the live server.

`scripts/test` installs chromium when it is missing. An axe-core scan (WCAG 2.1 AA) runs on
every page a journey visits, through `axe_clean(page)`.
"""

import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
AXE = next((Path(__file__).parent.parent / "vendor").glob("axe-core@*/axe.min.js"))
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(items):
    missing = os.environ.get("WOONOVERLAST_NO_BROWSER")
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            if missing:
                item.add_marker(pytest.mark.skip(reason=f"no browser: {missing}"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: scripts/test installs it (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "nl-NL", "timezone_id": "Europe/Amsterdam"}


@pytest.fixture
def axe_clean():
    """Run axe-core on the page (through the DevTools protocol, so the CSP stays strict)."""
    source = AXE.read_text()

    def check(page):
        # Evaluated every time, not "when window.axe is missing": right after a click that
        # navigates, that test still saw the old document, and axe then ran in a document
        # being unloaded (a CI run failed on it).
        page.evaluate(source)
        result = page.evaluate(
            # resultTypes: only the violations are read, so axe collects one node per rule
            # for passes and incomplete instead of every node (the same violations, faster).
            "async (tags) => await axe.run(document, "
            "{runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
            WCAG_AA,
        )
        violations = [
            {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]
        ]
        assert not violations, f"axe violations on {page.url}:\n" + json.dumps(violations, indent=1)

    return check


@pytest.fixture
def totp_for():
    """The current TOTP code of a user's confirmed device."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    def code(user) -> str:
        device = TOTPDevice.objects.get(user=user, confirmed=True)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        return f"{totp.token():0{device.digits}d}"

    return code


# --- People, signing in and media: shared by the journeys -----------------------------------


@pytest.fixture
def person():
    """`person(email, first, last, organisation, role)`: a user made through the user service,
    as the administration does (organisation group included), with a confirmed TOTP device."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from partners import services as partner_services
    from tests.factories.partners import PASSWORD

    def make(email, first, last, organisation, role):
        user = partner_services.user_create(
            email=email,
            first_name=first,
            last_name=last,
            organisation=organisation,
            roles=[role],
            password=PASSWORD,
            by=None,
        )
        TOTPDevice.objects.create(user=user, name="default", confirmed=True)
        return user

    return make


@pytest.fixture
def sign_in_on(live_server, totp_for):
    """`sign_in_on(page, user)`: the sign-in form with password and the TOTP code, on `page`.
    A TOTP code cannot be used twice: sign each user in once per journey."""
    from tests.factories.partners import PASSWORD

    def sign_in(page, user, password=PASSWORD):
        page.goto(f"{live_server.url}/account/login/")
        page.fill("input[name='auth-username']", user.email)
        page.fill("input[name='auth-password']", password)
        page.locator("button.utrecht-button--primary-action[type=submit]").click()
        page.fill("input[name='token-otp_token']", totp_for(user))
        page.locator("button.utrecht-button--primary-action[type=submit]").click()

    return sign_in


@pytest.fixture
def sign_in(browser, browser_context_args, live_server, axe_clean):
    """`sign_in(user)`: a signed-in page in a browser context of its own (one per person in a
    journey), on the Dutch interface, showing the dashboard (checked by axe). The context
    starts with a session that passed the second factor, as the sign-in form leaves it: the
    form itself (password, then the TOTP code) is the foundation journey's and `sign_in_on`'s;
    going through it for every person cost a journey 1.4 s each (docs/tooling.md)."""
    from django.conf import settings
    from django.test import Client
    from playwright.sync_api import expect

    from devtools.benchmarking import sign_in_verified

    contexts = []

    def open_as(user, **context_args):
        session = sign_in_verified(Client(), user).session
        context = browser.new_context(**browser_context_args, **context_args)
        contexts.append(context)
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": session.session_key,
                    "url": live_server.url,
                }
            ]
        )
        page = context.new_page()
        page.goto(f"{live_server.url}/")
        expect(page.locator("html")).to_have_attribute("lang", "nl")
        expect(page.locator("header")).to_contain_text(user.last_name)
        axe_clean(page)
        return page

    yield open_as
    for context in contexts:
        context.close()
