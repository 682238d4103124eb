"""Issue 13 journey, in the Dutch interface: a partner representative signals a bottleneck
in the bottleneck log → the coordinator puts the open bottlenecks on the advisory group's
agenda, moves the bottleneck up, drops a standing topic (it is listed as dropped), adds a
general item and publishes the agenda → the invited representative reads the published
agenda. Every page passes axe (WCAG 2.1 AA)."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings import services as meeting_services
from meetings.choices import MeetingKind
from partners.choices import Role
from tests.factories.partners import OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_signalled_bottleneck_reaches_the_advisory_agenda(
    live_server, person, sign_in, axe_clean
):
    uc = OrganisationFactory(name="U Centraal", executing=True)
    mitros = OrganisationFactory(name="Mitros", corporation=True)
    coordinator = person("coordinator@example.org", "Cora", "Coördinator", uc, Role.COORDINATOR)
    representative = person(
        "rep@mitros.example", "Ruud", "Mitrosman", mitros, Role.PARTNER_REPRESENTATIVE
    )
    advisory = meeting_services.meeting_plan(
        kind=MeetingKind.ADVISORY,
        date=timezone.localdate() + dt.timedelta(days=30),
        start_time=dt.time(10, 0),
        location="Stadhuis",
        by=coordinator,
    )
    meeting_services.meeting_member_invite(meeting=advisory, user=representative, by=coordinator)
    url = live_server.url

    # The representative signals a bottleneck (signed in once: a TOTP code is used once).
    page = representative_page = sign_in(representative)
    page.get_by_role("link", name="Knelpunten").first.click()
    expect(page.locator("h1")).to_have_text("Knelpunten")
    axe_clean(page)
    form = page.locator("main form.wo-form").first
    form.get_by_label("Titel").fill("Nachtopvang vol")
    form.get_by_label("Beschrijving").fill("Cliënten kunnen na een ontruiming nergens terecht.")
    form.get_by_role("button", name="Naar de coördinator sturen").click()
    expect(page.locator("main")).to_contain_text("Het knelpunt is naar de coördinator gestuurd.")
    expect(page.locator("ul.wo-agenda")).to_contain_text("Nachtopvang vol")
    axe_clean(page)

    # The coordinator puts it on the advisory agenda and prepares the agenda.
    page = sign_in(coordinator)
    page.get_by_role("link", name="Knelpunten").first.click()
    expect(page.locator("main")).to_contain_text("Nachtopvang vol")
    axe_clean(page)
    page.get_by_role("button", name=re.compile("^Open knelpunten op deze agenda zetten")).click()
    expect(page).to_have_url(re.compile(r"/overleggen/\d+/agenda/bewerken/$"))
    expect(page.locator("main")).to_contain_text("1 knelpunt(en) op de agenda gezet.")
    agenda = page.locator("ol.wo-agenda > li")
    expect(agenda.last).to_contain_text("Nachtopvang vol")
    axe_clean(page)

    page.get_by_role("button", name=re.compile(r"^Omhoog\s*: Nachtopvang vol")).click()
    expect(agenda.nth(agenda.count() - 2)).to_contain_text("Nachtopvang vol")
    page.get_by_role(
        "button", name=re.compile(r"^Van de agenda halen\s*: Adviezen en tips")
    ).click()
    expect(page.locator("main")).to_contain_text("Het punt is van de agenda gehaald.")
    dropped = page.locator("h2#dropped + p + ul")
    expect(dropped).to_contain_text("Adviezen en tips")
    expect(page.locator("ol.wo-agenda")).not_to_contain_text("Adviezen en tips")

    add = page.locator("form[action$='/agenda/punt/']")
    add.get_by_label("Titel").fill("Rondvraag")
    add.get_by_label("Vraag aan het overleg").fill("Wat verder ter tafel komt.")
    add.get_by_role("button", name="Punt toevoegen").click()
    expect(page.locator("ol.wo-agenda > li").last).to_contain_text("Rondvraag")
    axe_clean(page)

    page.get_by_role("button", name="Agenda publiceren").click()
    expect(page).to_have_url(re.compile(r"/overleggen/\d+/$"))
    expect(page.locator("main")).to_contain_text("De agenda is gepubliceerd")
    axe_clean(page)

    # The invited representative reads the published agenda: the bottleneck, not the dropped.
    page = representative_page
    page.goto(f"{url}/overleggen/{advisory.pk}/")
    agenda = page.locator("ol.wo-agenda")
    expect(agenda).to_contain_text("Nachtopvang vol")
    expect(agenda).to_contain_text("Rondvraag")
    expect(agenda).not_to_contain_text("Adviezen en tips")
    axe_clean(page)
