"""Issue 13 journey, in the Dutch interface: the coordinator plans a year of case meetings of a
network (none in August), proposes and publishes the first agenda; the corporation's
representative sends apologies and names a colleague as substitute; the coordinator records
the attendance, writes a decision whose action goes to the substitute, makes the minutes final
and adds a dated correction; the substitute sees the meeting's items of the corporation and
the action under "My actions". Every page passes axe (WCAG 2.1 AA)."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.choices import CaseStatus
from cases.services import involvement_add
from meetings.models import Meeting
from partners.choices import Role
from tests.factories.cases import CaseFactory, PersonFactory
from tests.factories.partners import (
    NetworkFactory,
    NetworkRepresentativeFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_year_is_planned_a_representative_sends_apologies_and_the_substitute_gets_the_action(
    live_server, person, sign_in, axe_clean
):
    uc = OrganisationFactory(name="U Centraal", executing=True)
    mitros = OrganisationFactory(name="Mitros", corporation=True)
    politie = OrganisationFactory(name="Politie", police=True)
    coordinator = person("coordinator@example.org", "Cora", "Coördinator", uc, Role.COORDINATOR)
    representative = person(
        "rep@mitros.example", "Ruud", "Mitrosman", mitros, Role.PARTNER_REPRESENTATIVE
    )
    substitute = person(
        "sub@mitros.example", "Sanne", "Vervanger", mitros, Role.PARTNER_REPRESENTATIVE
    )
    network = NetworkFactory(name="Netwerk West")
    NetworkRepresentativeFactory(network=network, user=representative)

    def case(first, last, organisation):
        made = CaseFactory(
            status=CaseStatus.FINAL_EVALUATION, network=network, street="Kanaalstraat"
        )
        PersonFactory(case=made, first_name=first, last_name=last)
        involvement_add(case=made, organisation=organisation, by=coordinator)  # and its grants
        return made

    ours = case("Piet", "de Boer", mitros)
    theirs = case("Karel", "Verbeek", politie)
    year = timezone.localdate().year + 1
    url = live_server.url

    # The coordinator plans the year and publishes the first agenda (each person signs in
    # once: a TOTP code is used once).
    page = coordinator_page = sign_in(coordinator)
    page.get_by_role("link", name="Overleggen").first.click()
    page.get_by_role("link", name="Een jaar casusoverleggen plannen").click()
    expect(page.locator("h1")).to_have_text("Een jaar casusoverleggen plannen")
    form = page.locator("main form[method=post]")
    form.locator("select[name='network']").select_option(str(network.pk))
    form.locator("input[name='year']").fill(str(year))
    form.locator("select[name='weekday']").select_option("1")
    form.locator("select[name='nth']").select_option("2")
    form.locator("input[name='start_time']").fill("14:00")
    form.locator("input[name='location']").fill("Wijkbureau West")
    expect(form.get_by_label("augustus")).to_be_checked()
    axe_clean(page)
    form.locator("button[type=submit]").click()
    expect(page.locator("main")).to_contain_text(
        f"11 overleggen van Netwerk West zijn gepland in {year}."
    )
    axe_clean(page)
    meetings = Meeting.objects.filter(network=network).order_by("date")
    assert 8 not in {m.date.month for m in meetings}
    first = meetings[0]
    page.goto(f"{url}/overleggen/{first.pk}/")
    page.get_by_role("button", name="Punten voorstellen uit de casussen van het netwerk").click()
    expect(page.locator("ol.wo-agenda")).to_contain_text(ours.number)
    page.get_by_role("button", name="Agenda publiceren").click()
    expect(page.locator("main")).to_contain_text("De agenda is gepubliceerd")

    # The representative sends apologies and names a colleague.
    page = sign_in(representative)
    page.goto(f"{url}/overleggen/{first.pk}/")
    page.get_by_role("link", name="Afmelden voor Ruud Mitrosman").click()
    expect(page.locator("h1")).to_have_text("Afmelden")
    axe_clean(page)
    page.locator("select[name='substitute']").select_option(str(substitute.pk))
    page.locator("main form[method=post] button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/overleggen/{first.pk}/$"))
    expect(page.locator("#invitations + table")).to_contain_text(
        "Afgemeld; Sanne Vervanger komt in plaats"
    )
    axe_clean(page)

    # The coordinator records the attendance, minutes a decision with an action for the
    # substitute, makes the minutes final and adds a correction.
    page = coordinator_page
    page.goto(f"{url}/overleggen/{first.pk}/")
    page.get_by_role("link", name="Aanwezigheid vastleggen").click()
    expect(page.locator("h1")).to_have_text("Aanwezigheid")
    axe_clean(page)
    page.locator(f"select[name='org-{mitros.pk}-user']").select_option(str(substitute.pk))
    page.get_by_role("button", name="Aanwezigheid opslaan").click()
    expect(page.locator("main")).to_contain_text("Mitros: aanwezig (Sanne Vervanger)")

    item = first.items.get(case=ours)
    decision = page.locator(f"form[action$='/punten/{item.pk}/besluit/']")
    decision.locator(f"textarea[name='decision-{item.pk}-text']").fill(
        "Mitros legt een huisbezoek af."
    )
    prefix = f"actions-{item.pk}-0"
    decision.locator(f"select[name='{prefix}-organisation']").select_option(str(mitros.pk))
    decision.locator(f"select[name='{prefix}-person']").select_option(str(substitute.pk))
    due = timezone.localdate() + dt.timedelta(days=30)
    decision.locator(f"input[name='{prefix}-due_on']").fill(due.isoformat())
    decision.locator(f"textarea[name='{prefix}-description']").fill("Huisbezoek met de wijkagent")
    decision.get_by_role("button", name="Het besluit vastleggen").click()
    expect(page.locator("main")).to_contain_text("Mitros legt een huisbezoek af.")
    page.get_by_role("button", name="Verslag vaststellen").click()
    expect(page.locator("main")).to_contain_text("Correcties op het verslag")
    page.get_by_role("link", name="Correctie op het verslag toevoegen").click()
    axe_clean(page)
    page.locator("textarea[name='text']").fill("Correctie: de politie was afwezig.")
    page.get_by_role("button", name="Correctie toevoegen").click()
    expect(page.locator("#addenda + ul")).to_contain_text("Correctie: de politie was afwezig.")
    axe_clean(page)

    # The substitute was told (a link behind sign-in), sees the corporation's items and the
    # action under "My actions".
    page = sign_in(substitute)
    page.goto(f"{url}/meldingen/")
    page.get_by_role("link", name=re.compile("als vervanger")).click()
    expect(page).to_have_url(f"{url}/overleggen/{first.pk}/")
    agenda = page.locator("ol.wo-agenda")
    expect(agenda).to_contain_text(ours.number)
    expect(agenda).not_to_contain_text(theirs.number)
    expect(page.locator("main")).not_to_contain_text("de Boer")
    axe_clean(page)
    page.goto(f"{url}/casussen/acties/")
    expect(page.locator("main")).to_contain_text("Huisbezoek met de wijkagent")
    axe_clean(page)
