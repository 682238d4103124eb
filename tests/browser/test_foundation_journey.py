"""Issue 3 journey: a coordinator signs in with two factors, sees the dashboard and switches
language; a partner representative never sees the administration. Each page passes axe."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from partners.choices import Role
from tests.factories.partners import PASSWORD, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_signs_in_with_2fa_and_switches_language(
    page, live_server, axe_clean, totp_for
):
    uc = OrganisationFactory(name="U Centraal", executing=True)
    coordinator = UserFactory(
        organisation=uc, roles=[Role.COORDINATOR], first_name="Carla", last_name="Coördinator"
    )
    TOTPDevice.objects.create(user=coordinator, name="default", confirmed=True)

    page.goto(f"{live_server.url}/account/login/")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    axe_clean(page)
    page.fill("input[name='auth-username']", coordinator.email)
    page.fill("input[name='auth-password']", PASSWORD)
    page.locator("button.utrecht-button--primary-action[type=submit]").click()
    expect(page.locator("input[name='token-otp_token']")).to_be_visible()
    axe_clean(page)
    page.fill("input[name='token-otp_token']", totp_for(coordinator))
    page.locator("button.utrecht-button--primary-action[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("header")).to_contain_text("Carla Coördinator")
    expect(page.locator("header")).to_contain_text("U Centraal")
    expect(page.locator("h1")).to_have_text(re.compile("Dashboard|Overzicht"))
    axe_clean(page)

    page.locator("form[action$='/i18n/setlang/'] [type=submit]").first.click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    axe_clean(page)


def test_partner_representative_does_not_see_administration(
    page, live_server, axe_clean, sign_in_on
):
    politie = OrganisationFactory(name="Politie", police=True)
    rep = UserFactory(organisation=politie, roles=[Role.PARTNER_REPRESENTATIVE])
    TOTPDevice.objects.create(user=rep, name="default", confirmed=True)
    sign_in_on(page, rep)
    expect(page.locator("header")).to_contain_text("Politie")
    expect(page.locator("nav")).not_to_contain_text(re.compile("Beheer|Administration"))
    axe_clean(page)
    response = page.goto(f"{live_server.url}/beheer/")
    assert response.status == 403
    axe_clean(page)


def test_accessibility_statement_is_public_and_clean(page, live_server, axe_clean):
    page.goto(f"{live_server.url}/account/login/")
    page.locator("footer a[href$='/toegankelijkheid/']").click()
    expect(page.locator("h1")).to_be_visible()
    axe_clean(page)
