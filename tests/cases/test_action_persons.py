"""The person of an action is one of the chosen organisation's active people: the list,
the Dutch refusal of anyone else, the htmx refresh and the path without JavaScript, for the
plan's action form and a meeting decision's action form alike."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.forms.plan import ActionForm
from cases.models import Action
from meetings.forms import ActionForm as DecisionActionForm
from partners.choices import Role
from tests.cases.case_setup import make_world
from tests.factories.cases import GoalFactory, PlanFactory
from tests.factories.partners import UserFactory

pytestmark = pytest.mark.django_db

REFUSAL = "bij de gekozen organisatie werkt"


@pytest.fixture
def world():
    world = make_world()
    world.retired_officer = UserFactory(
        organisation=world.politie, roles=[Role.PARTNER_REPRESENTATIVE], is_active=False
    )
    return world


@pytest.fixture
def goal(world):
    plan = PlanFactory(case=world.case, created_by=world.casemanager)
    return GoalFactory(plan=plan, case=world.case, agreed_partners=[world.politie])


def _due() -> str:
    return (timezone.localdate() + dt.timedelta(days=14)).isoformat()


@pytest.mark.parametrize(
    "form_class, person", [(ActionForm, "assignee"), (DecisionActionForm, "person")]
)
def test_the_person_list_holds_only_the_chosen_organisations_active_people(
    world, form_class, person
):
    assert list(form_class().fields[person].queryset) == []
    bound = form_class({"organisation": world.politie.pk})
    assert list(bound.fields[person].queryset) == [world.police_rep]


@pytest.mark.parametrize(
    "form_class, person", [(ActionForm, "assignee"), (DecisionActionForm, "person")]
)
def test_a_person_of_another_organisation_is_refused_in_dutch(world, form_class, person):
    form = form_class(
        {
            "organisation": world.politie.pk,
            person: world.ggz_rep.pk,
            "due_on": _due(),
            "description": "Huisbezoek",
        }
    )
    assert not form.is_valid()
    assert REFUSAL in " ".join(form.errors[person])


def test_action_form_refuses_another_organisations_person_and_keeps_the_input(
    world, goal, verified_client
):
    response = verified_client(world.casemanager).post(
        reverse("cases:action_add", args=[world.case.pk, goal.pk]),
        {
            "description": "Gesprek met de bewoner",
            "organisation": world.politie.pk,
            "assignee": world.ggz_rep.pk,
            "due_on": _due(),
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert REFUSAL in body and "Gesprek met de bewoner" in body
    assert not Action.objects.exists()


def test_without_javascript_the_form_shows_the_chosen_organisations_people(
    world, goal, verified_client
):
    response = verified_client(world.casemanager).post(
        reverse("cases:action_add", args=[world.case.pk, goal.pk]),
        {
            "description": "Gesprek met de bewoner",
            "organisation": world.politie.pk,
            "due_on": _due(),
            "show_persons": "1",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert not form.is_bound and list(form.fields["assignee"].queryset) == [world.police_rep]
    body = response.content.decode()
    assert f'<option value="{world.police_rep.pk}">' in body
    assert f'<option value="{world.ggz_rep.pk}">' not in body
    assert "Gesprek met de bewoner" in body
    assert not Action.objects.exists()


def test_htmx_refreshes_the_person_select_for_the_case_team_only(world, verified_client):
    url = reverse("cases:organisation_persons")
    params = {
        "person_field": "actions-4-0-person",
        "organisation_field": "actions-4-0-organisation",
        "actions-4-0-organisation": world.politie.pk,
    }
    response = verified_client(world.casemanager).get(url, params, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith("<select") and 'id="id_actions-4-0-person"' in body
    assert f'value="{world.police_rep.pk}"' in body
    assert f'value="{world.ggz_rep.pk}"' not in body
    assert f'value="{world.retired_officer.pk}"' not in body
    assert verified_client(world.police_rep).get(url, params).status_code == 404
    bad = {**params, "person_field": "<script>"}
    assert verified_client(world.casemanager).get(url, bad).status_code == 404


def test_the_organisation_select_asks_for_the_new_list(world):
    form = DecisionActionForm(prefix="actions-4-0")
    attrs = form.fields["organisation"].widget.attrs
    assert attrs["data-hx-target"] == "#id_actions-4-0-person"
    assert "person_field=actions-4-0-person" in attrs["data-hx-get"]
