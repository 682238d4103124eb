"""Issue 12 journey, in the Dutch interface: the casemanager writes a plan with two SMART
goals and three actions → marks it agreed → the police representative sees the actions for
Politie under "my actions" and marks one done → on the plan page the casemanager cancels one
action with a reason and marks another done. Every page passes axe (WCAG 2.1 AA).

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

    # --- 4. On the plan page the casemanager cancels one action and marks another done ------
    manager.goto(f"{url}/casussen/{case.pk}/plan/")
    expect(manager.locator(f"#case-action-{action.pk}")).to_contain_text("door Anna Agent")
    talk = Action.objects.get(description="Gesprek over huisregels")
    row = manager.locator(f"#case-action-{talk.pk}")
    row.locator("summary", has_text="Actie afgelasten").click()
    row.locator("textarea[name='reason']").fill("Bewoner houdt zich aan de huisregels.")
    row.locator("form[action$='/annuleren/'] button[type=submit]").click()
    cancelled = manager.locator(f"#case-action-{talk.pk}")
    expect(cancelled).to_contain_text("Afgelast: Bewoner houdt zich aan de huisregels.")
    expect(cancelled).to_contain_text("door Mo Manager")
    care = Action.objects.get(description="Hulpverlening starten")
    row = manager.locator(f"#case-action-{care.pk}")
    row.locator("summary", has_text="Afronden").click()
    row.locator("textarea[name='note']").fill("Intake bij GGZ gepland.")
    row.locator("form[action$='/gereed/'] button[type=submit]").click()
    expect(manager.locator(f"#case-action-{care.pk} form")).to_have_count(0)
    expect(manager.locator(f"#case-action-{care.pk}")).to_contain_text("Intake bij GGZ gepland.")
    axe_clean(manager)
    talk.refresh_from_db()
    care.refresh_from_db()
    assert (talk.status, talk.cancel_reason) == (
        ActionStatus.CANCELLED,
        "Bewoner houdt zich aan de huisregels.",
    )
    assert (care.status, care.finished_by) == (ActionStatus.DONE, casemanager)


# --- After the plan: adjust at six months, final evaluation, aftercare, closing ------------


def _step(page, url, case, target):
    """Take a step offered under "next steps" on the case page."""
    page.goto(f"{url}/casussen/{case.pk}/")
    form = page.locator(f"form#step-{target}")
    if form.locator("input[name='confirm']").count():  # a step that ends the case: confirmed
        form.locator("input[name='confirm']").check()
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/casussen/{case.pk}/"))


def _score_and_judge(form, goals, result):
    for goal in goals:
        form.locator(f"input[name='result_{goal.pk}'][value='{result}']").check()
    for domain in LifeDomain.objects.filter(is_active=True):
        form.locator(f"input[name='ld-score_{domain.pk}'][value='4']").check()


def test_six_month_adjustment_final_evaluation_aftercare_and_closing(
    live_server, sign_in, axe_clean, person
):
    uc = OrganisationFactory(name="U Centraal", executing=True)
    politie = OrganisationFactory(name="Politie", police=True)
    buurtteam = OrganisationFactory(name="Buurtteam Sociaal")
    casemanager = person("m.manager@uc.example", "Mo", "Manager", uc, Role.CASEMANAGER)
    coordinator = person("c.coord@uc.example", "Carla", "Coord", uc, Role.COORDINATOR)
    worker = person(
        "w.wijk@buurtteam.example", "Wim", "Wijkwerker", buurtteam, Role.PARTNER_REPRESENTATIVE
    )
    person("b.ander@buurtteam.example", "Bea", "Ander", buurtteam, Role.PARTNER_REPRESENTATIVE)
    police_rep = person(
        "a.agent@politie.example", "Anna", "Agent", politie, Role.PARTNER_REPRESENTATIVE
    )
    case = CaseFactory(
        casemanager=casemanager,
        status=CaseStatus.EXECUTION,
        accepted_on=timezone.localdate(),
    )
    services.involvement_add(case=case, organisation=politie, by=coordinator)
    services.involvement_add(case=case, organisation=buurtteam, by=coordinator)
    if not LifeDomain.objects.filter(is_active=True).exists():  # flushed by other journeys
        LifeDomain.objects.create(code="housing", name="Huisvesting", order=1)
    today = timezone.localdate()
    # The agreed plan (version 1) with two goals; its action is done (the first journey).
    plan = plan_services.plan_start(case=case, by=casemanager)
    goals = [
        plan_services.goal_add(
            plan=plan,
            by=casemanager,
            specific=specific,
            indicator="Klachten van omwonenden per maand",
            target="0",
            agreed_partners=[politie],
            feasibility="De bewoner werkt mee.",
            target_date=today + dt.timedelta(days=120),
        )
        for specific in ("Geen geluidsoverlast na 22 uur", "Het portiek is schoon")
    ]
    action = plan_services.action_assign(
        by=casemanager,
        goal=goals[0],
        organisation=politie,
        description="Huisbezoek met wijkagent",
        due_on=today + dt.timedelta(days=14),
    )
    plan_services.action_complete(action=action, by=police_rep, note="Gedaan.")
    plan_services.life_domains_assess(
        case=case,
        by=casemanager,
        plan=plan,
        scores={d.pk: (2, "") for d in LifeDomain.objects.filter(is_active=True)},
    )
    plan_services.plan_mark_agreed(plan=plan, by=casemanager)
    url = live_server.url

    # --- 1. The six-month evaluation adjusts the plan: version 2, with the diff ------------
    manager = sign_in(casemanager)
    manager.goto(f"{url}/casussen/{case.pk}/evaluaties/nieuw/")
    axe_clean(manager)
    form = manager.locator("main form[method=post]")
    form.locator("select[name='kind']").select_option("six_month")
    form.locator("input[name='held_on']").fill(today.isoformat())
    form.locator("textarea[name='participants'], input[name='participants']").fill(
        "Casemanager, wijkagent, bewoner"
    )
    form.locator("input[name='adjusts_plan']").check()
    _score_and_judge(form, goals, "partly")
    form.locator("button[type=submit]").last.click()
    expect(manager).to_have_url(re.compile(rf"/casussen/{case.pk}/evaluaties/$"))
    axe_clean(manager)
    draft = Plan.objects.get(case=case, number=2)
    assert draft.status == PlanStatus.DRAFT
    first = draft.goals.get(specific="Geen geluidsoverlast na 22 uur")
    manager.goto(f"{url}/casussen/{case.pk}/plan/doelen/{first.pk}/")
    manager.locator("input[name='target']").fill("Hooguit 1")
    manager.locator("main form[method=post] button[type=submit]").click()
    expect(manager).to_have_url(re.compile(rf"/casussen/{case.pk}/plan/"))
    manager.locator("form[action$='/plan/vaststellen/'] button[type=submit]").click()
    expect(manager.locator("#plan-heading")).to_contain_text("Versie 2")
    diff = manager.locator("#diff")
    expect(diff).to_contain_text("versie 1")
    expect(diff).to_contain_text("Geen geluidsoverlast na 22 uur")
    axe_clean(manager)
    manager.locator(f"#versions a[href$='/casussen/{case.pk}/plan/1/']").click()
    expect(manager.locator("#plan-heading")).to_contain_text("Versie 1")
    axe_clean(manager)
    draft.refresh_from_db()
    assert draft.status == PlanStatus.AGREED

    # --- 2. Final evaluation: "manageable", with aftercare --------------------------------
    _step(manager, url, case, "final_evaluation")
    manager.goto(f"{url}/casussen/{case.pk}/evaluaties/eindevaluatie/")
    axe_clean(manager)
    form = manager.locator("main form[method=post]")
    form.locator("input[name='held_on']").fill(today.isoformat())
    form.locator("textarea[name='participants'], input[name='participants']").fill(
        "Casemanager, wijkagent, buurtteam"
    )
    form.locator("select[name='neighbours_outcome']").select_option("manageable")
    form.locator("select[name='partners_outcome']").select_option("manageable")
    form.locator("select[name='causer_in_care']").select_option("true")
    form.locator("select[name='housing_outcome']").select_option("stayed")
    form.locator("select[name='follow_up']").select_option("aftercare")
    _score_and_judge(form, list(draft.goals.all()), "achieved")
    form.locator("button[type=submit]").last.click()
    expect(manager).to_have_url(re.compile(rf"/casussen/{case.pk}/evaluaties/$"))
    expect(manager.locator("main")).to_contain_text("Beheersbaar")
    axe_clean(manager)

    # --- 3. Aftercare: the plan with its handover, an action for the neighbourhood team ----
    _step(manager, url, case, "aftercare")
    manager.goto(f"{url}/casussen/{case.pk}/nazorg/")
    axe_clean(manager)
    form = manager.locator("main form[method=post]:has(input[name='end_date'])")
    form.locator("input[name='end_date']").fill((today + dt.timedelta(days=30)).isoformat())
    form.locator("input[name='handover_to']").fill("Wijkwerker van het buurtteam")
    form.locator("input[name='handover_on']").fill(today.isoformat())
    form.locator("textarea[name='handover_what']").fill("Dossier en afspraken")
    form.locator("button[type=submit]").click()
    expect(manager.locator("[data-handover]")).to_contain_text("Dossier en afspraken")
    form = manager.locator("main form[action$='/nazorg/acties/nieuw/']")
    form.locator("textarea[name='description']").fill("Maandelijks huisbezoek")
    # Choosing the organisation lists only its people (htmx swaps the person select).
    form.locator("select[name='organisation']").select_option(str(buurtteam.pk))
    person = form.locator("select[name='assignee']")
    expect(person.locator(f"option[value='{worker.pk}']")).to_have_count(1)
    expect(person.locator(f"option[value='{police_rep.pk}']")).to_have_count(0)
    person.select_option(str(worker.pk))
    form.locator("input[name='due_on']").fill((today + dt.timedelta(days=21)).isoformat())
    axe_clean(manager)
    form.locator("button.utrecht-button--primary-action[type=submit]").click()
    expect(manager.locator("#actions")).to_contain_text("Maandelijks huisbezoek")
    axe_clean(manager)

    # --- 4. Aftercare ends: the neighbourhood team does the last aftercare action ---------
    team = sign_in(worker)
    team.goto(f"{url}/casussen/acties/")
    axe_clean(team)
    aftercare_action = Action.objects.get(description="Maandelijks huisbezoek")
    row = team.locator(f"#action-{aftercare_action.pk}")
    row.locator("textarea[name='note']").fill("Nazorg afgerond, warm overgedragen.")
    row.locator("button[type=submit]").click()
    expect(team.locator(f"#action-{aftercare_action.pk} form")).to_have_count(0)
    axe_clean(team)

    # --- 5. The case closes: a final evaluation and no open actions -----------------------
    _step(manager, url, case, "closed")
    axe_clean(manager)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    expect(manager.locator("form:has(input[name='to'][value='closed'])")).to_have_count(0)
