"""Issue 13 journey, in the Dutch interface: the coordinator plans a case meeting of a
network → proposes the agenda from the network's cases → publishes it → has the agenda PDF
made by a real Celery worker and downloads it; the corporation's representative then opens
the meeting and sees the items of the cases their organisation is involved in (number and
initials), not the others. Every page passes axe (WCAG 2.1 AA)."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

import meetings.tasks  # noqa: F401 - registers the PDF task with the test worker's app
from cases.choices import CaseStatus
from cases.models import CaseInvolvement
from partners import services as partner_services
from partners.choices import Role
from tests.factories.cases import CaseFactory, PersonFactory
from tests.factories.partners import (
    PASSWORD,
    NetworkFactory,
    NetworkRepresentativeFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path


def _person(email, first, last, organisation, role):
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


def _sign_in(page, url, user, totp_for):
    page.goto(f"{url}/account/login/")
    page.fill("input[name='auth-username']", user.email)
    page.fill("input[name='auth-password']", PASSWORD)
    page.locator("button.utrecht-button--primary-action[type=submit]").click()
    page.fill("input[name='token-otp_token']", totp_for(user))
    page.locator("button.utrecht-button--primary-action[type=submit]").click()
    expect(page.locator("header")).to_contain_text(user.last_name)


def test_coordinator_prepares_a_case_meeting_and_the_representative_sees_their_items(
    browser, browser_context_args, live_server, totp_for, axe_clean, celery_worker, media
):
    uc = OrganisationFactory(name="U Centraal", executing=True)
    mitros = OrganisationFactory(name="Mitros", corporation=True)
    politie = OrganisationFactory(name="Politie", police=True)
    coordinator = _person("coordinator@example.org", "Cora", "Coördinator", uc, Role.COORDINATOR)
    representative = _person(
        "rep@mitros.example", "Ruud", "Mitrosman", mitros, Role.PARTNER_REPRESENTATIVE
    )
    network = NetworkFactory(name="Netwerk West")
    NetworkRepresentativeFactory(network=network, user=representative)

    def case(first, last, organisation):
        made = CaseFactory(status=CaseStatus.INTAKE, network=network, street="Kanaalstraat")
        PersonFactory(case=made, first_name=first, last_name=last)
        CaseInvolvement.objects.create(case=made, organisation=organisation, added_by=coordinator)
        return made

    ours = case("Piet", "de Boer", mitros)
    theirs = case("Karel", "Verbeek", politie)
    day = timezone.localdate() + dt.timedelta(days=21)
    url = live_server.url

    context = browser.new_context(**browser_context_args, accept_downloads=True)
    page = context.new_page()
    _sign_in(page, url, coordinator, totp_for)
    page.get_by_role("link", name="Overleggen").first.click()
    expect(page.locator("h1")).to_have_text("Overleggen")
    axe_clean(page)
    page.get_by_role("link", name="Overleg plannen").click()
    form = page.locator("main form[method=post]")
    form.locator("select[name='kind']").select_option("case")
    form.locator("select[name='network']").select_option(str(network.pk))
    form.locator("input[name='date']").fill(day.isoformat())
    form.locator("input[name='start_time']").fill("14:00")
    form.locator("input[name='location']").fill("Wijkbureau West")
    axe_clean(page)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/overleggen/\d+/$"))
    expect(page.locator("h1")).to_have_text("Casusoverleg Netwerk West")

    page.get_by_role("button", name="Punten voorstellen uit de casussen van het netwerk").click()
    agenda = page.locator("ol.wo-agenda")
    expect(agenda).to_contain_text(ours.number)
    expect(agenda).to_contain_text(theirs.number)
    expect(agenda).to_contain_text("P.d.B.")
    axe_clean(page)
    page.get_by_role("button", name="Agenda publiceren").click()
    expect(page.locator("main")).to_contain_text("De agenda is gepubliceerd")

    page.get_by_role("button", name="Pdf van Agenda maken").click()
    download_link = page.get_by_role("link", name="Agenda downloaden (pdf)")
    for _attempt in range(30):
        if download_link.count():
            break
        page.wait_for_timeout(500)
        page.reload()
    with page.expect_download() as download_info:
        download_link.click()
    download = download_info.value
    with open(download.path(), "rb") as pdf:
        assert pdf.read(4) == b"%PDF"
    axe_clean(page)
    context.close()

    context = browser.new_context(**browser_context_args)
    page = context.new_page()
    _sign_in(page, url, representative, totp_for)
    page.get_by_role("link", name="Overleggen").first.click()
    page.get_by_role("link", name="Netwerk West").click()
    agenda = page.locator("ol.wo-agenda")
    expect(agenda).to_contain_text(ours.number)
    expect(agenda).not_to_contain_text(theirs.number)
    expect(page.locator("main")).not_to_contain_text("de Boer")
    axe_clean(page)
    context.close()
