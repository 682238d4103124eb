"""The plan page, its forms and "my actions" (cases/views/plan.py): what shows, for whom,
refusals, forms that keep what was typed, and query budgets with 1 and 500 actions."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from audit.models import ReadLogEntry, ReadWhat, RefusedAccess
from cases.choices_plan import ActionStatus, PlanStatus
from cases.models import Action, Goal
from cases.selectors import plan as plan_selectors
from cases.services import plan as plan_services
from deadlines import kinds
from deadlines.models import Deadline
from tests.cases.case_setup import make_world
from tests.factories.cases import ActionFactory, CaseFactory, GoalFactory, PlanFactory
from woonoverlast.pdf import render_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def plan(world):
    plan = PlanFactory(case=world.case, created_by=world.casemanager)
    goal = GoalFactory(plan=plan, case=world.case, agreed_partners=[world.politie])
    ActionFactory(
        goal=goal, case=world.case, organisation=world.politie, description="Huisbezoek Politie"
    )
    return plan


def _due() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=14)


def _bulk(goal, organisation, count):
    Action.objects.bulk_create(
        [
            Action(
                case=goal.case,
                goal=goal,
                organisation=organisation,
                description=f"Actie {i}",
                due_on=_due() + dt.timedelta(days=i % 30),
                created_by=goal.case.created_by,
            )
            for i in range(count)
        ]
    )


def test_plan_page_shows_goals_actions_and_agreements_and_logs_the_read(
    world, plan, verified_client
):
    url = reverse("cases:plan", args=[world.case.pk])
    response = verified_client(world.police_rep).get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Huisbezoek Politie" in body
    assert 'id="agreements"' in body and "GGZ Centraal" in body
    assert ReadLogEntry.objects.filter(
        user=world.police_rep, case_id=world.case.pk, what=ReadWhat.PLAN
    ).exists()


@pytest.mark.parametrize("who", ["outsider_rep", "referrer", "other_casemanager"])
def test_outsiders_get_404_on_the_plan(world, plan, verified_client, who):
    response = verified_client(getattr(world, who)).get(reverse("cases:plan", args=[world.case.pk]))
    assert response.status_code == 404


def test_a_representative_may_not_write_the_plan(world, plan, verified_client):
    response = verified_client(world.police_rep).get(
        reverse("cases:goal_add", args=[world.case.pk])
    )
    assert response.status_code == 403


def test_casemanager_starts_a_plan(world, verified_client):
    client = verified_client(world.casemanager)
    response = client.post(
        reverse("cases:plan_edit", args=[world.case.pk]),
        {"summary": "Geluidsoverlast.", "evaluation_interval_months": 3},
    )
    assert response.status_code == 302
    assert world.case.plans.get().summary == "Geluidsoverlast."


def test_goal_form_names_each_missing_part_and_keeps_what_was_typed(world, plan, verified_client):
    client = verified_client(world.casemanager)
    response = client.post(
        reverse("cases:goal_add", args=[world.case.pk]),
        {"specific": "Rust in het portiek", "indicator": "", "target": "0 klachten"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"indicator", "agreed_partners", "feasibility", "target_date"}
    assert "specific" not in form.errors
    body = response.content.decode()
    assert "Rust in het portiek" in body and "0 klachten" in body
    assert Goal.objects.filter(plan=plan).count() == 1


def test_casemanager_adds_a_smart_goal_and_assigns_an_action(world, plan, verified_client):
    client = verified_client(world.casemanager)
    response = client.post(
        reverse("cases:goal_add", args=[world.case.pk]),
        {
            "specific": "Rust in het portiek",
            "indicator": "Klachten per maand",
            "target": "0",
            "agreed_partners": [world.politie.pk],
            "feasibility": "Bewoner werkt mee.",
            "target_date": (timezone.localdate() + dt.timedelta(days=90)).isoformat(),
        },
    )
    assert response.status_code == 302
    goal = Goal.objects.get(plan=plan, specific="Rust in het portiek")
    response = client.post(
        reverse("cases:action_add", args=[world.case.pk, goal.pk]),
        {"description": "Gesprek GGZ", "organisation": world.ggz.pk, "due_on": _due().isoformat()},
    )
    assert response.status_code == 302
    assert Action.objects.filter(goal=goal, organisation=world.ggz).exists()


def test_representative_records_agreement_casemanager_may_not(world, plan, verified_client):
    url = reverse("cases:plan_agree", args=[world.case.pk])
    assert verified_client(world.casemanager).post(url).status_code == 403
    assert verified_client(world.police_rep).post(url, {"note": "Akkoord"}).status_code == 302
    assert plan.agreements.get().organisation == world.politie


def test_mark_agreed_is_refused_without_life_domain_analysis(world, plan, verified_client):
    response = verified_client(world.casemanager).post(
        reverse("cases:plan_mark_agreed", args=[world.case.pk]), follow=True
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert "life-domain" in response.content.decode().lower() or response.context["messages"]


def test_earlier_version_is_readable_with_its_diff(world, plan, verified_client):
    plan.status = PlanStatus.AGREED
    plan.save()
    newer = plan_services.plan_new_version(plan=plan, by=world.casemanager)
    GoalFactory(plan=newer, case=world.case, specific="Nieuw doel")
    client = verified_client(world.casemanager)
    body = client.get(reverse("cases:plan", args=[world.case.pk])).content.decode()
    assert 'id="diff"' in body and "Nieuw doel" in body
    old = client.get(reverse("cases:plan_version", args=[world.case.pk, 1]))
    assert old.status_code == 200
    assert client.get(reverse("cases:plan_version", args=[world.case.pk, 9])).status_code == 404


def _bulk_decided(case, organisation, count):
    Action.objects.bulk_create(
        [
            Action(
                case=case,
                decided_in_meeting=True,
                decided_on=timezone.localdate() - dt.timedelta(days=i % 60),
                organisation=organisation,
                description=f"Besluit {i}",
                due_on=_due(),
                created_by=case.created_by,
            )
            for i in range(count)
        ]
    )


def test_plan_page_shows_the_actions_case_meetings_decided_with_the_meetings_date(
    world, plan, verified_client
):
    meeting_day = timezone.localdate() - dt.timedelta(days=3)
    plan_services.action_assign(
        by=world.coordinator,
        organisation=world.ggz,
        description="Huisbezoek met de wijkagent",
        due_on=_due(),
        decided_for=world.case,
        decided_on=meeting_day,
    )
    response = verified_client(world.police_rep).get(reverse("cases:plan", args=[world.case.pk]))
    body = response.content.decode()
    section = body[body.index('id="meeting-actions"') :]
    assert "Besluiten uit casusoverleggen" in section
    assert "Huisbezoek met de wijkagent" in section and "GGZ Centraal" in section
    assert date_format(meeting_day, "j F Y") in section
    # A goal's action is not repeated among the decisions.
    assert "Huisbezoek Politie" not in section.split("</section>")[0]


def test_meeting_decisions_show_before_there_is_a_plan(world, verified_client):
    _bulk_decided(world.case, world.ggz, 1)
    body = (
        verified_client(world.casemanager)
        .get(reverse("cases:plan", args=[world.case.pk]))
        .content.decode()
    )
    assert "Besluit 0" in body


@pytest.mark.parametrize("count", [1, 500])
def test_plan_page_query_budget(world, plan, verified_client, django_assert_max_num_queries, count):
    _bulk(plan.goals.get(), world.politie, count)
    _bulk_decided(world.case, world.ggz, count)
    # Finished rows name who finished them; open rows carry the case team's forms.
    finished = {"finished_by": world.police_rep, "finished_at": timezone.now()}
    Action.objects.filter(description__endswith="1").update(status=ActionStatus.DONE, **finished)
    Action.objects.filter(description__endswith="2").update(
        status=ActionStatus.CANCELLED, cancel_reason="Niet meer nodig", **finished
    )
    client = verified_client(world.casemanager)
    with django_assert_max_num_queries(40):
        response = client.get(reverse("cases:plan", args=[world.case.pk]))
    assert response.status_code == 200


# --- My actions --------------------------------------------------------------------------


def test_my_actions_shows_only_my_organisations_actions(world, plan, verified_client):
    ActionFactory(
        goal=plan.goals.get(), case=world.case, organisation=world.ggz, description="Voor GGZ"
    )
    body = verified_client(world.police_rep).get(reverse("cases:my_actions")).content.decode()
    assert "Huisbezoek Politie" in body and "Voor GGZ" not in body


def test_my_actions_is_not_there_for_the_case_team(world, verified_client):
    assert verified_client(world.casemanager).get(reverse("cases:my_actions")).status_code == 404


def test_representative_marks_an_action_done_without_javascript(world, plan, verified_client):
    action = Action.objects.get(organisation=world.politie)
    response = verified_client(world.police_rep).post(
        reverse("cases:action_done", args=[action.pk]), {"note": "Bezoek afgelegd."}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE and action.completion_note == "Bezoek afgelegd."


def test_marking_done_with_htmx_returns_the_row(world, plan, verified_client):
    action = Action.objects.get(organisation=world.politie)
    response = verified_client(world.police_rep).post(
        reverse("cases:action_done", args=[action.pk]), {"note": "Klaar."}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert f'id="action-{action.pk}"' in response.content.decode()


def test_another_organisation_may_not_mark_the_action_done(world, plan, verified_client):
    action = Action.objects.get(organisation=world.politie)
    response = verified_client(world.ggz_rep).post(
        reverse("cases:action_done", args=[action.pk]), {"note": "x"}
    )
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN
    assert (
        verified_client(world.outsider_rep)
        .post(reverse("cases:action_done", args=[action.pk]))
        .status_code
        == 404
    )


# --- The case team marks actions done or cancels them on the plan page ------------------------


def _plan_url(world):
    return reverse("cases:plan", args=[world.case.pk])


def test_case_team_sees_done_and_cancel_forms_other_viewers_do_not(world, plan, verified_client):
    action = Action.objects.get(organisation=world.politie)
    cancel = reverse("cases:action_cancel", args=[action.pk])
    team_page = verified_client(world.casemanager).get(_plan_url(world)).content.decode()
    assert cancel in team_page and reverse("cases:action_done", args=[action.pk]) in team_page
    assert f'name="next" value="{_plan_url(world)}"' in team_page
    partner_page = verified_client(world.police_rep).get(_plan_url(world)).content.decode()
    assert cancel not in partner_page and "action_done" not in partner_page
    assert reverse("cases:action_done", args=[action.pk]) not in partner_page


def test_casemanager_cancels_an_action_without_javascript_and_returns_to_the_plan(
    world, plan, verified_client
):
    action = Action.objects.get(organisation=world.politie)
    client = verified_client(world.casemanager)
    response = client.post(
        reverse("cases:action_cancel", args=[action.pk]),
        {"reason": "Bewoner verhuisd", "next": _plan_url(world) + "#goals"},
    )
    assert response.status_code == 302 and response.url == _plan_url(world) + "#goals"
    action.refresh_from_db()
    assert (action.status, action.cancel_reason, action.finished_by) == (
        ActionStatus.CANCELLED,
        "Bewoner verhuisd",
        world.casemanager,
    )
    body = client.get(_plan_url(world)).content.decode()
    assert "Afgelast: Bewoner verhuisd" in body
    assert world.casemanager.get_full_name() in body
    assert date_format(timezone.localdate(action.finished_at), "j F Y") in body
    assert reverse("cases:action_cancel", args=[action.pk]) not in body


def test_an_empty_reason_is_refused_next_to_the_field_on_the_plan_page(
    world, plan, verified_client
):
    action = Action.objects.get(organisation=world.politie)
    response = verified_client(world.casemanager).post(
        reverse("cases:action_cancel", args=[action.pk]),
        {"reason": "  ", "next": _plan_url(world)},
    )
    assert response.status_code == 200
    body = response.content.decode()
    field = body[body.index(f'for="cancel-reason-{action.pk}"') :]
    assert field.index("Geef de reden") < field.index(f'id="cancel-reason-{action.pk}"')
    assert 'aria-invalid="true"' in field.split("</textarea>")[0]
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_a_refusal_with_htmx_returns_the_row_with_what_was_typed(world, plan, verified_client):
    action = ActionFactory(goal=plan.goals.get(), organisation=world.ggz, done=True)
    response = verified_client(world.coordinator).post(
        reverse("cases:action_cancel", args=[action.pk]),
        {"reason": "Dubbel uitgezet", "next": _plan_url(world)},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith(f'<tr class="utrecht-table__row" id="case-action-{action.pk}"')
    assert "Deze actie is al uitgevoerd of vervallen." in body
    assert "Dubbel uitgezet" in body


def test_coordinator_marks_a_meeting_decision_done_and_its_deadline_is_met(
    world, plan, verified_client
):
    action = plan_services.action_assign(
        by=world.coordinator,
        organisation=world.ggz,
        description="Huisbezoek met de wijkagent",
        due_on=_due(),
        decided_for=world.case,
        decided_on=timezone.localdate(),
    )
    response = verified_client(world.coordinator).post(
        reverse("cases:action_done", args=[action.pk]),
        {"note": "Bezoek afgelegd", "next": "https://elders.example/plan/"},
    )
    # A next outside the site is ignored: back to the plan page, not to "my actions".
    assert response.status_code == 302
    assert response.url == _plan_url(world) + "#meeting-actions"
    action.refresh_from_db()
    assert (action.status, action.completion_note) == (ActionStatus.DONE, "Bezoek afgelegd")
    deadline = Deadline.objects.get(kind=kinds.ACTION, case=world.case, subject_id=action.pk)
    assert deadline.met_at is not None


def test_only_the_case_team_cancels_and_outsiders_get_404(world, plan, verified_client):
    action = Action.objects.get(organisation=world.politie)
    url = reverse("cases:action_cancel", args=[action.pk])
    for who in (world.police_rep, world.ggz_rep):  # its own organisation may not cancel either
        assert verified_client(who).post(url, {"reason": "x"}).status_code == 403
    assert verified_client(world.outsider_rep).post(url, {"reason": "x"}).status_code == 404
    assert RefusedAccess.objects.filter(user=world.outsider_rep, case_id=world.case.pk).exists()
    assert verified_client(world.casemanager).get(url).status_code == 405
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


@pytest.mark.parametrize("count", [1, 500])
def test_my_actions_query_budget(
    world, plan, verified_client, django_assert_max_num_queries, count
):
    _bulk(plan.goals.get(), world.politie, count)
    client = verified_client(world.police_rep)
    with django_assert_max_num_queries(20):
        response = client.get(reverse("cases:my_actions"))
    assert response.status_code == 200


def test_dashboard_counts_my_open_actions(world, plan, verified_client):
    body = verified_client(world.police_rep).get(reverse("dashboard")).content.decode()
    assert 'id="wo-ws-actions-heading"' in body and "1 openstaande actie." in body


def test_plan_pdf_for_the_household_leaves_out_team_notes(world, plan, verified_client):
    plan.summary = "Alleen voor het team: eerdere aangifte."
    plan.save()
    response = verified_client(world.casemanager).get(
        reverse("cases:plan_pdf", args=[world.case.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert ReadLogEntry.objects.filter(
        user=world.casemanager, case_id=world.case.pk, what=ReadWhat.PDF
    ).exists()
    html = render_html(
        "cases/plan/pdf.html",
        {"case": world.case, "plan": plan_selectors.plan_detail(case=world.case)},
        recipient="x",
    )
    assert "Huisbezoek Politie" in html and "eerdere aangifte" not in html
    assert (
        verified_client(world.police_rep)
        .get(reverse("cases:plan_pdf", args=[world.case.pk]))
        .status_code
        == 403
    )


def test_removing_a_goal_asks_for_confirmation(world, plan, verified_client):
    goal = GoalFactory(plan=plan, case=world.case, specific="Weg te halen doel")
    client = verified_client(world.casemanager)
    page = client.get(reverse("cases:plan", args=[world.case.pk])).content.decode()
    assert f'id="confirm-remove-goal-{goal.pk}"' in page
    # The fixture's goal has an action: its removal is not offered, and the page says why.
    with_action = plan.goals.exclude(pk=goal.pk).get()
    assert f'id="confirm-remove-goal-{with_action.pk}"' not in page
    assert "dus het doel blijft in deze versie van het plan" in page
    url = reverse("cases:goal_remove", args=[world.case.pk, goal.pk])
    refused = client.post(url, follow=True)
    assert Goal.objects.filter(pk=goal.pk).exists()
    with translation.override("nl"):
        message = translation.gettext("Tick the box to confirm that the goal is to be removed.")
    assert message in refused.content.decode()
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert not Goal.objects.filter(pk=goal.pk).exists()


def test_my_actions_pages_and_offers_the_cases_with_actions_in_the_chosen_status(
    world, plan, verified_client
):
    # issue 15: a police organisation has actions on tens of thousands of cases over the
    # years; 50 a page, and the case filter offers the cases with actions in the status.
    from cases import services

    _bulk(plan.goals.get(), world.politie, 60)
    earlier = CaseFactory(investigation=True)
    services.involvement_add(case=earlier, organisation=world.politie, by=world.coordinator)
    ActionFactory(goal__plan__case=earlier, organisation=world.politie, done=True)
    client = verified_client(world.police_rep)
    first = client.get(reverse("cases:my_actions")).content.decode()
    assert first.count('<tr class="utrecht-table__row" id="action-') == 50
    assert f'rel="next" href="{reverse("cases:my_actions")}?page=2"' in first
    assert f'<option value="{world.case.pk}"' in first
    assert f'<option value="{earlier.pk}"' not in first  # no open action there
    body = client.get(reverse("cases:my_actions"), {"status": "all", "page": "2"}).content.decode()
    assert f'href="{reverse("cases:my_actions")}?status=all&amp;page=1"' in body
    assert f'<option value="{earlier.pk}"' in body
    # The chosen case stays offered whatever the status.
    chosen = client.get(reverse("cases:my_actions"), {"case": earlier.pk}).content.decode()
    assert f'<option value="{earlier.pk}" selected' in chosen
