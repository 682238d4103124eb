"""Issue 11 journey, access follows the need (DOMAIN.md §7), in the Dutch interface: an acute
case in a home of Portaal → the coordinator records the special situation on the criteria →
acceptance is refused until Portaal consents → Portaal's representative sees the request,
not the case (404), and consents → accepted: Portaal is involved and sees the case → the
case is closed → after the handover period the daily job ends Portaal's involvement:
its representative gets 404 and the privacy officer sees the refused attempt on the
unusual-access page. Every page passes axe.

The plan, the final evaluation and the closing are done through the services
(cases/services/plan.py, case_transition): their pages are built in parallel. Time is moved
by ageing the closing date in the database, then the daily job's service runs."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases import services
from cases.choices import CaseStatus, ConsentDecision
from cases.choices_plan import EvaluationKind, FollowUp
from cases.domain.plan import FinalOutcome
from cases.models import Case, CaseInvolvement, ConsentRequest, Criterion, LifeDomain
from cases.services import plan as plan_services
from partners.choices import Role
from tests.cases.intake_steps import assess_criteria, record_kris, waive_screening
from tests.factories.cases import CaseFactory, PersonFactory, ReferralFactory
from tests.factories.partners import OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _world(person):
    uc = OrganisationFactory(name="U Centraal", executing=True)
    portaal = OrganisationFactory(name="Portaal", corporation=True)
    gemeente = OrganisationFactory(name="Gemeente Utrecht", kind="municipality")
    for number in range(1, 7):
        Criterion.objects.get_or_create(number=number, defaults={"text": f"Criterium {number}"})
    LifeDomain.objects.get_or_create(code="wonen", defaults={"name": "Huisvesting"})

    return {
        "coordinator": person("c.coord@uc.example", "Carla", "Coördinator", uc, Role.COORDINATOR),
        "casemanager": person("m.manager@uc.example", "Mo", "Manager", uc, Role.CASEMANAGER),
        "portaal_rep": person(
            "w.woon@portaal.example", "Wim", "Woonconsulent", portaal, Role.PARTNER_REPRESENTATIVE
        ),
        "privacy": person(
            "p.privacy@utrecht.example", "Pim", "Privacy", gemeente, Role.PRIVACY_OFFICER
        ),
        "portaal": portaal,
    }


def _submit_and_wait(page, button, url_part):
    with page.expect_response(lambda r: url_part in r.url and r.request.method == "POST") as info:
        button.click()
    assert info.value.status == 200, info.value.url


def _close_through_the_services(case, casemanager, corporation):
    """Investigation → plan agreed → execution → final evaluation (the case ended early: the
    causer moved) → closed, as the plan and evaluation pages will do."""
    step = services.case_transition
    step(case=case, to=CaseStatus.INVESTIGATION, by=casemanager)
    plan = plan_services.plan_start(case=case, by=casemanager)
    plan_services.goal_add(
        plan=plan,
        by=casemanager,
        specific="Geen brandgevaarlijke situaties meer in de woning",
        indicator="Meldingen van de brandweer per maand",
        target="0 meldingen",
        agreed_partners=[corporation],
        feasibility="De bewoner wil meewerken",
        target_date=timezone.localdate() + dt.timedelta(days=90),
    )
    scores = {d.pk: (2, "Toelichting") for d in LifeDomain.objects.filter(is_active=True)}
    plan_services.life_domains_assess(case=case, by=casemanager, plan=plan, scores=scores)
    plan_services.plan_mark_agreed(plan=plan, by=casemanager)
    step(case=case, to=CaseStatus.PLAN_AGREED, by=casemanager, has_agreed_plan=True)
    step(case=case, to=CaseStatus.EXECUTION, by=casemanager, has_agreed_plan=True)
    step(case=case, to=CaseStatus.FINAL_EVALUATION, by=casemanager)
    plan_services.evaluation_record(
        case=case,
        by=casemanager,
        kind=EvaluationKind.FINAL,
        held_on=timezone.localdate(),
        participants="Casemanager, Portaal",
        notes="Verhuisd naar familie buiten de stad.",
        outcome=FinalOutcome(early_end_reason="moved", follow_up=FollowUp.NONE),
    )
    step(case=case, to=CaseStatus.CLOSED, by=casemanager, has_final_evaluation=True)


def test_access_follows_the_need_and_ends_after_the_handover_period(
    live_server, sign_in, axe_clean, person
):
    world = _world(person)
    url = live_server.url
    coordinator_user, casemanager_user = world["coordinator"], world["casemanager"]
    case = CaseFactory(
        status=CaseStatus.INTAKE,
        casemanager=casemanager_user,
        corporation=world["portaal"],
        street="Kanaalstraat",
        house_number=7,
        intake_started_on=timezone.localdate(),
    )
    ReferralFactory(
        case=case,
        organisation=world["portaal"],
        is_urgent=True,
        urgency_reason="Acute escalatie: dreiging met brand in de woning.",
    )
    PersonFactory(case=case, first_name="Jan", last_name="Smit")
    # The intake checks the journey is not about: criteria not all met, no screening, KRIS.
    assess_criteria(case, coordinator_user, met=False)
    waive_screening(case, coordinator_user)
    record_kris(case, coordinator_user)

    # --- 1. The coordinator records the special situation (acute escalation) --------------
    coordinator = sign_in(coordinator_user)
    coordinator.goto(f"{url}/casussen/{case.pk}/intake/")
    axe_clean(coordinator)
    coordinator.locator("input[name='override-override']").check()
    coordinator.locator("textarea[name='override-motivation']").fill(
        "Acute escalatie: brandgevaar voor de buren, niet wachten op alle criteria."
    )
    _submit_and_wait(
        coordinator,
        coordinator.locator("form[action$='/intake/afwijking/'] button[type=submit]"),
        "/intake/",
    )
    axe_clean(coordinator)
    assert Case.objects.get(pk=case.pk).criteria_override

    # --- 2. Acceptance is refused until Portaal consents; the coordinator asks consent ----
    coordinator.locator("textarea[name='accept-motivation']").fill("Bijzondere situatie.")
    coordinator.locator("form[action$='/intake/aannemen/'] button[type=submit]").click()
    expect(coordinator.locator("#decision [role=alert]")).to_be_visible()
    axe_clean(coordinator)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.INTAKE
    _submit_and_wait(
        coordinator, coordinator.locator("#consent button[type=submit]"), "/intake/toestemming/"
    )
    consent = ConsentRequest.objects.get(case=case)
    assert not CaseInvolvement.objects.filter(case=case, is_active=True).exists()

    # --- 3. Portaal's representative sees the request, not the case, and consents ---------
    portaal = sign_in(world["portaal_rep"])
    portaal.goto(f"{url}/casussen/verzoeken/")
    axe_clean(portaal)
    portaal.locator(f"a[href$='/verzoeken/toestemming/{consent.pk}/']").click()
    main = portaal.locator("main")
    expect(main).to_contain_text(case.number)
    expect(main).to_contain_text("Kanaalstraat")
    expect(main).not_to_contain_text("Smit")
    axe_clean(portaal)
    assert portaal.goto(f"{url}/casussen/{case.pk}/").status == 404
    portaal.goto(f"{url}/casussen/verzoeken/toestemming/{consent.pk}/")
    portaal.locator(f"input[name='consent-decision'][value='{ConsentDecision.CONSENT}']").check()
    portaal.locator("form[method=post] button[type=submit]").last.click()
    expect(portaal).to_have_url(re.compile(r"/casussen/verzoeken/$"))

    # --- 4. Accepted: Portaal (consented) becomes involved and sees the case ---------------
    coordinator.goto(f"{url}/casussen/{case.pk}/intake/")
    coordinator.locator("textarea[name='accept-motivation']").fill("Bijzondere situatie.")
    coordinator.locator("form[action$='/intake/aannemen/'] button[type=submit]").click()
    expect(coordinator.locator("#decision form")).to_have_count(0)
    axe_clean(coordinator)
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ACCEPTED
    response = portaal.goto(f"{url}/casussen/{case.pk}/")
    assert response.status == 200
    axe_clean(portaal)

    # --- 5. Closed (services); within the handover period Portaal still sees it -----------
    _close_through_the_services(Case.objects.get(pk=case.pk), casemanager_user, world["portaal"])
    assert services.end_due_involvements() == 0
    assert portaal.goto(f"{url}/casussen/{case.pk}/").status == 200

    # --- 6. After the handover period the daily job ends the involvement -------------------
    Case.objects.filter(pk=case.pk).update(closed_on=timezone.localdate() - dt.timedelta(days=30))
    assert services.end_due_involvements() == 1
    assert portaal.goto(f"{url}/casussen/{case.pk}/").status == 404
    casemanager = sign_in(casemanager_user)
    casemanager.goto(f"{url}/casussen/{case.pk}/")
    expect(casemanager.locator("#involved")).to_contain_text("Portaal")  # the history stays
    axe_clean(casemanager)

    # --- 7. The privacy officer sees the refused attempt -----------------------------------
    officer = sign_in(world["privacy"])
    officer.goto(f"{url}/privacy/toegang/ongebruikelijk/")
    expect(officer.locator("h1")).to_be_visible()
    refused = officer.locator("table:has(#refused), #refused + p + div table")
    expect(refused.last).to_contain_text("Wim Woonconsulent")
    expect(refused.last).to_contain_text(str(case.pk))
    axe_clean(officer)
