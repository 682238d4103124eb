"""Issue 14 journey, in the Dutch interface: a manager opens the annual report from the
navigation, changes the year and the network, downloads the CSV and the PDF, and reaches no
case page. Every page passes axe (WCAG 2.1 AA)."""

import datetime as dt

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from cases.choices import CaseStatus
from partners import services as partner_services
from partners.choices import Role
from tests.factories.cases import CaseFactory, ReferralFactory
from tests.factories.partners import PASSWORD, NetworkFactory, OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_manager_reads_the_annual_report_and_reaches_no_case(
    browser, browser_context_args, live_server, totp_for, axe_clean
):
    municipality = OrganisationFactory(name="Gemeente Utrecht")
    mitros = OrganisationFactory(name="Mitros", corporation=True)
    manager = partner_services.user_create(
        email="manager@example.org",
        first_name="Mira",
        last_name="Manager",
        organisation=municipality,
        roles=[Role.MANAGER],
        password=PASSWORD,
        by=None,
    )
    TOTPDevice.objects.create(user=manager, name="default", confirmed=True)
    noord = NetworkFactory(name="Netwerk Noord")
    last_year = timezone.localdate().year - 1
    cases = []
    for i in range(7):
        case = CaseFactory(
            status=CaseStatus.ACCEPTED,
            network=noord,
            referred_on=dt.date(last_year, 3, 1 + i),
            accepted_on=dt.date(last_year, 3, 20),
        )
        ReferralFactory(case=case, organisation=mitros, submitted_at=timezone.now())
        cases.append(case)

    url = live_server.url
    context = browser.new_context(**browser_context_args, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{url}/account/login/")
    page.fill("input[name='auth-username']", manager.email)
    page.fill("input[name='auth-password']", PASSWORD)
    page.locator("button.utrecht-button--primary-action[type=submit]").click()
    page.fill("input[name='token-otp_token']", totp_for(manager))
    page.locator("button.utrecht-button--primary-action[type=submit]").click()
    expect(page.locator("header")).to_contain_text(manager.last_name)

    page.get_by_role("link", name="Jaarverslag").first.click()
    expect(page.locator("h1")).to_have_text("Jaarverslag")
    axe_clean(page)

    form = page.locator("main form[method=get]")
    form.locator("select[name='jaar']").select_option(str(last_year))
    form.locator("select[name='netwerk']").select_option(str(noord.pk))
    form.get_by_role("button", name="Cijfers tonen").click()
    main = page.locator("main")
    expect(main).to_contain_text("Netwerk Noord")
    expect(main).to_contain_text(f"01-01-{last_year}")
    expect(page.locator("#figure-acceptance ~ div table")).to_contain_text("7")
    expect(main.locator("svg[role=img]").first).to_be_visible()
    for case in cases:
        expect(main).not_to_contain_text(case.number)
    axe_clean(page)

    with page.expect_download() as csv_download:
        page.get_by_role("link", name="Downloaden als CSV").click()
    with open(csv_download.value.path(), encoding="utf-8") as handle:
        text = handle.read()
    assert "Aangenomen en doorgeleid" in text and "Netwerk Noord" in text
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Downloaden als PDF").click()
    with open(pdf_download.value.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"

    # No case page: not in the navigation, and refused when typed in.
    expect(page.locator("nav")).not_to_contain_text("Casussen")
    for path in ("/casussen/", f"/casussen/{cases[0].pk}/", "/cijfers/resultaatafspraken/"):
        response = page.goto(f"{url}{path}")
        assert response is not None and response.status in (403, 404), path
    context.close()
