"""The pages after the plan (issue 12, cases/views/evaluation.py): investigation, evaluations
and the final evaluation, aftercare, material support and relocation, the case page's
closing explanation and reopening. Real PostgreSQL, the views through the test client."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, override

from audit.models import ReadLogEntry, ReadWhat, RefusedAccess
from cases import services
from cases.choices import CaseStatus
from cases.choices_plan import (
    ActionStatus,
    ComplaintSource,
    EvaluationKind,
    FollowUp,
    GoalResult,
    HousingOutcome,
    NuisanceOutcome,
    PlanStatus,
    SupportDecision,
)
from cases.domain import workflow
from cases.domain.plan import FinalOutcome
from cases.models import (
    Action,
    AftercarePlan,
    Evaluation,
    GoalEvaluation,
    Investigation,
    LifeDomain,
    MaterialSupport,
    Plan,
    Relocation,
)
from cases.services import plan as plan_services
from deadlines import kinds
from deadlines.models import Deadline
from deadlines.services import deadline_open
from partners import access as partner_access
from partners.choices import Role
from tests.cases.case_setup import make_world
from tests.factories.partners import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def _nl(message: str) -> str:
    with override("nl"):
        return gettext(message)


@pytest.fixture
def world():
    world = make_world()
    world.case.status = CaseStatus.EXECUTION
    world.case.accepted_on = _today()
    world.case.save()
    world.mitros_rep = world.outsider_rep  # Mitros (a corporation), not involved in the case
    return world


def _client(sign_in, user):
    return sign_in(user)


def _scores_data(prefix="ld", score=3):
    data = {}
    for domain in LifeDomain.objects.filter(is_active=True):
        data[f"{prefix}-score_{domain.pk}"] = str(score)
        data[f"{prefix}-note_{domain.pk}"] = "Toelichting"
    return data


def _scores(score=3):
    return {d.pk: (score, "") for d in LifeDomain.objects.filter(is_active=True)}


def _agreed_plan(world, goals=1):
    plan = plan_services.plan_start(case=world.case, by=world.casemanager)
    made = [
        plan_services.goal_add(
            plan=plan,
            by=world.casemanager,
            specific=f"Geen geluidsoverlast meer na 22 uur ({i})",
            indicator="Klachten per maand",
            target="0 klachten",
            agreed_partners=[world.politie],
            feasibility="De bewoner wil meewerken",
            target_date=_today() + dt.timedelta(days=120),
        )
        for i in range(goals)
    ]
    plan_services.life_domains_assess(
        case=world.case, by=world.casemanager, plan=plan, scores=_scores()
    )
    return plan_services.plan_mark_agreed(plan=plan, by=world.casemanager), made


def _final(world, goal, *, follow_up=FollowUp.AFTERCARE):
    return plan_services.evaluation_record(
        case=world.case,
        by=world.casemanager,
        kind=EvaluationKind.FINAL,
        held_on=_today(),
        participants="Casemanager, wijkagent",
        goal_results={goal.pk: (GoalResult.ACHIEVED, "")},
        scores=_scores(4),
        outcome=FinalOutcome(
            neighbours_outcome=NuisanceOutcome.MANAGEABLE,
            partners_outcome=NuisanceOutcome.MANAGEABLE,
            causer_in_care=True,
            housing_outcome=HousingOutcome.STAYED,
            follow_up=follow_up,
        ),
    )


# --- Investigation -------------------------------------------------------------------------


def test_casemanager_records_the_investigation(verified_client, world):
    c = _client(verified_client, world.casemanager)
    url = reverse("cases:investigation", args=[world.case.pk])
    assert c.get(url).status_code == 200
    response = c.post(
        url,
        {
            "causer_heard_on": _today().isoformat(),
            "neighbours_heard_on": _today().isoformat(),
            "nuisance_origin": "care_need",
            "lead_trajectory": "care_trajectory",
            "care_worker_name": "Karin de Vries",
            "plans_aligned": "true",
        },
    )
    assert response.status_code == 302
    record = Investigation.objects.get(case=world.case)
    assert record.care_worker_name == "Karin de Vries"
    assert record.plans_aligned is True
    assert ReadLogEntry.objects.filter(
        case_id=world.case.pk, what=ReadWhat.INVESTIGATION, user=world.casemanager
    ).exists()


def test_deliberate_nuisance_without_motivation_keeps_the_input(verified_client, world):
    c = _client(verified_client, world.casemanager)
    response = c.post(
        reverse("cases:investigation", args=[world.case.pk]),
        {
            "nuisance_origin": "deliberate",
            "lead_trajectory": "this_approach",
            "care_worker_name": "Karin de Vries",
        },
    )
    assert response.status_code == 200
    assert "Karin de Vries" in response.content.decode()
    assert _nl("Motivate why the nuisance is deliberate.") in response.content.decode()
    assert not Investigation.objects.exists()


def test_partners_may_not_open_the_investigation_and_outsiders_get_404(verified_client, world):
    url = reverse("cases:investigation", args=[world.case.pk])
    assert _client(verified_client, world.police_rep).get(url).status_code == 403
    assert _client(verified_client, world.other_casemanager).get(url).status_code == 404
    assert RefusedAccess.objects.filter(
        user_id=world.other_casemanager.pk, case_id=world.case.pk
    ).exists()


# --- Evaluations ---------------------------------------------------------------------------


def test_six_month_evaluation_adjusts_the_plan_and_meets_its_deadline(verified_client, world):
    plan, (goal,) = _agreed_plan(world)
    deadline_open(kind=kinds.SIX_MONTH_EVALUATION, case=world.case, started_on=_today())
    c = _client(verified_client, world.casemanager)
    url = reverse("cases:evaluation_add", args=[world.case.pk])
    assert goal.specific in c.get(url).content.decode()
    response = c.post(
        url,
        {
            "kind": EvaluationKind.SIX_MONTH,
            "held_on": _today().isoformat(),
            "participants": "Casemanager, wijkagent, bewoner",
            "notes": "Het gaat beter",
            "adjusts_plan": "on",
            f"result_{goal.pk}": GoalResult.PARTLY,
            f"result_note_{goal.pk}": "Nog twee klachten",
            **_scores_data(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    evaluation = Evaluation.objects.get(case=world.case)
    assert evaluation.kind == EvaluationKind.SIX_MONTH
    assert evaluation.goal_results.get().note == "Nog twee klachten"
    assert Plan.objects.get(case=world.case, number=2).status == PlanStatus.DRAFT
    assert not Deadline.objects.open().filter(kind=kinds.SIX_MONTH_EVALUATION).exists()
    listing = c.get(reverse("cases:evaluations", args=[world.case.pk])).content.decode()
    assert "Nog twee klachten" in listing


def test_evaluation_without_a_goal_result_keeps_the_input(verified_client, world):
    plan, (goal,) = _agreed_plan(world)
    c = _client(verified_client, world.casemanager)
    response = c.post(
        reverse("cases:evaluation_add", args=[world.case.pk]),
        {
            "kind": EvaluationKind.PERIODIC,
            "held_on": _today().isoformat(),
            "participants": "Casemanager en Jansen van de GGZ",
            **_scores_data(),
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Casemanager en Jansen van de GGZ" in body
    assert _nl("Give the result of this goal.") in body
    assert not Evaluation.objects.exists()


def test_partners_may_read_evaluations_but_not_record_them(verified_client, world):
    c = _client(verified_client, world.police_rep)
    assert c.get(reverse("cases:evaluations", args=[world.case.pk])).status_code == 200
    assert c.get(reverse("cases:evaluation_add", args=[world.case.pk])).status_code == 403
    assert c.post(reverse("cases:evaluation_final", args=[world.case.pk])).status_code == 403
    outsider = _client(verified_client, world.mitros_rep)
    assert outsider.get(reverse("cases:evaluations", args=[world.case.pk])).status_code == 404


def test_no_evaluation_on_a_closed_case_and_the_page_says_why(verified_client, world):
    plan, (goal,) = _agreed_plan(world)
    world.case.status = CaseStatus.CLOSED
    world.case.save()
    c = _client(verified_client, world.casemanager)
    url = reverse("cases:evaluation_add", args=[world.case.pk])
    body = c.get(url).content.decode()
    assert _nl("The case is closed: it can no longer be changed.") in body
    response = c.post(
        url,
        {
            "kind": EvaluationKind.PERIODIC,
            "held_on": _today().isoformat(),
            "participants": "Casemanager",
            f"result_{goal.pk}": GoalResult.ACHIEVED,
            **_scores_data(),
        },
    )
    assert response.status_code == 200
    assert _nl("The case is closed: no evaluation can be added.") in response.content.decode()
    assert not Evaluation.objects.exists()


def test_final_evaluation_records_the_outcome_and_the_share_of_goals_achieved(
    verified_client, world
):
    plan, goals = _agreed_plan(world, goals=2)
    c = _client(verified_client, world.casemanager)
    data = {
        "held_on": _today().isoformat(),
        "participants": "Casemanager, corporatie, wijkagent",
        "neighbours_outcome": NuisanceOutcome.RESOLVED,
        "partners_outcome": NuisanceOutcome.MANAGEABLE,
        "resolved_at_sources": [ComplaintSource.POLICE, ComplaintSource.LANDLORD],
        "causer_in_care": "true",
        "housing_outcome": HousingOutcome.STAYED,
        "follow_up": FollowUp.PASSED_ON,
        f"result_{goals[0].pk}": GoalResult.ACHIEVED,
        f"result_{goals[1].pk}": GoalResult.NOT_ACHIEVED,
        **_scores_data(score=4),
    }
    url = reverse("cases:evaluation_final", args=[world.case.pk])
    response = c.post(url, data)
    assert response.status_code == 200
    body = response.content.decode()
    # Fully resolved needs every source; passed on needs its destination.
    assert "resolved_at_sources" in body
    assert _nl("Say where the case is passed on to.") in body
    assert not Evaluation.objects.exists()
    data["resolved_at_sources"] = ComplaintSource.values
    data["passed_on_to"] = "supported_housing"
    assert c.post(url, data).status_code == 302
    final = Evaluation.objects.get(case=world.case, kind=EvaluationKind.FINAL)
    assert final.passed_on_to == "supported_housing"
    listing = c.get(reverse("cases:evaluations", args=[world.case.pk])).content.decode()
    assert "1 of 2 (50%)" in listing or "1 van 2 (50%)" in listing


def test_a_case_that_ends_early_gets_a_short_final_evaluation(verified_client, world):
    _agreed_plan(world)
    c = _client(verified_client, world.casemanager)
    response = c.post(
        reverse("cases:evaluation_final", args=[world.case.pk]),
        {
            "held_on": _today().isoformat(),
            "participants": "Casemanager",
            "early_end_reason": "moved",
            "follow_up": FollowUp.NONE,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Evaluation.objects.get().early_end_reason == "moved"


def test_evaluation_list_runs_the_same_queries_with_one_or_many(
    verified_client, world, django_assert_max_num_queries
):
    plan, (goal,) = _agreed_plan(world)
    c = _client(verified_client, world.police_rep)
    url = reverse("cases:evaluations", args=[world.case.pk])

    def add(n):
        for _ in range(n):
            evaluation = Evaluation.objects.create(
                case=world.case,
                plan=plan,
                kind=EvaluationKind.PERIODIC,
                held_on=_today(),
                participants="Casemanager",
                recorded_by=world.casemanager,
            )
            GoalEvaluation.objects.create(
                case=world.case, evaluation=evaluation, goal=goal, result=GoalResult.PARTLY
            )

    add(1)
    c.get(url)  # warm the per-process caches
    with django_assert_max_num_queries(20) as one:
        assert c.get(url).status_code == 200
    add(30)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert c.get(url).status_code == 200


# --- Aftercare -----------------------------------------------------------------------------


def test_aftercare_plan_with_handover_and_actions(verified_client, world):
    plan, (goal,) = _agreed_plan(world)
    _final(world, goal)
    c = _client(verified_client, world.casemanager)
    url = reverse("cases:aftercare", args=[world.case.pk])
    response = c.post(
        url,
        {
            "summary": "Maandelijks contact",
            "end_date": (_today() + dt.timedelta(days=90)).isoformat(),
            "handover_to": "Wijkteam Noord",
            "handover_on": _today().isoformat(),
            "handover_what": "",
        },
    )
    assert response.status_code == 200  # the handover needs what was handed over
    assert "Wijkteam Noord" in response.content.decode()
    response = c.post(
        url,
        {
            "end_date": (_today() + dt.timedelta(days=90)).isoformat(),
            "handover_to": "Wijkteam Noord",
            "handover_on": _today().isoformat(),
            "handover_what": "Dossier en afspraken",
        },
    )
    assert response.status_code == 302
    assert AftercarePlan.objects.get(case=world.case).handover_to == "Wijkteam Noord"
    domain = LifeDomain.objects.get(code="mental_health")
    response = c.post(
        reverse("cases:aftercare_action_add", args=[world.case.pk]),
        {
            "description": "Maandelijks huisbezoek",
            "organisation": world.ggz.pk,
            "due_on": (_today() + dt.timedelta(days=30)).isoformat(),
            "life_domain": domain.pk,
        },
    )
    assert response.status_code == 302
    action = Action.objects.get(case=world.case, aftercare_plan__isnull=False)
    assert action.life_domain == domain
    assert reverse("cases:action_cancel", args=[action.pk]) in c.get(url).content.decode()
    # The case team cancels it from its row (htmx swaps the row in place).
    response = c.post(
        reverse("cases:action_cancel", args=[action.pk]),
        {"reason": "Zorg loopt via de huisarts", "next": url + "#actions"},
        HTTP_HX_REQUEST="true",
    )
    assert f'id="case-action-{action.pk}"' in response.content.decode()
    action.refresh_from_db()
    assert action.status == ActionStatus.CANCELLED
    # Partners read the plan; they may not change it.
    partner = _client(verified_client, world.police_rep)
    body = partner.get(url).content.decode()
    assert "Maandelijks huisbezoek" in body and "Dossier en afspraken" in body
    assert "Zorg loopt via de huisarts" in body and "action_cancel" not in body
    assert reverse("cases:action_done", args=[action.pk]) not in body
    assert partner.post(url, {"end_date": _today().isoformat()}).status_code == 403


def test_aftercare_page_runs_the_same_queries_with_one_or_many_actions(
    verified_client, world, django_assert_max_num_queries
):
    plan, (goal,) = _agreed_plan(world)
    _final(world, goal)
    aftercare = plan_services.aftercare_plan_record(
        case=world.case, by=world.casemanager, data={"end_date": _today() + dt.timedelta(days=90)}
    )
    c = _client(verified_client, world.casemanager)
    url = reverse("cases:aftercare", args=[world.case.pk])

    def add(n):
        for i in range(n):
            action = Action.objects.create(
                case=world.case,
                aftercare_plan=aftercare,
                organisation=world.ggz,
                description=f"Nazorg {i}",
                due_on=_today(),
                created_by=world.casemanager,
            )
            if i % 2:  # done ones show who finished them
                Action.objects.filter(pk=action.pk).update(
                    status=ActionStatus.DONE,
                    finished_by=world.police_rep,
                    finished_at=timezone.now(),
                )

    add(1)
    c.get(url)  # warm the per-process caches
    with django_assert_max_num_queries(30) as one:
        assert c.get(url).status_code == 200
    add(30)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert c.get(url).status_code == 200


def test_aftercare_needs_a_final_evaluation_that_chose_it(verified_client, world):
    _agreed_plan(world)
    c = _client(verified_client, world.casemanager)
    response = c.post(
        reverse("cases:aftercare", args=[world.case.pk]),
        {"end_date": (_today() + dt.timedelta(days=90)).isoformat()},
    )
    assert response.status_code == 200
    assert (
        _nl("Aftercare follows a final evaluation that chose aftercare as the follow-up.")
        in response.content.decode()
    )


# --- Material support and relocation -------------------------------------------------------


def test_material_support_request_is_decided_by_its_corporation(verified_client, world):
    c = _client(verified_client, world.casemanager)
    response = c.post(
        reverse("cases:support_request", args=[world.case.pk]),
        {
            "amount": "149.95",
            "purpose": "Vloerbedekking tegen contactgeluid",
            "corporation": world.mitros.pk,
            "why_not_regular": "Geen bijzondere bijstand mogelijk",
        },
    )
    assert response.status_code == 302
    support = MaterialSupport.objects.get(case=world.case)
    assert support.amount == Decimal("149.95")
    # Mitros is now involved and finds the request in its own list.
    corp = _client(verified_client, world.mitros_rep)
    inbox = corp.get(reverse("cases:support_inbox"))
    assert inbox.status_code == 200
    decide = reverse("cases:support_decide", args=[world.case.pk, support.pk])
    assert decide in inbox.content.decode()
    refused = corp.post(decide, {"granted": "no", "note": ""})
    assert refused.status_code == 200
    assert _nl("Explain why the request is refused.") in refused.content.decode()
    assert corp.post(decide, {"granted": "yes", "note": "Akkoord"}).status_code == 302
    support.refresh_from_db()
    assert support.decision == SupportDecision.GRANTED
    assert support.decided_by == world.mitros_rep


def test_another_corporation_cannot_decide_and_other_partners_do_not_see_support(
    verified_client, world
):
    support = plan_services.material_support_request(
        case=world.case,
        by=world.casemanager,
        amount=Decimal("80"),
        purpose="Gordijnen",
        corporation=world.mitros,
        why_not_regular="Geen andere bron",
    )
    portaal = OrganisationFactory(name="Portaal", corporation=True)
    services.involvement_add(case=world.case, organisation=portaal, by=world.coordinator)
    portaal_rep = UserFactory(organisation=portaal, roles=[Role.PARTNER_REPRESENTATIVE])
    partner_access.sync_user_organisation_group(portaal_rep)
    c = _client(verified_client, portaal_rep)
    decide = reverse("cases:support_decide", args=[world.case.pk, support.pk])
    assert c.get(decide).status_code == 404
    assert "Gordijnen" not in c.get(reverse("cases:support", args=[world.case.pk])).content.decode()
    police = _client(verified_client, world.police_rep)
    assert police.get(reverse("cases:support", args=[world.case.pk])).status_code == 403
    assert police.get(decide).status_code == 403


def test_relocation_advised_proposed_and_permit_noted(verified_client, world):
    c = _client(verified_client, world.casemanager)
    response = c.post(
        reverse("cases:relocation_advise", args=[world.case.pk]),
        {"relocated": "neighbour", "corporation": world.mitros.pk, "advice": "Rustiger woning"},
    )
    assert response.status_code == 302
    relocation = Relocation.objects.get(case=world.case)
    corp = _client(verified_client, world.mitros_rep)
    propose = reverse("cases:relocation_propose", args=[world.case.pk, relocation.pk])
    assert propose in corp.get(reverse("cases:support_inbox")).content.decode()
    assert corp.post(propose, {"proposal": "Woning aan de Kanaalweg"}).status_code == 302
    permit = reverse("cases:relocation_permit", args=[world.case.pk, relocation.pk])
    c = _client(verified_client, world.casemanager)
    assert c.post(permit, {"note": "Vergunning verleend"}).status_code == 302
    relocation.refresh_from_db()
    assert relocation.proposal == "Woning aan de Kanaalweg"
    assert relocation.housing_permit_note == "Vergunning verleend"
    # The casemanager does not propose for the corporation.
    assert c.get(propose).status_code == 403


# --- Closing and reopening -----------------------------------------------------------------


def _close(client, case, motivation=""):
    return client.post(
        reverse("cases:transition", args=[case.pk]),
        {"to": CaseStatus.CLOSED, "motivation": motivation, "confirm": "on"},
    )


def test_no_close_without_a_final_evaluation_and_the_case_page_says_why(verified_client, world):
    world.case.status = CaseStatus.FINAL_EVALUATION
    world.case.save()
    c = _client(verified_client, world.casemanager)
    message = _nl("A final evaluation is required before closing.")
    assert message in c.get(reverse("cases:detail", args=[world.case.pk])).content.decode()
    response = _close(c, world.case)
    assert response.status_code == 200
    assert message in response.content.decode()
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.FINAL_EVALUATION


def test_closing_asks_for_confirmation_and_keeps_the_reason_typed(verified_client, world):
    plan, (goal,) = _agreed_plan(world)
    _final(world, goal, follow_up=FollowUp.NONE)
    world.case.status = CaseStatus.FINAL_EVALUATION
    world.case.save()
    c = _client(verified_client, world.casemanager)
    page = c.get(reverse("cases:detail", args=[world.case.pk])).content.decode()
    assert 'id="confirm-closed"' in page
    # The header never closes at once: at most a link to the form with the confirmation.
    header = page[page.index('class="wo-case-header"') : page.index('id="summary"')]
    assert 'value="closed"' not in header
    url = reverse("cases:transition", args=[world.case.pk])
    response = c.post(url, {"to": CaseStatus.CLOSED, "motivation": "Rust in de straat"})
    assert response.status_code == 200
    body = response.content.decode()
    assert (
        _nl("Confirm that you want to take this step: the case can then no longer be changed.")
        in body
    )
    assert ">Rust in de straat</textarea>" in body
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.FINAL_EVALUATION
    assert _close(c, world.case, "Rust in de straat").status_code == 302
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.CLOSED


def test_the_case_page_names_open_actions_before_closing_a_passed_on_case(verified_client, world):
    plan, (goal,) = _agreed_plan(world)
    plan_services.action_assign(
        by=world.casemanager,
        goal=goal,
        organisation=world.politie,
        description="Huisbezoek",
        due_on=_today() + dt.timedelta(days=7),
    )
    _final(world, goal, follow_up=FollowUp.NONE)
    world.case.status = CaseStatus.PASSED_ON
    world.case.save()
    body = (
        _client(verified_client, world.casemanager)
        .get(reverse("cases:detail", args=[world.case.pk]))
        .content.decode()
    )
    assert _nl("Every action must be done, or cancelled with a reason, before closing.") in body


@pytest.mark.skipif(
    "has_open_actions" not in workflow.CaseFacts.__dataclass_fields__,
    reason="until case_transition reads cases.selectors.plan.plan_facts (wave-2 plan pages)",
)
def test_no_close_with_open_actions(verified_client, world):
    plan, (goal,) = _agreed_plan(world)
    plan_services.action_assign(
        by=world.casemanager,
        goal=goal,
        organisation=world.politie,
        description="Huisbezoek",
        due_on=_today() + dt.timedelta(days=7),
    )
    _final(world, goal, follow_up=FollowUp.NONE)
    world.case.status = CaseStatus.FINAL_EVALUATION
    world.case.save()
    response = _close(_client(verified_client, world.casemanager), world.case)
    assert (
        _nl("Every action must be done, or cancelled with a reason, before closing.")
        in response.content.decode()
    )
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.FINAL_EVALUATION


def test_reopening_is_the_coordinators_with_a_reason(verified_client, world):
    world.case.status = CaseStatus.CLOSED
    world.case.closed_on = _today()
    world.case.save()
    deadline_open(kind=kinds.RETENTION, case=world.case, started_on=_today())
    url = reverse("cases:transition", args=[world.case.pk])
    reopen = {"to": CaseStatus.EXECUTION, "motivation": ""}
    cm = _client(verified_client, world.casemanager)
    cm.post(url, {**reopen, "motivation": "Overlast terug"})
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.CLOSED
    coordinator = _client(verified_client, world.coordinator)
    response = coordinator.post(url, reopen)
    assert _nl("Give the reason for this step.") in response.content.decode()
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.CLOSED
    assert coordinator.post(url, {**reopen, "motivation": "Overlast terug"}).status_code == 302
    world.case.refresh_from_db()
    assert world.case.status == CaseStatus.EXECUTION
    assert world.case.closed_on is None
    assert not Deadline.objects.open().filter(kind=kinds.RETENTION, case=world.case).exists()
    change = world.case.status_changes.order_by("-pk").first()
    assert (change.motivation, change.by) == ("Overlast terug", world.coordinator)
