"""Issue 4 journey, in the Dutch interface: a referrer submits a referral through the form →
the coordinator takes it into handling, assigns a casemanager and asks consent and a police
screening → the corporation's representative consents in the request inbox → the police
representative records the screening → the casemanager completes the six criteria → the
coordinator accepts → the referrer sees "accepted" in "my referrals" and nothing of the
case. Every page passes axe (WCAG 2.1 AA).

Each person has a browser context of their own and signs in once with password and TOTP
(a TOTP code cannot be used twice). Assertions use URLs, names, ids and data-* attributes,
so they hold whatever the Dutch wording becomes."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases import services
from cases.choices import CaseStatus, ConsentDecision, RiskLevel
from cases.models import (
    ConsentRequest,
    Criterion,
    CriterionAssessment,
    KrisCheck,
    PoliceScreening,
    Referral,
)
from partners.choices import Role
from tests.factories.partners import DistrictFactory, NetworkFactory, OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)

CRITERIA = [
    "De overlast hangt samen met het wonen in de woning.",
    "De overlast is ernstig of duurt ten minste drie maanden.",
    "Er is sprake van meerdere vormen van overlast.",
    "Er is sprake van complexe onderliggende problematiek.",
    "De eerstelijnspartij heeft zelf voldoende gedaan.",
    "De situatie vraagt om meerdere disciplines.",
]


def _world(person):
    """Organisations, district and network, the criteria and one person per role. Flushed
    databases (transactional tests) lose the migrations' seed, so it is made here."""
    uc = OrganisationFactory(name="U Centraal", executing=True)
    mitros = OrganisationFactory(name="Mitros", corporation=True)
    politie = OrganisationFactory(name="Politie", police=True)
    binnenstad = DistrictFactory(name="Binnenstad")
    network = NetworkFactory(name="Netwerk Binnenstad")
    network.districts.add(binnenstad)
    for number, text in enumerate(CRITERIA, start=1):
        Criterion.objects.get_or_create(number=number, defaults={"text": text})

    return {
        "referrer": person(
            "r.verwijzer@mitros.example", "Rita", "Verwijzer", mitros, Role.REFERRER
        ),
        "coordinator": person("c.coord@uc.example", "Carla", "Coördinator", uc, Role.COORDINATOR),
        "casemanager": person("m.manager@uc.example", "Mo", "Manager", uc, Role.CASEMANAGER),
        "corporation_rep": person(
            "w.woon@mitros.example", "Wim", "Woonconsulent", mitros, Role.PARTNER_REPRESENTATIVE
        ),
        "police_rep": person(
            "a.agent@politie.example", "Anna", "Agent", politie, Role.PARTNER_REPRESENTATIVE
        ),
        "mitros": mitros,
    }


def _submit_and_wait(page, button, url_part):
    """Click a button of an htmx section form and wait for its answer."""
    with page.expect_response(lambda r: url_part in r.url and r.request.method == "POST") as info:
        button.click()
    assert info.value.status == 200, info.value.url


def test_referral_to_accepted_case(live_server, sign_in, axe_clean, person):
    world = _world(person)
    url = live_server.url

    # --- 1. The referrer fills in the referral form and submits it -------------------------
    referrer = sign_in(world["referrer"])
    response = referrer.goto(f"{url}/casussen/aanmelden/")
    assert response.status == 200, response.status
    axe_clean(referrer)
    referrer.locator("form[action$='/casussen/aanmelden/'] button[type=submit]").click()
    expect(referrer).to_have_url(re.compile(r"/casussen/aanmeldingen/\d+/$"))
    axe_clean(referrer)
    form = referrer.locator("form[action*='/casussen/aanmeldingen/']")
    form.locator("input[name='contact_phone']").fill("030 123 45 67")
    form.locator("input[name='postcode']").fill("3511 ab")
    form.locator("input[name='house_number']").fill("7")
    form.locator("input[name='street']").fill("Oudegracht")
    form.locator("input[name='city']").fill("Utrecht")
    form.locator("input[name='housing_type'][value='corporation']").check()
    form.locator("select[name='corporation']").select_option(str(world["mitros"].pk))
    form.locator("input[name='nuisance_forms'][value='noise']").check()
    form.locator("input[name='nuisance_forms'][value='threats']").check()
    form.locator("input[name='nuisance_since']").fill("2026-01-05")
    form.locator("input[name='backgrounds'][value='financial']").check()
    form.locator("textarea[name='description']").fill("Elke nacht harde muziek en bedreigingen.")
    form.locator("textarea[name='actions_taken']").fill("Twee brieven en een gesprek.")
    form.locator("input[name='causer-0-first_name']").fill("Jan")
    form.locator("input[name='causer-0-last_name']").fill("Smit")
    form.locator("input[name='causer-0-date_of_birth']").fill("1970-01-01")
    # A second household member without saving first (htmx swaps the fieldset; typed kept).
    form.locator("input[name='household-0-last_name']").fill("Smit-de Vries")
    form.locator("button[name='action'][value='add-household']").click()
    expect(form.locator("input[name='household-1-first_name']")).to_be_focused()
    expect(form.locator("input[name='household-0-last_name']")).to_have_value("Smit-de Vries")
    expect(form.locator("input[name='street']")).to_have_value("Oudegracht")
    form.locator("input[name='household-1-first_name']").fill("Sam")
    form.locator("input[name='household-1-last_name']").fill("Smit")
    axe_clean(referrer)
    form.locator("button[name='action'][value='submit']").click()
    expect(referrer).to_have_url(re.compile(r"/casussen/aanmeldingen/\d+/ontvangen/$"))
    referral = Referral.objects.select_related("case").get(referrer=world["referrer"])
    case = referral.case
    assert case.status == CaseStatus.REFERRED
    assert case.number and case.district.name == "Binnenstad"
    assert case.persons.filter(role="household_member").count() == 2
    expect(referrer.locator("main")).to_contain_text(case.number)
    axe_clean(referrer)

    # --- 2. The coordinator takes it into handling, assigns, asks consent and screening ----
    coordinator = sign_in(world["coordinator"])
    coordinator.goto(f"{url}/casussen/intake/")
    axe_clean(coordinator)
    coordinator.locator(f"a[href$='/casussen/{case.pk}/intake/']").first.click()
    expect(coordinator).to_have_url(re.compile(rf"/casussen/{case.pk}/intake/$"))
    axe_clean(coordinator)
    coordinator.locator("form[action$='/intake/in-behandeling/'] button[type=submit]").click()
    expect(coordinator.locator("#handling form")).to_have_count(0)
    axe_clean(coordinator)

    section = coordinator.locator("#casemanager")
    section.locator("select[name='assign-casemanager']").select_option(str(world["casemanager"].pk))
    _submit_and_wait(coordinator, section.locator("button[type=submit]"), "/intake/casemanager/")
    expect(coordinator.locator("#casemanager")).to_contain_text("Mo Manager")
    _submit_and_wait(
        coordinator, coordinator.locator("#consent button[type=submit]"), "/intake/toestemming/"
    )
    expect(coordinator.locator("#consent form")).to_have_count(0)  # one open request at a time
    _submit_and_wait(
        coordinator,
        coordinator.locator("#screening form[action$='/aanvragen/'] button[type=submit]"),
        "/intake/screening/aanvragen/",
    )
    # One open request at a time; waiving stays possible while the police have not answered.
    expect(coordinator.locator("#screening form[action$='/aanvragen/']")).to_have_count(0)
    axe_clean(coordinator)
    case.refresh_from_db()
    assert case.status == CaseStatus.INTAKE
    assert case.casemanager == world["casemanager"]

    # --- 3. The corporation's representative consents in the request inbox ----------------
    consent = ConsentRequest.objects.get(case=case)
    corporation = sign_in(world["corporation_rep"])
    corporation.goto(f"{url}/casussen/verzoeken/")
    axe_clean(corporation)
    corporation.locator(f"a[href$='/verzoeken/toestemming/{consent.pk}/']").click()
    expect(corporation.locator("main")).not_to_contain_text("Smit")
    axe_clean(corporation)
    corporation.locator(
        f"input[name='consent-decision'][value='{ConsentDecision.CONSENT}']"
    ).check()
    corporation.locator("form[method=post] button[type=submit]").last.click()
    expect(corporation).to_have_url(re.compile(r"/casussen/verzoeken/$"))
    axe_clean(corporation)
    consent.refresh_from_db()
    assert consent.decision == ConsentDecision.CONSENT
    assert consent.answered_by == world["corporation_rep"]

    # --- 4. The police representative records the screening -------------------------------
    screening = PoliceScreening.objects.get(case=case)
    police = sign_in(world["police_rep"])
    police.goto(f"{url}/casussen/verzoeken/")
    axe_clean(police)
    police.locator(f"a[href$='/verzoeken/screening/{screening.pk}/']").click()
    axe_clean(police)
    police.locator(f"input[name='screening-risk_level'][value='{RiskLevel.ELEVATED}']").check()
    police.locator("textarea[name='screening-safety_advice']").fill(
        "Huisbezoek alleen met z'n tweeën."
    )
    police.locator("textarea[name='screening-details']").fill("Eerdere incidenten bekend.")
    police.locator("form[method=post] button[type=submit]").last.click()
    expect(police).to_have_url(re.compile(r"/casussen/verzoeken/$"))
    axe_clean(police)
    screening.refresh_from_db()
    assert screening.risk_level == RiskLevel.ELEVATED

    # --- 5. The casemanager completes the six criteria from the case page ------------------
    casemanager = sign_in(world["casemanager"])
    casemanager.goto(f"{url}/casussen/{case.pk}/")
    axe_clean(casemanager)
    casemanager.locator("a[data-intake-link='intake']").click()
    expect(casemanager).to_have_url(re.compile(rf"/casussen/{case.pk}/intake/$"))
    axe_clean(casemanager)
    criteria = casemanager.locator("#criteria")
    for number in range(1, 7):
        criteria.locator(f"input[name='criteria-met_{number}'][value='met']").check()
        criteria.locator(f"textarea[name='criteria-motivation_{number}']").fill(
            f"Onderbouwing bij criterium {number}."
        )
    _submit_and_wait(
        casemanager,
        criteria.locator("form[action$='/intake/criteria/'] button[type=submit]"),
        "/intake/criteria/",
    )
    expect(casemanager.locator("#criteria [role=status]")).to_be_visible()
    axe_clean(casemanager)
    assert (
        CriterionAssessment.objects.filter(
            case=case, is_met=True, assessed_by=world["casemanager"]
        ).count()
        == 6
    )

    # The KRIS check with its follow-up: known, the trajectory manager contacted, plans aligned.
    kris = casemanager.locator("#kris")
    kris.locator("input[name='kris-result'][value='known']").check()
    kris.locator("input[name='kris-trajectory_manager_name']").fill("Tara Regisseur")
    kris.locator("input[name='kris-trajectory_manager_organisation']").fill("Buurtteam Oost")
    kris.locator("input[name='kris-trajectory_manager_contacted_on']").fill(
        (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    )
    kris.locator("input[name='kris-plans_aligned'][value='yes']").check()
    _submit_and_wait(casemanager, kris.locator("button[type=submit]"), "/intake/kris/")
    expect(casemanager.locator("#kris [role=status]")).to_be_visible()
    axe_clean(casemanager)
    assert KrisCheck.objects.get(case=case).plans_aligned is True

    # --- 6. The coordinator accepts (the workflow gives acceptance to the coordinator) -----
    coordinator.goto(f"{url}/casussen/{case.pk}/intake/")
    axe_clean(coordinator)
    coordinator.locator("textarea[name='accept-motivation']").fill("Alle criteria zijn voldaan.")
    coordinator.locator("form[action$='/intake/aannemen/'] button[type=submit]").click()
    expect(coordinator.locator("#decision form")).to_have_count(0)
    axe_clean(coordinator)
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
    # The intake is over: the page shows what was decided, and offers nothing more.
    expect(
        coordinator.locator("#consent form, #kris form, #screening form, #criteria form")
    ).to_have_count(0)
    # The case page's header names the phase; a long journal shows 20 entries, and with
    # htmx "Older" loads the next 20 under them without leaving the page.
    for day in range(25):
        services.journal_entry_add(
            case=case, by=world["casemanager"], kind="contact",
            occurred_on=timezone.localdate() - dt.timedelta(days=day), participants="",
            text=f"Gesprek nummer {day}", confidentiality="all_involved", visible_to=[],
        )  # fmt: skip
    coordinator.goto(f"{url}/casussen/{case.pk}/")
    expect(coordinator.locator(".wo-case-header [data-case-phase]")).to_have_text("Aangenomen")
    entries = coordinator.locator("#journal .wo-journal-entry")
    expect(entries).to_have_count(20)
    coordinator.locator("#journal_page-pages a[rel=next]").click()
    expect(entries).to_have_count(25)
    expect(coordinator).to_have_url(re.compile(rf"/casussen/{case.pk}/$"))
    expect(coordinator.locator("#journal")).to_contain_text("Gesprek nummer 24")
    axe_clean(coordinator)

    # --- 7. The referrer sees "accepted" in "my referrals" with the address they entered
    # themselves (issue 16), nothing else of the case -----------------------------------------
    referrer.goto(f"{url}/casussen/mijn-aanmeldingen/")
    axe_clean(referrer)
    row = referrer.locator(f"tr:has([data-case-number='{case.number}'])")
    expect(row.locator("[data-status]")).to_have_attribute("data-status", "accepted")
    expect(row).to_contain_text("Oudegracht 7")
    main = referrer.locator("main")
    for content in ["Smit", "muziek", "Mo Manager", "Verhoogd", "Elevated"]:
        expect(main).not_to_contain_text(content)
    assert referrer.goto(f"{url}/casussen/{case.pk}/").status in (403, 404)
