"""The pure rules of the plan of approach (cases/domain/plan.py), table-driven."""

import datetime as dt

import pytest
from django.utils import translation

from cases.choices_plan import (
    ComplaintSource,
    EvaluationKind,
    FollowUp,
    GoalResult,
    HousingOutcome,
    NuisanceOutcome,
    PassedOnDestination,
)
from cases.domain.plan import (
    FinalOutcome,
    GoalSnapshot,
    PlanFacts,
    action_due_problems,
    agreement_refusals,
    closing_refusals,
    evaluation_refusals,
    final_outcome_problems,
    goal_results_problems,
    goals_achieved,
    may_finish_action,
    plan_diff,
    scores_problems,
    smart_problems,
)

SMART = {
    "specific": "Geen geluidsoverlast na 22 uur",
    "indicator": "Klachten per maand",
    "target": "0",
    "agreed_partners": ["Mitros"],
    "feasibility": "Bewoner werkt mee",
    "target_date": dt.date(2027, 6, 1),
}


@pytest.fixture(autouse=True)
def _english():
    """These tests read the English source messages (the interface is Dutch by default)."""
    with translation.override("en"):
        yield


@pytest.mark.parametrize(
    "missing, field, words",
    [
        ("specific", "specific", "Specific"),
        ("indicator", "indicator", "indicator"),
        ("target", "target", "target value"),
        ("agreed_partners", "agreed_partners", "partner"),
        ("feasibility", "feasibility", "feasible"),
        ("target_date", "target_date", "date"),
    ],
)
def test_a_goal_missing_one_smart_part_gets_a_message_for_that_part(missing, field, words):
    goal = {**SMART, missing: [] if missing == "agreed_partners" else None}
    problems = smart_problems(goal)
    assert list(problems) == [field]
    assert words in problems[field]


@pytest.mark.parametrize("blank", ["", "   ", None])
def test_blank_text_is_a_missing_part(blank):
    assert "specific" in smart_problems({**SMART, "specific": blank})


def test_a_complete_goal_is_smart_and_an_empty_one_misses_all_six_parts():
    assert smart_problems(SMART) == {}
    assert len(smart_problems({})) == 6


@pytest.mark.parametrize(
    "is_draft, goals, analysis, refused",
    [
        (True, 1, True, 0),
        (True, 0, True, 1),  # no SMART goal
        (True, 1, False, 1),  # no life-domain analysis
        (True, 0, False, 2),
        (False, 1, True, 1),  # already agreed or superseded
    ],
)
def test_no_agreed_plan_without_a_smart_goal_and_a_life_domain_analysis(
    is_draft, goals, analysis, refused
):
    reasons = agreement_refusals(
        is_draft=is_draft, smart_goals=goals, has_life_domain_analysis=analysis
    )
    assert len(reasons) == refused


def _goal(lineage, specific="Doel", **kwargs):
    return GoalSnapshot(lineage=lineage, specific=specific, **kwargs)


def test_the_diff_lists_goals_added_removed_changed_and_scores():
    old = [_goal("a"), _goal("b", target="3"), _goal("c")]
    new = [_goal("a"), _goal("b", target="0"), _goal("d", "Nieuw doel")]
    diff = plan_diff(
        old, new, old_scores={"Financiën": 2, "Justitie": 1}, new_scores={"Financiën": 3}
    )
    assert [g.lineage for g in diff.added] == ["d"]
    assert [g.lineage for g in diff.removed] == ["c"]
    assert [(c.after.lineage, c.fields) for c in diff.changed] == [("b", ("target",))]
    assert [g.lineage for g in diff.unchanged] == ["a"]
    scores = {s.domain: (s.before, s.after, s.delta) for s in diff.scores}
    assert scores == {"Financiën": (2, 3, 1), "Justitie": (1, None, None)}
    assert not diff.is_empty


@pytest.mark.parametrize(
    "before, after, fields",
    [
        ({"partners": frozenset({"Mitros"})}, {"partners": frozenset({"Politie"})}, ("partners",)),
        (
            {"life_domains": frozenset()},
            {"life_domains": frozenset({"Huisvesting"})},
            ("life_domains",),
        ),
        (
            {"target_date": dt.date(2027, 1, 1)},
            {"target_date": dt.date(2027, 3, 1)},
            ("target_date",),
        ),
        (
            {"indicator": "x", "feasibility": "y"},
            {"indicator": "z", "feasibility": "w"},
            ("indicator", "feasibility"),
        ),
    ],
)
def test_the_diff_names_each_changed_part_of_a_goal(before, after, fields):
    diff = plan_diff([_goal(1, **before)], [_goal(1, **after)])
    assert diff.changed[0].fields == fields


def test_identical_versions_have_an_empty_diff():
    goals = [_goal(1), _goal(2)]
    assert plan_diff(goals, goals, old_scores={"x": 3}, new_scores={"x": 3}).is_empty


MANAGEABLE = FinalOutcome(
    neighbours_outcome=NuisanceOutcome.MANAGEABLE,
    partners_outcome=NuisanceOutcome.MANAGEABLE,
    causer_in_care=True,
    housing_outcome=HousingOutcome.STAYED,
    follow_up=FollowUp.AFTERCARE,
)
ALL_SOURCES = frozenset(ComplaintSource.values)


@pytest.mark.parametrize(
    "changes, problem_fields",
    [
        ({}, set()),
        ({"neighbours_outcome": ""}, {"neighbours_outcome"}),
        ({"partners_outcome": ""}, {"partners_outcome"}),
        ({"causer_in_care": None}, {"causer_in_care"}),
        ({"housing_outcome": ""}, {"housing_outcome"}),
        ({"follow_up": ""}, {"follow_up"}),
        # Fully resolved is checked per complaint source.
        ({"neighbours_outcome": NuisanceOutcome.RESOLVED}, {"resolved_at_sources"}),
        (
            {
                "partners_outcome": NuisanceOutcome.RESOLVED,
                "resolved_at_sources": ALL_SOURCES - {ComplaintSource.POLICE},
            },
            {"resolved_at_sources"},
        ),
        (
            {"neighbours_outcome": NuisanceOutcome.RESOLVED, "resolved_at_sources": ALL_SOURCES},
            set(),
        ),
        # Passed on needs its destination, and only then has one.
        ({"follow_up": FollowUp.PASSED_ON}, {"passed_on_to"}),
        (
            {"follow_up": FollowUp.PASSED_ON, "passed_on_to": PassedOnDestination.MAYOR_MEASURE},
            set(),
        ),
        ({"passed_on_to": PassedOnDestination.RELOCATION}, {"passed_on_to"}),
    ],
)
def test_final_outcome_problems(changes, problem_fields):
    outcome = FinalOutcome(**{**MANAGEABLE.__dict__, **changes})
    assert set(final_outcome_problems(outcome)) == problem_fields


def test_an_early_end_needs_only_its_reason_and_the_follow_up():
    assert final_outcome_problems(FinalOutcome(early_end_reason="died", follow_up="none")) == {}
    assert set(final_outcome_problems(FinalOutcome(early_end_reason="moved"))) == {"follow_up"}


@pytest.mark.parametrize(
    "kind, closed, final, agreed, adjusts, refused",
    [
        (EvaluationKind.PERIODIC, False, False, True, True, 0),
        (EvaluationKind.PERIODIC, True, False, True, False, 1),  # no evaluation on a closed case
        (EvaluationKind.FINAL, True, False, True, False, 1),
        (EvaluationKind.SIX_MONTH, False, True, True, False, 1),  # after the final one
        (EvaluationKind.PERIODIC, False, False, False, False, 1),  # nothing agreed to evaluate
        (EvaluationKind.FINAL, False, False, False, False, 0),  # early end before any plan
        (EvaluationKind.FINAL, False, False, True, True, 1),  # a final one adjusts nothing
    ],
)
def test_evaluation_refusals(kind, closed, final, agreed, adjusts, refused):
    reasons = evaluation_refusals(
        kind=kind,
        case_is_closed=closed,
        has_final_evaluation=final,
        has_agreed_plan=agreed,
        adjusts_plan=adjusts,
    )
    assert len(reasons) == refused


@pytest.mark.parametrize(
    "goal_ids, results, refused",
    [
        ([1, 2], {1: "achieved", 2: "partly"}, 0),
        ([1, 2], {1: "achieved"}, 1),
        ([1], {1: "achieved", 9: "partly"}, 1),
        ([1], {1: "maybe"}, 1),
    ],
)
def test_every_goal_of_the_plan_gets_a_result(goal_ids, results, refused):
    assert len(goal_results_problems(goal_ids=goal_ids, results=results)) == refused


@pytest.mark.parametrize(
    "results, achieved, total, percentage",
    [
        ([GoalResult.ACHIEVED, GoalResult.PARTLY, GoalResult.NOT_ACHIEVED], 1, 3, 33),
        ([GoalResult.ACHIEVED, GoalResult.ACHIEVED], 2, 2, 100),
        ([], 0, 0, None),
    ],
)
def test_share_of_goals_achieved(results, achieved, total, percentage):
    result = goals_achieved(results)
    assert (result.achieved, result.total, result.percentage) == (achieved, total, percentage)


@pytest.mark.parametrize(
    "actor_org, action_org, case_team, representative, allowed",
    [
        (7, 7, False, True, True),  # a representative of the assigned organisation
        (8, 7, False, True, False),  # another organisation's representative
        (7, 7, False, False, False),  # a referrer of the same organisation
        (1, 7, True, False, True),  # the case team
        (None, 7, False, True, False),
    ],
)
def test_who_may_mark_an_action_done(actor_org, action_org, case_team, representative, allowed):
    assert (
        may_finish_action(
            actor_organisation_id=actor_org,
            action_organisation_id=action_org,
            is_case_team=case_team,
            is_representative=representative,
        )
        is allowed
    )


@pytest.mark.parametrize(
    "due, fields",
    [
        (dt.date(2026, 12, 3), set()),
        (dt.date(2027, 1, 1), set()),
        (dt.date(2026, 12, 2), {"due_on"}),
        (None, {"due_on"}),
    ],
)
def test_an_action_is_due_today_or_later(due, fields):
    assert set(action_due_problems(due_on=due, today=dt.date(2026, 12, 3))) == fields


@pytest.mark.parametrize(
    "scores, refused",
    [
        ({1: 1, 2: 5}, 0),
        ({1: 3}, 1),  # domain 2 not scored
        ({1: 0, 2: 3}, 1),
        ({1: 6, 2: 3}, 1),
    ],
)
def test_a_life_domain_analysis_scores_every_domain_from_1_to_5(scores, refused):
    assert len(scores_problems(scores, domains=[1, 2])) == refused


@pytest.mark.parametrize(
    "final, open_actions, refused",
    [(True, False, 0), (False, False, 1), (True, True, 1), (False, True, 2)],
)
def test_closing_needs_a_final_evaluation_and_no_open_actions(final, open_actions, refused):
    facts = PlanFacts(
        has_agreed_plan=True, has_final_evaluation=final, has_open_actions=open_actions
    )
    assert len(closing_refusals(facts)) == refused
