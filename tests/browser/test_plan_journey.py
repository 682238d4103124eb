"""Issue 12 journey, in the Dutch interface: the casemanager writes a plan with two SMART
goals and three actions → marks it agreed → the police representative sees the actions for
Politie under "my actions" and marks one done. Every page passes axe (WCAG 2.1 AA).

The life-domain analysis is recorded through the service beforehand (its form is covered by
tests/cases/test_plan_pages.py); assertions use URLs, names and ids."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases import services
from cases.choices import CaseStatus
from cases.choices_plan import ActionStatus, PlanStatus
from cases.models import Action, LifeDomain, Plan
from cases.services import plan as plan_services
from partners.choices import Role
from tests.factories.cases import CaseFactory
from tests.factories.partners import OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _add_goal(page, url, case, text, partner_pk, target_date):
    page.goto(f"{url}/casussen/{case.pk}/plan/doelen/nieuw/")
    form = page.locator("main form[method=post]")
    form.locator("textarea[name='specific']").fill(text)
    form.locator("textarea[name='indicator']").fill("Klachten van omwonenden per maand")
    form.locator("input[name='target']").fill("0")
    form.locator(f"input[name='agreed_partners'][value='{partner_pk}']").check()
    form.locator("textarea[name='feasibility']").fill("De bewoner werkt mee.")
    form.locator("input[name='target_date']").fill(target_date)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/casussen/{case.pk}/plan/"))


def _add_action(page, url, case, goal, text, organisation_pk, due):
    page.goto(f"{url}/casussen/{case.pk}/plan/doelen/{goal.pk}/acties/nieuw/")
    form = page.locator("main form[method=post]")
    form.locator("textarea[name='description']").fill(text)
    form.locator("select[name='organisation']").select_option(str(organisation_pk))
    form.locator("input[name='due_on']").fill(due)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/casussen/{case.pk}/plan/"))


def test_plan_to_my_actions(live_server, sign_in, axe_clean, person):
    uc = OrganisationFactory(name="U Centraal", executing=True)
    politie = OrganisationFactory(name="Politie", police=True)
    ggz = OrganisationFactory(name="GGZ Centraal")
    casemanager = person("m.manager@uc.example", "Mo", "Manager", uc, Role.CASEMANAGER)
    coordinator = person("c.coord@uc.example", "Carla", "Coord", uc, Role.COORDINATOR)
    police_rep = person(
        "a.agent@politie.example", "Anna", "Agent", politie, Role.PARTNER_REPRESENTATIVE
    )
    case = CaseFactory(
        casemanager=casemanager,
        status=CaseStatus.INVESTIGATION,
        accepted_on=timezone.localdate(),
    )
    services.involvement_add(case=case, organisation=politie, by=coordinator)
    services.involvement_add(case=case, organisation=ggz, by=coordinator)
    if not LifeDomain.objects.filter(is_active=True).exists():  # flushed by other journeys
        LifeDomain.objects.create(code="housing", name="Huisvesting", order=1)
    url = live_server.url
    today = timezone.localdate()
    later = (today + dt.timedelta(days=120)).isoformat()

    # --- 1. The casemanager starts the plan and writes two goals and three actions ---------
    manager = sign_in(casemanager)
    manager.goto(f"{url}/casussen/{case.pk}/")
    manager.locator(f"#plan-link a[href$='/casussen/{case.pk}/plan/']").click()
    axe_clean(manager)
    manager.locator(f"a[href$='/casussen/{case.pk}/plan/bewerken/']").click()
    axe_clean(manager)
    manager.locator("textarea[name='summary']").fill("Geluidsoverlast en vervuiling.")
    manager.locator("main form[method=post] button[type=submit]").click()
    expect(manager).to_have_url(re.compile(rf"/casussen/{case.pk}/plan/$"))
    _add_goal(manager, url, case, "Geen geluidsoverlast na 22 uur", politie.pk, later)
    axe_clean(manager)
    _add_goal(manager, url, case, "Het portiek is schoon", ggz.pk, later)
    plan = Plan.objects.get(case=case)
    first, second = plan.goals.order_by("order")
    due = (today + dt.timedelta(days=14)).isoformat()
    _add_action(manager, url, case, first, "Huisbezoek met wijkagent", politie.pk, due)
    _add_action(manager, url, case, first, "Gesprek over huisregels", politie.pk, later)
    _add_action(manager, url, case, second, "Hulpverlening starten", ggz.pk, due)
    axe_clean(manager)
    expect(manager.locator("#goals")).to_contain_text("Huisbezoek met wijkagent")

    # --- 2. The analysis is there; the casemanager marks the plan agreed ---------------------
    plan_services.life_domains_assess(
        case=case,
        by=casemanager,
        plan=plan,
        scores={d.pk: (3, "") for d in LifeDomain.objects.filter(is_active=True)},
    )
    manager.reload()
    manager.locator("form[action$='/plan/vaststellen/'] button[type=submit]").click()
    expect(manager.locator("#plan-step")).to_have_count(1)
    axe_clean(manager)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.AGREED

    # --- 3. The police representative sees Politie's actions and marks one done -------------
    police = sign_in(police_rep)
    police.goto(f"{url}/casussen/acties/")
    axe_clean(police)
    table = police.locator("#my-actions")
    expect(table).to_contain_text("Huisbezoek met wijkagent")
    expect(table).to_contain_text("Gesprek over huisregels")
    expect(table).not_to_contain_text("Hulpverlening starten")
    action = Action.objects.get(description="Huisbezoek met wijkagent")
    row = police.locator(f"#action-{action.pk}")
    row.locator("textarea[name='note']").fill("Bezoek afgelegd, afspraken gemaakt.")
    row.locator("button[type=submit]").click()
    expect(police.locator(f"#action-{action.pk} form")).to_have_count(0)
    axe_clean(police)
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.completion_note == "Bezoek afgelegd, afspraken gemaakt."
