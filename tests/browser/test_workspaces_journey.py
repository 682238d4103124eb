"""Issue 16 journey: each role starts its day on the dashboard (its workspace) and does its
main task in at most three clicks — the coordinator takes a referral into handling, the
casemanager records a home visit in the journal, the corporation's representative gives
consent, the referrer finds a referral's status. One sign-in per person; axe on every page.
Assertions use URLs, names and data-* attributes rather than wording."""

import datetime as dt
import importlib
import re

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from cases.choices import CaseStatus, ConsentDecision, JournalKind
from cases.models import ConsentRequest, JournalEntry
from deadlines import kinds
from deadlines import services as deadline_services
from partners.choices import Role
from tests.cases.case_setup import basis_data
from tests.factories.cases import CaseFactory, ReferralFactory
from tests.factories.partners import OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)

MAX_CLICKS = 3


class Clicks:
    """Counts the clicks a task takes from the dashboard."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, locator) -> None:
        self.count += 1
        locator.click()


def test_every_role_does_its_main_task_within_three_clicks_of_the_dashboard(
    live_server, sign_in, axe_clean, person
):
    # A transactional test before this one may have flushed the migrations' seed.
    importlib.import_module(
        "cases.migrations.0012_lawful_basis_catalogue"
    ).seed_catalogue_and_mark_for_review(apps, None)
    uc = OrganisationFactory(name="U Centraal", executing=True)
    mitros = OrganisationFactory(name="Mitros", corporation=True)
    coordinator = person("c.coord@uc.example", "Carla", "Coördinator", uc, Role.COORDINATOR)
    casemanager = person("m.manager@uc.example", "Mo", "Manager", uc, Role.CASEMANAGER)
    representative = person(
        "w.woon@mitros.example", "Wim", "Woonconsulent", mitros, Role.PARTNER_REPRESENTATIVE
    )
    referrer = person("r.verwijzer@mitros.example", "Rita", "Verwijzer", mitros, Role.REFERRER)
    referred = CaseFactory(number="WO-2026-0101", street="Biltstraat", created_by=coordinator)
    ReferralFactory(case=referred, organisation=mitros, referrer=referrer)
    deadline_services.deadline_open(
        kind=kinds.INTAKE, case=referred, started_on=timezone.localdate() - dt.timedelta(days=2)
    )
    consent = ConsentRequest.objects.create(
        case=referred,
        corporation=mitros,
        requested_by=coordinator,
        requested_on=timezone.localdate(),
    )
    mine = CaseFactory(
        number="WO-2026-0102",
        street="Amsterdamsestraatweg",
        casemanager=casemanager,
        execution=True,
        created_by=coordinator,
    )

    # --- The coordinator takes the referral into handling: 2 clicks ------------------------
    page = sign_in(coordinator)
    click = Clicks()
    block = page.locator("[data-block='to_take']")
    expect(block.locator("[data-count]")).to_have_attribute("data-count", "1")
    click(block.locator("a", has_text="WO-2026-0101"))
    expect(page).to_have_url(re.compile(rf"/casussen/{referred.pk}/intake/$"))
    axe_clean(page)
    click(page.locator("form[action$='/intake/in-behandeling/'] button[type=submit]"))
    expect(page.locator("#handling form")).to_have_count(0)
    axe_clean(page)
    referred.refresh_from_db()
    assert referred.status == CaseStatus.INTAKE
    assert click.count <= MAX_CLICKS

    # --- The casemanager records a home visit in the journal: 3 clicks ---------------------
    page = sign_in(casemanager)
    click = Clicks()
    row = page.locator("[data-block='my_cases'] tbody tr").first
    expect(row).to_contain_text("WO-2026-0102")
    click(row.locator("a", has_text="WO-2026-0102"))
    expect(page).to_have_url(re.compile(rf"/casussen/{mine.pk}/$"))
    axe_clean(page)
    click(page.locator(f"a[href$='/casussen/{mine.pk}/journaal/nieuw/']").first)
    axe_clean(page)
    form = page.locator("form[method=post]").filter(has=page.locator("textarea[name$='text']"))
    form.locator("select[name$='kind']").select_option(JournalKind.HOME_VISIT.value)
    form.locator("input[name$='occurred_on']").fill(timezone.localdate().isoformat())
    form.locator("textarea[name$='text']").fill("Huisbezoek: bewoner thuis, afspraken gemaakt.")
    basis = basis_data(casemanager)["lawful_basis"]
    form.locator(f"input[name$='lawful_basis'][value='{basis}']").check()
    click(form.locator("button[type=submit]").last)
    expect(page).to_have_url(re.compile(rf"/casussen/{mine.pk}/#journal$"))
    axe_clean(page)
    entry = JournalEntry.objects.get(case=mine)
    assert entry.kind == JournalKind.HOME_VISIT and entry.author == casemanager
    assert click.count <= MAX_CLICKS

    # --- The corporation's representative gives consent: 2 clicks --------------------------
    page = sign_in(representative)
    click = Clicks()
    block = page.locator("[data-block='requests']")
    expect(block.locator("[data-count]")).to_have_attribute("data-count", "1")
    click(block.locator(f"a[href$='/verzoeken/toestemming/{consent.pk}/']"))
    axe_clean(page)
    page.locator(f"input[name='consent-decision'][value='{ConsentDecision.CONSENT}']").check()
    click(page.locator("form[method=post] button[type=submit]").last)
    expect(page).to_have_url(re.compile(r"/casussen/verzoeken/$"))
    axe_clean(page)
    consent.refresh_from_db()
    assert consent.decision == ConsentDecision.CONSENT
    assert click.count <= MAX_CLICKS

    # --- The referrer finds the referral's status: on the dashboard, 1 click to the list --
    page = sign_in(referrer)
    click = Clicks()
    block = page.locator("[data-block='referrals']")
    expect(block.locator("[data-status='intake']")).to_be_visible()  # the team's word
    expect(block).not_to_contain_text("Amsterdamsestraatweg")
    click(block.locator("a[href$='/casussen/mijn-aanmeldingen/']"))
    expect(page.locator("[data-case-number='WO-2026-0101']")).to_be_visible()
    expect(page.locator("td[data-status='intake']")).to_be_visible()
    axe_clean(page)
    assert click.count <= MAX_CLICKS
