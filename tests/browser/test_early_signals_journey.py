"""Issue 17 journey, in the Dutch interface: a corporation signals an address → a second
organisation (the police) signals the same address, and sees nothing of the first → the
coordinator links the two and invites the corporation to refer → the corporation's referral
starts filled in from its signal and is submitted → at intake the case team sees both
signals. Every page passes axe (WCAG 2.1 AA)."""

import re

import pytest
from playwright.sync_api import expect

from cases.models import LawfulBasis, Referral
from early_signals.models import Signal
from partners.choices import Role
from partners.models import Organisation

pytestmark = pytest.mark.django_db(transaction=True)


def _signal(page, *, house_number, own_actions, form_value, basis, category):
    page.get_by_role("link", name="Vroegsignalen").first.click()
    expect(page.locator("h1")).to_have_text("Vroegsignalen")
    page.get_by_role("link", name="Adres signaleren").click()
    expect(page.locator("h1")).to_have_text("Adres signaleren")
    form = page.locator("main form.wo-form")
    form.locator("input[name='postcode']").fill("3511 ab")
    form.locator("input[name='house_number']").fill(house_number)
    form.locator(f"input[name='nuisance_forms'][value='{form_value}']").check()
    form.locator("textarea[name='own_actions']").fill(own_actions)
    form.locator(f"input[name='data_category'][value='{category}']").check()
    form.locator(f"input[name='lawful_basis'][value='{basis}']").check()
    form.get_by_role("button", name="Naar de coördinator sturen").click()
    expect(page.locator("main")).to_contain_text("Uw signaal is naar de coördinator gestuurd.")
    expect(page.locator("main")).to_contain_text("Binnenstad")


def test_two_signals_on_one_address_become_a_referral_seen_at_intake(
    live_server, person, sign_in, axe_clean
):
    orgs = {o.name: o for o in Organisation.objects.all()}
    corporation = person("ref@mitros.example", "Rian", "Mitros", orgs["Mitros"], Role.REFERRER)
    police = person(
        "wijkagent@politie.example", "Wim", "Agent", orgs["Politie"], Role.PARTNER_REPRESENTATIVE
    )
    coordinator = person(
        "coordinator@example.org", "Cora", "Coördinator", orgs["U Centraal"], Role.COORDINATOR
    )
    url = live_server.url

    # 1. The corporation signals the address.
    corp_page = sign_in(corporation)
    _signal(
        corp_page,
        house_number="12",
        own_actions="Twee gesprekken gevoerd.",
        form_value="noise",
        basis=LawfulBasis.objects.get(code="corporatie-gerechtvaardigd-belang").pk,
        category="ordinary",
    )
    axe_clean(corp_page)
    first = Signal.objects.get(organisation=orgs["Mitros"])

    # 2. The police signal the same address; nothing shows them the corporation's signal.
    police_page = sign_in(police)
    police_basis = LawfulBasis.objects.get(code="politie-wpg").pk
    _signal(
        police_page,
        house_number="12",
        own_actions="Melding opgenomen.",
        form_value="threats",
        basis=police_basis,
        category="police",
    )
    axe_clean(police_page)
    expect(police_page.locator("main")).not_to_contain_text("Mitros")
    police_page.get_by_role("link", name="Alle signalen").click()
    expect(police_page.locator("main")).not_to_contain_text("Mitros")
    assert police_page.goto(f"{url}/signalen/{first.pk}/").status == 404
    second = Signal.objects.get(organisation=orgs["Politie"])

    # 3. The coordinator links them and invites the corporation to refer.
    page = sign_in(coordinator)
    page.get_by_role("link", name="Vroegsignalen").first.click()
    expect(page.locator("main")).to_contain_text("Netwerk Binnenstad")
    axe_clean(page)
    page.locator(f"tr[data-signal='{first.pk}'] a").click()
    expect(page.locator("h1")).to_contain_text("3511 AB 12")
    page.locator(f"input[name='link-other'][value='{second.pk}']").check()
    page.get_by_role("button", name="Koppelen").click()
    expect(page.locator("main")).to_contain_text("De signalen zijn gekoppeld.")
    expect(page.locator(f"li[data-linked='{second.pk}']")).to_contain_text("Politie")
    page.locator("textarea[name='invite-advice']").fill("Graag een aanmelding.")
    page.get_by_role("button", name="Uitnodigen om aan te melden").last.click()
    expect(page.locator("main")).to_contain_text("uitgenodigd om aan te melden")
    axe_clean(page)

    # 4. The corporation starts the referral: it is filled in from the signal.
    corp_page.goto(f"{url}/signalen/{first.pk}/")
    expect(corp_page.locator("main")).to_contain_text("Graag een aanmelding.")
    expect(corp_page.locator("main")).not_to_contain_text("Politie")
    axe_clean(corp_page)
    corp_page.get_by_role("button", name="Aanmelding starten").click()
    expect(corp_page).to_have_url(re.compile(r"/casussen/aanmeldingen/\d+/$"))
    form = corp_page.locator("form[action*='/casussen/aanmeldingen/']")
    expect(form.locator("input[name='postcode']")).to_have_value("3511 AB")
    expect(form.locator("input[name='house_number']")).to_have_value("12")
    expect(form.locator("input[name='nuisance_forms'][value='noise']")).to_be_checked()
    expect(form.locator("textarea[name='actions_taken']")).to_have_value("Twee gesprekken gevoerd.")
    axe_clean(corp_page)
    form.locator("input[name='street']").fill("Oudegracht")
    form.locator("input[name='city']").fill("Utrecht")
    form.locator("input[name='housing_type'][value='corporation']").check()
    form.locator("select[name='corporation']").select_option(str(orgs["Mitros"].pk))
    form.locator("textarea[name='description']").fill("Harde muziek en bedreigingen.")
    form.locator("input[name='causer-0-first_name']").fill("Jan")
    form.locator("input[name='causer-0-last_name']").fill("Smit")
    form.locator("input[name='causer-0-date_of_birth']").fill("1970-01-01")
    form.locator("button[name='action'][value='submit']").click()
    expect(corp_page).to_have_url(re.compile(r"/casussen/aanmeldingen/\d+/ontvangen/$"))
    case = Referral.objects.select_related("case").get(referrer=corporation).case

    # 5. At intake the case team sees both signals.
    page.goto(f"{url}/casussen/{case.pk}/intake/")
    panel = page.locator("#early-signals")
    expect(panel).to_contain_text("Mitros")
    expect(panel).to_contain_text("Politie")
    expect(panel).to_contain_text("Twee gesprekken gevoerd.")
    expect(panel).to_contain_text("Melding opgenomen.")
    axe_clean(page)
