"""Reading the plan of approach: "my actions", the plan page's data, life domains over time,
and the facts the case workflow's guards need (cases/selectors/plan.py)."""

import datetime as dt

import pytest

from cases import services as case_services
from cases.choices_plan import ActionStatus, AssessmentMoment, PlanStatus
from cases.models import (
    Action,
    LifeDomain,
    LifeDomainAssessment,
    LifeDomainScore,
)
from cases.selectors import plan as plan_selectors
from tests.cases.case_setup import make_world
from tests.factories.cases import (
    ActionFactory,
    CaseFactory,
    EvaluationFactory,
    GoalFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def _bulk_actions(goal, organisation, count, *, start=dt.date(2027, 1, 1)):
    Action.objects.bulk_create(
        [
            Action(
                case=goal.case,
                goal=goal,
                organisation=organisation,
                description=f"Actie {i}",
                due_on=start + dt.timedelta(days=i % 60),
                created_by=goal.case.created_by,
            )
            for i in range(count)
        ]
    )


def test_life_domains_are_seeded_as_data_with_three_special_categories():
    domains = LifeDomain.objects.filter(is_active=True)
    assert domains.count() == 13
    assert set(domains.filter(is_special_category=True).values_list("code", flat=True)) == {
        "mental_health",
        "substance_use",
        "justice",
    }


@pytest.mark.parametrize("count", [1, 500])
def test_my_actions_runs_a_constant_number_of_queries(world, count, django_assert_max_num_queries):
    goal = GoalFactory(plan=PlanFactory(case=world.case))
    _bulk_actions(goal, world.politie, count)
    ActionFactory(goal=goal, organisation=world.ggz)  # another organisation's

    with django_assert_max_num_queries(2):
        rows = [
            (a.case.number, a.goal.specific, a.organisation.name, a.assignee, a.due_on)
            for a in plan_selectors.my_actions(user=world.police_rep)
        ]
    with django_assert_max_num_queries(1):
        total = plan_selectors.my_actions_count(user=world.police_rep)
    assert len(rows) == total == count
    assert [r[4] for r in rows] == sorted(r[4] for r in rows)


def test_my_actions_spans_cases_and_filters_by_case_due_date_and_status(world):
    second = CaseFactory(casemanager=world.casemanager)
    case_services.involvement_add(case=second, organisation=world.politie, by=world.coordinator)
    first_goal = GoalFactory(plan=PlanFactory(case=world.case))
    second_goal = GoalFactory(plan=PlanFactory(case=second))
    soon = ActionFactory(goal=first_goal, organisation=world.politie, due_on=dt.date(2027, 1, 5))
    later = ActionFactory(goal=second_goal, organisation=world.politie, due_on=dt.date(2027, 3, 1))
    done = ActionFactory(goal=first_goal, organisation=world.politie, done=True)
    rep = world.police_rep

    assert list(plan_selectors.my_actions(user=rep)) == [soon, later]
    assert list(plan_selectors.my_actions(user=rep, case=second)) == [later]
    assert list(plan_selectors.my_actions(user=rep, due_before=dt.date(2027, 1, 5))) == [soon]
    assert list(plan_selectors.my_actions(user=rep, status=ActionStatus.DONE)) == [done]
    assert set(plan_selectors.my_actions(user=rep, status=None)) == {soon, later, done}


def test_my_actions_leaves_out_cases_the_organisation_no_longer_takes_part_in(world):
    goal = GoalFactory(plan=PlanFactory(case=world.case))
    ActionFactory(goal=goal, organisation=world.politie)
    case_services.involvement_end(case=world.case, organisation=world.politie, by=world.coordinator)
    assert plan_selectors.my_actions_count(user=world.police_rep) == 0


def test_a_user_without_organisation_has_no_actions(world):
    world.police_rep.organisation = None
    assert plan_selectors.my_actions_count(user=world.police_rep) == 0


def _plan_with(world, goals, actions_per_goal):
    plan = PlanFactory(case=world.case)
    for _ in range(goals):
        goal = GoalFactory(plan=plan, agreed_partners=[world.politie, world.ggz])
        goal.life_domains.set(LifeDomain.objects.all()[:2])
        _bulk_actions(goal, world.politie, actions_per_goal)
    assessment = LifeDomainAssessment.objects.create(
        case=world.case,
        moment=AssessmentMoment.PLAN,
        plan=plan,
        assessed_on=dt.date(2026, 12, 1),
        assessed_by=world.casemanager,
    )
    LifeDomainScore.objects.bulk_create(
        LifeDomainScore(case=world.case, assessment=assessment, domain=d, score=3)
        for d in LifeDomain.objects.all()
    )
    return plan


@pytest.mark.parametrize("goals, actions", [(1, 1), (10, 50)])
def test_the_plan_page_data_runs_a_constant_number_of_queries(
    world, goals, actions, django_assert_max_num_queries
):
    _plan_with(world, goals, actions)
    with django_assert_max_num_queries(8):
        plan = plan_selectors.plan_detail(case=world.case)
        seen = [
            (
                [o.name for o in goal.agreed_partners.all()],
                [d.name for d in goal.life_domains.all()],
                [(a.organisation.name, a.assignee) for a in goal.actions.all()],
            )
            for goal in plan.goals.all()
        ]
        seen.append([a.organisation.name for a in plan.agreements.all()])
        seen.append(
            [s.domain.name for m in plan.life_domain_assessments.all() for s in m.scores.all()]
        )
    assert len(seen) == goals + 2


def test_plan_latest_prefers_the_draft_and_versions_list_newest_first(world):
    agreed = PlanFactory(case=world.case, agreed=True)
    draft = PlanFactory(case=world.case, number=2, previous=agreed)
    assert plan_selectors.plan_latest(case=world.case) == draft
    assert plan_selectors.plan_agreed(case=world.case) == agreed
    assert list(plan_selectors.plan_versions(case=world.case)) == [draft, agreed]
    assert plan_selectors.plan_detail(case=world.case, number=1) == agreed


def test_special_category_scores_are_shown_to_the_case_team_and_named_organisations(world):
    plan = _plan_with(world, 0, 0)
    mental = LifeDomain.objects.get(code="mental_health")
    justice = LifeDomain.objects.get(code="justice")
    goal = GoalFactory(plan=plan, agreed_partners=[world.ggz])
    goal.life_domains.set([mental])

    def hidden(user):
        timeline = plan_selectors.life_domain_timeline(case=world.case, user=user)
        return {row.domain.code for row in timeline.rows if row.hidden}

    assert hidden(world.casemanager) == set()
    assert hidden(world.ggz_rep) == {"substance_use", "justice"}
    assert hidden(world.police_rep) == {"mental_health", "substance_use", "justice"}
    # An action on the domain itself names the organisation for it.
    ActionFactory(goal=GoalFactory(plan=plan), organisation=world.politie, life_domain=justice)
    assert hidden(world.police_rep) == {"mental_health", "substance_use"}
    # So does an action under a goal that addresses the domain.
    ActionFactory(goal=goal, organisation=world.politie)
    assert hidden(world.police_rep) == {"substance_use"}
    row = next(
        r
        for r in plan_selectors.life_domain_timeline(case=world.case, user=world.ggz_rep).rows
        if r.domain == justice
    )
    assert row.scores == [None] and row.notes == [""]


def test_the_timeline_has_a_column_per_analysis(world, django_assert_max_num_queries):
    plan = _plan_with(world, 1, 0)
    evaluation = EvaluationFactory(case=world.case, plan=plan)
    later = LifeDomainAssessment.objects.create(
        case=world.case,
        moment=AssessmentMoment.EVALUATION,
        evaluation=evaluation,
        assessed_on=dt.date(2027, 3, 1),
        assessed_by=world.casemanager,
    )
    LifeDomainScore.objects.bulk_create(
        LifeDomainScore(case=world.case, assessment=later, domain=d, score=4)
        for d in LifeDomain.objects.all()
    )
    with django_assert_max_num_queries(5):
        timeline = plan_selectors.life_domain_timeline(case=world.case, user=world.casemanager)
    assert len(timeline.moments) == 2
    assert all(row.scores == [3, 4] for row in timeline.rows)


@pytest.mark.parametrize(
    "make, agreed, final, open_actions",
    [
        (lambda case: None, False, False, False),
        (lambda case: PlanFactory(case=case, agreed=True), True, False, False),
        (lambda case: PlanFactory(case=case, status=PlanStatus.SUPERSEDED), False, False, False),
        (lambda case: EvaluationFactory(case=case, final=True), False, True, False),
        (
            lambda case: ActionFactory(goal=GoalFactory(plan=PlanFactory(case=case))),
            False,
            False,
            True,
        ),
        (
            lambda case: ActionFactory(goal=GoalFactory(plan=PlanFactory(case=case)), done=True),
            False,
            False,
            False,
        ),
    ],
)
def test_plan_facts_feed_the_case_workflow(
    make, agreed, final, open_actions, django_assert_num_queries
):
    case = CaseFactory(execution=True)
    make(case)
    with django_assert_num_queries(1):
        facts = plan_selectors.plan_facts(case)
    assert (facts.has_agreed_plan, facts.has_final_evaluation, facts.has_open_actions) == (
        agreed,
        final,
        open_actions,
    )
