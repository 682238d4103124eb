"""Issue 13 journey, in the Dutch interface: the coordinator plans a case meeting of a
network → proposes the agenda from the network's cases → publishes it → has the agenda PDF
made by a real Celery worker and downloads it; the corporation's representative then opens
the meeting and sees the items of the cases their organisation is involved in (number and
initials), not the others. Every page passes axe (WCAG 2.1 AA)."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

import meetings.tasks  # noqa: F401 - registers the PDF task with the test worker's app
from cases.choices import CaseStatus
from cases.models import CaseInvolvement
from partners.choices import Role
from tests.factories.cases import CaseFactory, PersonFactory
from tests.factories.partners import (
    NetworkFactory,
    NetworkRepresentativeFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_coordinator_prepares_a_case_meeting_and_the_representative_sees_their_items(
    browser, browser_context_args, live_server, sign_in_on, axe_clean, celery_worker, media, person
):
    uc = OrganisationFactory(name="U Centraal", executing=True)
    mitros = OrganisationFactory(name="Mitros", corporation=True)
    politie = OrganisationFactory(name="Politie", police=True)
    coordinator = person("coordinator@example.org", "Cora", "Coördinator", uc, Role.COORDINATOR)
    representative = person(
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

    context = browser.new_context(**browser_context_args, accept_downloads=True)
    page = context.new_page()
    sign_in_on(page, coordinator)
    expect(page.locator("header")).to_contain_text(coordinator.last_name)
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
    sign_in_on(page, representative)
    expect(page.locator("header")).to_contain_text(representative.last_name)
    page.get_by_role("link", name="Overleggen").first.click()
    page.get_by_role("link", name="Netwerk West").click()
    agenda = page.locator("ol.wo-agenda")
    expect(agenda).to_contain_text(ours.number)
    expect(agenda).not_to_contain_text(theirs.number)
    expect(page.locator("main")).not_to_contain_text("de Boer")
    axe_clean(page)
    context.close()
