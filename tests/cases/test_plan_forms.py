"""The plan's forms refuse what the rules refuse, with the message next to the field."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from cases.choices_plan import (
    ActionStatus,
    ComplaintSource,
    EvaluationKind,
    FollowUp,
    NuisanceOrigin,
)
from cases.forms.plan import (
    ActionForm,
    AftercarePlanForm,
    EvaluationForm,
    GoalForm,
    InvestigationForm,
    LifeDomainScoresForm,
    MaterialSupportDecisionForm,
    MyActionsFilterForm,
)
from cases.models import LifeDomain
from tests.factories.cases import GoalFactory
from tests.factories.partners import OrganisationFactory, UserFactory


@pytest.fixture(autouse=True)
def _english():
    """These tests read the English source messages (the interface is Dutch by default)."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db


def _today():
    return timezone.localdate()


def _goal_data(**changes):
    partner = OrganisationFactory(name="Politie")
    data = {
        "specific": "Geen geluidsoverlast na 22 uur",
        "indicator": "Klachten per maand",
        "target": "0",
        "agreed_partners": [partner.pk],
        "feasibility": "De bewoner werkt mee",
        "target_date": "2027-06-01",
        "life_domains": [LifeDomain.objects.get(code="housing").pk],
        "covenant_elements": ["behaviour_agreements"],
    }
    data.update(changes)
    return data


def test_a_smart_goal_is_valid():
    form = GoalForm(data=_goal_data())
    assert form.is_valid(), form.errors
    assert form.cleaned_data["covenant_elements"] == ["behaviour_agreements"]


def test_an_empty_goal_gets_one_message_per_missing_smart_part():
    form = GoalForm(data={})
    assert not form.is_valid()
    assert set(form.errors) == {
        "specific",
        "indicator",
        "target",
        "agreed_partners",
        "feasibility",
        "target_date",
    }
    assert "Realistic" in form.errors["feasibility"][0]


def test_a_goal_without_partners_is_refused_as_not_acceptable():
    form = GoalForm(data=_goal_data(agreed_partners=[]))
    assert not form.is_valid()
    assert list(form.errors) == ["agreed_partners"]


def test_an_invalid_date_keeps_the_date_message_only():
    form = GoalForm(data=_goal_data(target_date="32-13-2027"))
    assert not form.is_valid()
    assert len(form.errors["target_date"]) == 1


def test_goal_initial_values_come_from_the_goal():
    goal = GoalFactory()
    initial = GoalForm.initial_for(goal)
    assert initial["specific"] == goal.specific
    assert len(initial["agreed_partners"]) == 1


def test_deliberate_nuisance_needs_a_motivation_and_dates_are_not_in_the_future():
    form = InvestigationForm(
        data={
            "nuisance_origin": NuisanceOrigin.DELIBERATE,
            "lead_trajectory": "this_approach",
            "causer_heard_on": (_today() + dt.timedelta(days=1)).isoformat(),
            "plans_aligned": "unknown",
        }
    )
    assert not form.is_valid()
    assert set(form.errors) == {"origin_motivation", "causer_heard_on"}


def test_life_domain_scores_need_every_domain():
    domains = list(LifeDomain.objects.filter(is_active=True))
    data = {f"score_{d.pk}": "3" for d in domains[1:]}
    form = LifeDomainScoresForm(data=data, domains=domains)
    assert not form.is_valid()
    assert list(form.errors) == [f"score_{domains[0].pk}"]
    data[f"score_{domains[0].pk}"] = "5"
    data[f"note_{domains[0].pk}"] = "Zelfstandig"
    form = LifeDomainScoresForm(data=data, domains=domains)
    assert form.is_valid()
    assert form.scores()[domains[0].pk] == (5, "Zelfstandig")


def test_an_action_refuses_a_past_due_date_and_a_person_of_another_organisation():
    police = OrganisationFactory(name="Politie")
    other = UserFactory()
    form = ActionForm(
        data={
            "description": "Huisbezoek",
            "organisation": police.pk,
            "assignee": other.pk,
            "due_on": (_today() - dt.timedelta(days=1)).isoformat(),
        }
    )
    assert not form.is_valid()
    assert set(form.errors) == {"due_on", "assignee"}


def _evaluation(goals=(), **changes):
    data = {
        "kind": EvaluationKind.FINAL,
        "held_on": _today().isoformat(),
        "participants": "Casemanager, wijkagent",
        "neighbours_outcome": "manageable",
        "partners_outcome": "manageable",
        "causer_in_care": "true",
        "housing_outcome": "stayed",
        "follow_up": FollowUp.AFTERCARE,
    }
    data.update(changes)
    return EvaluationForm(data=data, goals=goals)


def test_a_final_evaluation_form_builds_the_outcome():
    goal = GoalFactory()
    form = _evaluation([goal], **{f"result_{goal.pk}": "achieved"})
    assert form.is_valid(), form.errors
    assert form.outcome().causer_in_care is True
    assert form.goal_results() == {goal.pk: ("achieved", "")}


@pytest.mark.parametrize(
    "changes, fields",
    [
        ({"neighbours_outcome": "resolved"}, {"resolved_at_sources"}),
        ({"follow_up": FollowUp.PASSED_ON}, {"passed_on_to"}),
        ({"adjusts_plan": "on"}, {"adjusts_plan"}),
        ({"held_on": (timezone.localdate() + dt.timedelta(days=3)).isoformat()}, {"held_on"}),
        (
            {"causer_in_care": "unknown", "housing_outcome": ""},
            {"causer_in_care", "housing_outcome"},
        ),
        (
            {
                "partners_outcome": "resolved",
                "resolved_at_sources": [s.value for s in ComplaintSource],
            },
            set(),
        ),
    ],
)
def test_a_final_evaluation_form_shows_each_problem_at_its_field(changes, fields):
    form = _evaluation(**changes)
    form.is_valid()
    assert set(form.errors) == fields


def test_a_periodic_evaluation_needs_goal_results_and_records_no_outcome():
    goal = GoalFactory()
    form = _evaluation([goal], kind=EvaluationKind.PERIODIC)
    assert not form.is_valid()
    assert f"result_{goal.pk}" in form.errors
    assert "follow_up" in form.errors


def test_an_early_end_needs_no_goal_results():
    goal = GoalFactory()
    form = _evaluation(
        [goal],
        early_end_reason="died",
        neighbours_outcome="",
        partners_outcome="",
        causer_in_care="unknown",
        housing_outcome="",
        follow_up=FollowUp.NONE,
    )
    assert form.is_valid(), form.errors
    assert form.goal_results() == {}


def test_aftercare_handover_needs_whom_and_what():
    form = AftercarePlanForm(data={"end_date": "2027-03-01", "handover_on": "2027-01-10"})
    assert not form.is_valid()
    assert set(form.errors) == {"handover_to"}
    form = AftercarePlanForm(data={"end_date": "2027-03-01", "handover_to": "Buurtteam"})
    assert set(form.errors) == {"handover_what"}


def test_a_refusal_of_material_support_needs_an_explanation():
    assert not MaterialSupportDecisionForm(data={"granted": "no"}).is_valid()
    form = MaterialSupportDecisionForm(data={"granted": "yes"})
    assert form.is_valid() and form.cleaned_data["granted"] is True


def test_my_actions_filters_fall_back_to_open_actions():
    assert MyActionsFilterForm(data={}).filters()["status"] == ActionStatus.OPEN
    form = MyActionsFilterForm(
        data={"case": "4", "status": "all", "due_before": "2027-01-31"}, cases=[(4, "WO-1")]
    )
    assert form.filters() == {"case": 4, "due_before": dt.date(2027, 1, 31), "status": None}
    assert MyActionsFilterForm(data={"case": "99"}, cases=[(4, "WO-1")]).filters() == {
        "status": ActionStatus.OPEN
    }
