"""Writing the plan of approach: guards, rights, deadlines and notifications of the services
in cases/services/plan.py (real PostgreSQL, no mocks)."""

import datetime as dt
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from cases import access
from cases.choices import CaseStatus
from cases.choices_plan import (
    ActionStatus,
    ComplaintSource,
    EvaluationKind,
    FollowUp,
    GoalResult,
    HousingOutcome,
    NuisanceOrigin,
    NuisanceOutcome,
    PassedOnDestination,
    PlanStatus,
    RelocatedPerson,
    SupportDecision,
)
from cases.domain.plan import FinalOutcome, PlanRefused, StalePlanEdit
from cases.models import Action, CaseInvolvement, Goal, LifeDomain, Plan
from cases.selectors import plan as plan_selectors
from cases.services import plan as plan_services
from deadlines import kinds
from deadlines.models import Deadline
from deadlines.services import deadline_open, deadlines_scan
from notifications.models import Notification
from partners.choices import Role
from tests.cases.case_setup import make_world
from tests.factories.cases import PersonFactory
from tests.factories.partners import UserFactory

pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


@pytest.fixture
def world():
    world = make_world()
    world.case.status = CaseStatus.INVESTIGATION
    world.case.accepted_on = _today()
    world.case.save()
    return world


def _scores(score=3):
    return {d.pk: (score, "Toelichting") for d in LifeDomain.objects.filter(is_active=True)}


def _goal(plan, by, partners, **changes):
    values = {
        "specific": "Geen geluidsoverlast meer na 22 uur",
        "indicator": "Klachten van omwonenden per maand",
        "target": "0 klachten",
        "agreed_partners": partners,
        "feasibility": "De bewoner wil meewerken",
        "target_date": _today() + dt.timedelta(days=120),
    }
    values.update(changes)
    return plan_services.goal_add(plan=plan, by=by, **values)


def _agreed_plan(world, *, goals=1):
    plan = plan_services.plan_start(case=world.case, by=world.casemanager)
    made = [_goal(plan, world.casemanager, [world.politie]) for _ in range(goals)]
    plan_services.life_domains_assess(
        case=world.case, by=world.casemanager, plan=plan, scores=_scores()
    )
    plan = plan_services.plan_mark_agreed(plan=plan, by=world.casemanager)
    return plan, made


def _action(world, goal, organisation=None, days=14):
    return plan_services.action_assign(
        by=world.casemanager,
        goal=goal,
        organisation=organisation or world.politie,
        description="Huisbezoek met de wijkagent",
        due_on=_today() + dt.timedelta(days=days),
    )


# --- Investigation -------------------------------------------------------------------------


def test_casemanager_records_the_investigation_and_history_names_them(world):
    investigation = plan_services.investigation_record(
        case=world.case,
        by=world.casemanager,
        data={
            "causer_heard_on": _today(),
            "neighbours_heard_on": _today(),
            "nuisance_origin": NuisanceOrigin.DELIBERATE,
            "origin_motivation": "Hij weet wat hij doet",
            "care_worker_organisation": world.ggz,
            "plans_aligned": True,
        },
    )
    again = plan_services.investigation_record(
        case=world.case, by=world.coordinator, data={"plans_aligned": False}
    )
    assert again.pk == investigation.pk
    assert again.nuisance_origin == NuisanceOrigin.DELIBERATE
    assert [h.history_user for h in again.history.order_by("history_date")] == [
        world.casemanager,
        world.coordinator,
    ]


def test_a_partner_cannot_write_the_investigation(world):
    with pytest.raises(PermissionDenied):
        plan_services.investigation_record(case=world.case, by=world.police_rep, data={})


# --- Plan, goals, agreement ----------------------------------------------------------------


def test_casemanager_writes_a_plan_partners_agree_and_it_is_marked_agreed(world):
    plan = plan_services.plan_start(case=world.case, by=world.casemanager)
    _goal(plan, world.casemanager, [world.politie, world.ggz])
    plan_services.life_domains_assess(
        case=world.case, by=world.casemanager, plan=plan, scores=_scores()
    )
    plan_services.plan_agreement_record(plan=plan, by=world.police_rep, note="Akkoord")
    plan_services.plan_agreement_record(plan=plan, by=world.ggz_rep)
    assert plan.agreements.count() == 2
    overview = plan_selectors.plan_agreement_overview(plan=plan)
    assert [(o.name, a is not None) for o, a in overview] == [
        ("GGZ Centraal", True),
        ("Politie", True),
    ]
    assert not plan_selectors.plan_facts(world.case).has_agreed_plan

    plan = plan_services.plan_mark_agreed(plan=plan, by=world.casemanager)

    assert (plan.status, plan.agreed_by) == (PlanStatus.AGREED, world.casemanager)
    assert plan_selectors.plan_facts(world.case).has_agreed_plan
    periodic = Deadline.objects.open().get(kind=kinds.PERIODIC_EVALUATION, case=world.case)
    assert periodic.due_on == _today() + relativedelta(months=3)


@pytest.mark.parametrize("with_goal, with_analysis", [(False, True), (True, False), (False, False)])
def test_no_plan_is_agreed_without_a_smart_goal_and_a_life_domain_analysis(
    world, with_goal, with_analysis
):
    plan = plan_services.plan_start(case=world.case, by=world.casemanager)
    if with_goal:
        _goal(plan, world.casemanager, [world.politie])
    if with_analysis:
        plan_services.life_domains_assess(
            case=world.case, by=world.casemanager, plan=plan, scores=_scores()
        )
    with pytest.raises(PlanRefused) as refused:
        plan_services.plan_mark_agreed(plan=plan, by=world.casemanager)
    assert len(refused.value.reasons) == (not with_goal) + (not with_analysis)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_a_goal_missing_smart_parts_is_refused_with_a_reason_per_part(world):
    plan = plan_services.plan_start(case=world.case, by=world.casemanager)
    with pytest.raises(PlanRefused) as refused:
        _goal(plan, world.casemanager, [], indicator="", target_date=None)
    assert len(refused.value.reasons) == 3
    assert not Goal.objects.filter(plan=plan).exists()


def test_saving_a_goal_someone_removed_meanwhile_is_refused_not_an_error(world):
    plan = plan_services.plan_start(case=world.case, by=world.casemanager)
    goal = _goal(plan, world.casemanager, [world.ggz])
    loaded = Goal.objects.get(pk=goal.pk)  # the form of the second casemanager
    plan_services.goal_remove(goal=goal, by=world.casemanager)
    with pytest.raises(StalePlanEdit) as refused:
        plan_services.goal_update(
            goal=loaded, by=world.casemanager, specific="Ander doel", indicator="x",
            target="y", agreed_partners=[world.ggz], feasibility="z",
            target_date=_today() + dt.timedelta(days=30), version=loaded.version,
        )  # fmt: skip
    assert "removed" in str(refused.value) or "verwijderd" in str(refused.value)
    assert not Goal.objects.filter(plan=plan).exists()


def test_a_life_domain_analysis_must_score_every_domain(world):
    plan = plan_services.plan_start(case=world.case, by=world.casemanager)
    scores = _scores()
    scores.pop(next(iter(scores)))
    with pytest.raises(PlanRefused):
        plan_services.life_domains_assess(
            case=world.case, by=world.casemanager, plan=plan, scores=scores
        )


def test_partners_and_other_casemanagers_cannot_write_the_plan(world):
    for outsider in (world.police_rep, world.other_casemanager, world.referrer):
        with pytest.raises(PermissionDenied):
            plan_services.plan_start(case=world.case, by=outsider)
    plan = plan_services.plan_start(case=world.case, by=world.casemanager)
    with pytest.raises(PermissionDenied):
        _goal(plan, world.police_rep, [world.politie])


def test_only_representatives_of_involved_organisations_record_agreement(world):
    plan = plan_services.plan_start(case=world.case, by=world.casemanager)
    with pytest.raises(PermissionDenied):
        plan_services.plan_agreement_record(plan=plan, by=world.outsider_rep)
    with pytest.raises(PermissionDenied):
        plan_services.plan_agreement_record(plan=plan, by=world.referrer)


def test_an_agreed_version_is_read_only(world):
    plan, (goal,) = _agreed_plan(world)
    with pytest.raises(PlanRefused):
        plan_services.plan_update(
            plan=plan, by=world.casemanager, summary="Anders", evaluation_interval_months=2
        )
    with pytest.raises(PlanRefused):
        _goal(plan, world.casemanager, [world.politie])
    with pytest.raises(PlanRefused):
        plan_services.goal_remove(goal=goal, by=world.casemanager)


# --- Actions -------------------------------------------------------------------------------


def test_assigning_an_action_notifies_the_organisation_and_opens_its_deadline(
    world, django_capture_on_commit_callbacks
):
    other_police_rep = UserFactory(organisation=world.politie, roles=[Role.PARTNER_REPRESENTATIVE])
    police_referrer = UserFactory(organisation=world.politie, roles=[Role.REFERRER])
    plan, (goal,) = _agreed_plan(world)
    with django_capture_on_commit_callbacks(execute=True):
        action = _action(world, goal, days=10)

    told = set(
        Notification.objects.filter(key=f"action:{action.pk}:assigned").values_list(
            "recipient", flat=True
        )
    )
    assert told == {world.police_rep.pk, other_police_rep.pk}
    assert police_referrer.pk not in told
    deadline = Deadline.objects.open().get(kind=kinds.ACTION, case=world.case)
    assert (deadline.due_on, deadline.organisation) == (action.due_on, world.politie)


def test_assigning_to_an_uninvolved_organisation_involves_it(world):
    plan, (goal,) = _agreed_plan(world)
    _action(world, goal, organisation=world.mitros)
    assert CaseInvolvement.objects.filter(
        case=world.case, organisation=world.mitros, is_active=True
    ).exists()
    assert world.case in access.visible_cases(world.outsider_rep)


def test_an_overdue_action_tells_the_organisation_and_the_casemanager(world):
    plan, (goal,) = _agreed_plan(world)
    action = _action(world, goal, days=1)
    deadlines_scan(now=timezone.now() + dt.timedelta(days=10), use_lock=False)
    told = set(
        Notification.objects.filter(event="action_overdue", case=world.case).values_list(
            "recipient", flat=True
        )
    )
    assert {world.police_rep.pk, world.casemanager.pk} <= told
    assert world.ggz_rep.pk not in told
    assert action.pk


def test_only_the_assigned_organisation_or_the_case_team_marks_an_action_done(world):
    plan, (goal,) = _agreed_plan(world)
    action = _action(world, goal)
    for other in (world.ggz_rep, world.outsider_rep, world.other_casemanager):
        with pytest.raises(PermissionDenied):
            plan_services.action_complete(action=action, by=other, note="Gedaan")

    done = plan_services.action_complete(action=action, by=world.police_rep, note="Gesprek gehad")

    assert (done.status, done.completion_note, done.finished_by) == (
        ActionStatus.DONE,
        "Gesprek gehad",
        world.police_rep,
    )
    assert Deadline.objects.get(kind=kinds.ACTION, case=world.case).met_at is not None
    with pytest.raises(PlanRefused):
        plan_services.action_complete(action=done, by=world.casemanager)


def test_cancelling_an_action_needs_the_case_team_and_a_reason(world):
    plan, (goal,) = _agreed_plan(world)
    action = _action(world, goal)
    with pytest.raises(PermissionDenied):
        plan_services.action_cancel(action=action, by=world.police_rep, reason="Geen tijd")
    with pytest.raises(PlanRefused):
        plan_services.action_cancel(action=action, by=world.casemanager, reason=" ")
    cancelled = plan_services.action_cancel(
        action=action, by=world.casemanager, reason="Niet meer nodig"
    )
    assert cancelled.status == ActionStatus.CANCELLED
    assert not Deadline.objects.open().filter(kind=kinds.ACTION, case=world.case).exists()


def test_a_goal_with_a_cancelled_action_stays_in_its_version_and_lapses_in_the_next(world):
    """goal_remove never advises what does not work: a cancelled action keeps its record
    under the goal; the goal is left out of the next version instead."""
    plan, (goal,) = _agreed_plan(world)
    kept = _goal(
        plan_services.plan_new_version(plan=plan, by=world.casemanager),
        world.casemanager,
        [world.ggz],
    )
    draft = kept.plan
    action = _action(world, kept)
    plan_services.action_cancel(action=action, by=world.casemanager, reason="Doel vervalt")

    with translation.override("en"), pytest.raises(PlanRefused) as refused:
        plan_services.goal_remove(goal=kept, by=world.casemanager)
    assert "leave the goal out of the next version" in str(refused.value.reasons[0])
    assert Goal.objects.filter(pk=kept.pk).exists()

    plan_services.goal_remove(goal=draft.goals.get(origin=goal), by=world.casemanager)
    plan_services.plan_mark_agreed(plan=draft, by=world.casemanager)
    version_3 = plan_services.plan_new_version(plan=draft, by=world.casemanager)
    plan_services.goal_remove(goal=version_3.goals.get(origin=kept), by=world.casemanager)
    action.refresh_from_db()
    assert (action.goal, action.status, action.cancel_reason) == (
        kept,
        ActionStatus.CANCELLED,
        "Doel vervalt",
    )


def test_an_action_due_in_the_past_is_refused(world):
    plan, (goal,) = _agreed_plan(world)
    with pytest.raises(PlanRefused):
        _action(world, goal, days=-1)


# --- Evaluations and versions --------------------------------------------------------------


def test_an_evaluation_that_adjusts_the_plan_creates_version_2_with_a_diff(world):
    plan, (goal,) = _agreed_plan(world)
    action = _action(world, goal)
    evaluation = plan_services.evaluation_record(
        case=world.case,
        by=world.casemanager,
        kind=EvaluationKind.SIX_MONTH,
        held_on=_today(),
        participants="Casemanager, wijkagent",
        goal_results={goal.pk: (GoalResult.PARTLY, "Minder klachten")},
        scores=_scores(4),
        adjusts_plan=True,
    )
    version_2 = Plan.objects.get(case=world.case, number=2)
    assert (version_2.status, version_2.previous) == (PlanStatus.DRAFT, plan)
    continued = version_2.goals.get()
    plan_services.goal_update(
        goal=continued,
        by=world.casemanager,
        specific=continued.specific,
        indicator=continued.indicator,
        target="Hooguit 1 klacht",
        agreed_partners=[world.politie],
        feasibility=continued.feasibility,
        target_date=continued.target_date,
    )
    _goal(version_2, world.casemanager, [world.ggz], specific="Schuldhulp gestart")
    plan_services.plan_mark_agreed(plan=version_2, by=world.casemanager)

    plan.refresh_from_db()
    action.refresh_from_db()
    assert plan.status == PlanStatus.SUPERSEDED
    assert action.goal == continued  # open actions follow their goal into the new version
    diff = plan_selectors.plan_diff_between(old=plan, new=version_2)
    assert [c.fields for c in diff.changed] == [("target",)]
    assert [g.specific for g in diff.added] == ["Schuldhulp gestart"]
    assert evaluation.life_domain_assessment.scores.count() == LifeDomain.objects.count()
    open_periodic = Deadline.objects.open().filter(kind=kinds.PERIODIC_EVALUATION)
    assert [d.subject_id for d in open_periodic] == [version_2.pk]


def test_the_six_month_evaluation_meets_its_deadline_and_the_next_periodic_one_opens(world):
    deadline_open(kind=kinds.SIX_MONTH_EVALUATION, case=world.case, started_on=_today())
    plan, (goal,) = _agreed_plan(world)
    held_on = _today()
    plan_services.evaluation_record(
        case=world.case,
        by=world.casemanager,
        kind=EvaluationKind.SIX_MONTH,
        held_on=held_on,
        participants="Casemanager",
        goal_results={goal.pk: (GoalResult.ACHIEVED, "")},
        scores=_scores(),
    )
    six = Deadline.objects.get(kind=kinds.SIX_MONTH_EVALUATION, case=world.case)
    assert six.met_at is not None
    periodic = Deadline.objects.filter(kind=kinds.PERIODIC_EVALUATION, case=world.case)
    assert periodic.filter(met_at__isnull=False).count() == 1
    assert periodic.open().get().due_on == held_on + relativedelta(months=3)


def test_an_evaluation_needs_a_result_for_every_goal_and_new_scores(world):
    plan, goals = _agreed_plan(world, goals=2)
    base = {
        "case": world.case,
        "by": world.casemanager,
        "kind": EvaluationKind.PERIODIC,
        "held_on": _today(),
        "participants": "Casemanager",
    }
    with pytest.raises(PlanRefused):
        plan_services.evaluation_record(
            **base, goal_results={goals[0].pk: ("achieved", "")}, scores=_scores()
        )
    with pytest.raises(PlanRefused):
        plan_services.evaluation_record(
            **base, goal_results={g.pk: ("achieved", "") for g in goals}, scores=None
        )


def test_final_evaluation_with_aftercare_then_closing_needs_no_open_actions(world):
    plan, (goal,) = _agreed_plan(world)
    action = _action(world, goal)
    evaluation = plan_services.evaluation_record(
        case=world.case,
        by=world.casemanager,
        kind=EvaluationKind.FINAL,
        held_on=_today(),
        participants="Casemanager, corporatie, wijkagent",
        goal_results={goal.pk: (GoalResult.ACHIEVED, "")},
        scores=_scores(4),
        outcome=FinalOutcome(
            neighbours_outcome=NuisanceOutcome.MANAGEABLE,
            partners_outcome=NuisanceOutcome.RESOLVED,
            resolved_at_sources=frozenset(ComplaintSource.values),
            causer_in_care=True,
            housing_outcome=HousingOutcome.STAYED,
            follow_up=FollowUp.AFTERCARE,
        ),
    )
    assert plan_selectors.evaluation_goals_achieved(evaluation).percentage == 100
    facts = plan_selectors.plan_facts(world.case)
    assert (facts.has_final_evaluation, facts.has_open_actions) == (True, True)
    assert plan_selectors.closing_refusals(world.case)
    assert not Deadline.objects.open().filter(kind=kinds.PERIODIC_EVALUATION).exists()

    aftercare = plan_services.aftercare_plan_record(
        case=world.case,
        by=world.casemanager,
        data={
            "end_date": _today() + dt.timedelta(days=90),
            "handover_organisation": world.ggz,
            "handover_on": _today(),
            "handover_what": "Dossier en afspraken",
        },
    )
    plan_services.action_assign(
        by=world.casemanager,
        aftercare_plan=aftercare,
        organisation=world.ggz,
        description="Maandelijks contact",
        due_on=_today() + dt.timedelta(days=30),
        life_domain=LifeDomain.objects.get(code="mental_health"),
    )
    for open_action in Action.objects.filter(case=world.case, status=ActionStatus.OPEN):
        plan_services.action_complete(action=open_action, by=world.casemanager, note="Klaar")
    assert action.pk
    assert plan_selectors.closing_refusals(world.case) == []


def test_fully_resolved_must_be_checked_at_every_complaint_source(world):
    _agreed_plan(world)
    with pytest.raises(PlanRefused):
        plan_services.evaluation_record(
            case=world.case,
            by=world.casemanager,
            kind=EvaluationKind.FINAL,
            held_on=_today(),
            participants="Casemanager",
            outcome=FinalOutcome(
                neighbours_outcome=NuisanceOutcome.RESOLVED,
                partners_outcome=NuisanceOutcome.RESOLVED,
                resolved_at_sources=frozenset({ComplaintSource.POLICE}),
                causer_in_care=False,
                housing_outcome=HousingOutcome.STAYED,
                follow_up=FollowUp.NONE,
            ),
        )


def test_passed_on_needs_its_destination(world):
    plan, (goal,) = _agreed_plan(world)
    kwargs = {
        "case": world.case,
        "by": world.casemanager,
        "kind": EvaluationKind.FINAL,
        "held_on": _today(),
        "participants": "Casemanager",
        "goal_results": {goal.pk: (GoalResult.NOT_ACHIEVED, "")},
        "scores": _scores(2),
    }
    outcome = {
        "neighbours_outcome": NuisanceOutcome.NOT_RESOLVED,
        "partners_outcome": NuisanceOutcome.NOT_RESOLVED,
        "causer_in_care": False,
        "housing_outcome": HousingOutcome.EVICTED,
        "follow_up": FollowUp.PASSED_ON,
    }
    with pytest.raises(PlanRefused):
        plan_services.evaluation_record(**kwargs, outcome=FinalOutcome(**outcome))
    evaluation = plan_services.evaluation_record(
        **kwargs,
        outcome=FinalOutcome(**outcome, passed_on_to=PassedOnDestination.EVICTION_PROCEDURE),
    )
    assert evaluation.passed_on_to == PassedOnDestination.EVICTION_PROCEDURE


def test_a_case_that_ends_early_gets_a_short_final_evaluation(world):
    evaluation = plan_services.evaluation_record(
        case=world.case,
        by=world.casemanager,
        kind=EvaluationKind.FINAL,
        held_on=_today(),
        participants="Casemanager",
        notes="Verhuisd naar familie buiten de stad.",
        outcome=FinalOutcome(early_end_reason="moved", follow_up=FollowUp.NONE),
    )
    assert evaluation.early_end_reason == "moved"
    assert plan_selectors.plan_facts(world.case).has_final_evaluation
    with pytest.raises(PlanRefused):  # one final evaluation per case
        plan_services.evaluation_record(
            case=world.case,
            by=world.casemanager,
            kind=EvaluationKind.FINAL,
            held_on=_today(),
            participants="Casemanager",
            outcome=FinalOutcome(early_end_reason="moved", follow_up=FollowUp.NONE),
        )


def test_no_evaluation_on_a_closed_case(world):
    plan, (goal,) = _agreed_plan(world)
    world.case.status = CaseStatus.CLOSED
    world.case.save()
    with pytest.raises(PlanRefused):
        plan_services.evaluation_record(
            case=world.case,
            by=world.casemanager,
            kind=EvaluationKind.PERIODIC,
            held_on=_today(),
            participants="Casemanager",
            goal_results={goal.pk: (GoalResult.ACHIEVED, "")},
            scores=_scores(),
        )


def test_aftercare_needs_a_final_evaluation_that_chose_it(world):
    _agreed_plan(world)
    with pytest.raises(PlanRefused):
        plan_services.aftercare_plan_record(
            case=world.case, by=world.casemanager, data={"end_date": _today()}
        )


# --- Material support and relocation -------------------------------------------------------


def test_the_paying_corporation_decides_on_material_support(world):
    mitros_rep = world.outsider_rep  # a representative of Mitros
    support = plan_services.material_support_request(
        case=world.case,
        by=world.casemanager,
        amount=Decimal("149.95"),
        purpose="Vloerbedekking tegen contactgeluid",
        corporation=world.mitros,
        why_not_regular="Geen bijzondere bijstand mogelijk binnen de termijn",
    )
    with pytest.raises(PermissionDenied):
        plan_services.material_support_decide(support=support, by=world.police_rep, granted=True)
    with pytest.raises(PlanRefused):
        plan_services.material_support_decide(support=support, by=mitros_rep, granted=False)
    decided = plan_services.material_support_decide(support=support, by=mitros_rep, granted=True)
    assert (decided.decision, decided.decided_by) == (SupportDecision.GRANTED, mitros_rep)
    with pytest.raises(PlanRefused):
        plan_services.material_support_decide(support=decided, by=mitros_rep, granted=False)


def test_relocation_advised_by_the_casemanager_and_proposed_by_the_corporation(world):
    neighbour = world.case.persons.first()
    relocation = plan_services.relocation_advise(
        case=world.case,
        by=world.casemanager,
        relocated=RelocatedPerson.NEIGHBOUR,
        person=neighbour,
        corporation=world.mitros,
        advice="Kwetsbare buurvrouw uitplaatsen in beheerdersbelang",
    )
    with pytest.raises(PermissionDenied):
        plan_services.relocation_propose(
            relocation=relocation, by=world.police_rep, proposal="Woning elders"
        )
    plan_services.relocation_propose(
        relocation=relocation, by=world.outsider_rep, proposal="Woning in Zuilen"
    )
    noted = plan_services.relocation_note_permit(
        relocation=relocation, by=world.casemanager, note="Urgentie verleend"
    )
    assert (noted.proposed_by, noted.housing_permit_note) == (
        world.outsider_rep,
        "Urgentie verleend",
    )


def test_a_relocation_cannot_name_a_person_of_another_case(world):
    stranger = PersonFactory()  # on a case of its own
    with pytest.raises(PlanRefused):
        plan_services.relocation_advise(
            case=world.case,
            by=world.casemanager,
            relocated=RelocatedPerson.CAUSER,
            person=stranger,
            corporation=world.mitros,
            advice="Uitplaatsen",
        )


def test_a_closed_case_takes_no_new_plan_work(world):
    world.case.status = CaseStatus.CLOSED
    world.case.save()
    with pytest.raises(PlanRefused):
        plan_services.plan_start(case=world.case, by=world.casemanager)


def test_the_functional_administrator_edits_the_life_domain_matrix(world):
    admin = UserFactory(organisation=world.uc, roles=[Role.FUNCTIONAL_ADMIN])
    with pytest.raises(PermissionDenied):
        plan_services.life_domain_save(
            by=world.coordinator, code="x", name="X", order=1, is_special_category=False
        )
    domain = plan_services.life_domain_save(
        by=admin, code="spirituality", name="Zingeving", order=14, is_special_category=False
    )
    finances = LifeDomain.objects.get(code="finances")
    plan_services.life_domain_save(
        by=admin,
        domain=finances,
        code="finances",
        name="Financiën",
        order=1,
        is_special_category=False,
        is_active=False,
    )
    assert set(plan_selectors.life_domains_active()) >= {domain}
    assert finances not in plan_selectors.life_domains_active()
    with pytest.raises(PlanRefused):
        plan_services.life_domain_save(
            by=admin, code="housing", name="Wonen", order=2, is_special_category=False
        )
