"""The case team corrects a person (how a rectification request is carried out): the
history keeps the old value, the keyed hash follows, outsiders get 404."""

import datetime as dt

import pytest
from django.urls import reverse

from cases import keys
from cases.models import Person
from tests.cases.case_setup import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def _data(**extra):
    return {
        "first_name": "Jan",
        "last_name": "Smid",
        "date_of_birth": "1971-02-03",
        "phone": "",
        "notes": "",
        **extra,
    }


def test_casemanager_corrects_a_person_and_history_keeps_the_old_name(world, verified_client):
    person = world.case.persons.get()
    url = reverse("cases:person_edit", args=[world.case.pk, person.pk])
    response = verified_client(world.casemanager).post(url, _data())
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.last_name, person.date_of_birth) == ("Smid", dt.date(1971, 2, 3))
    assert person.person_key == keys.person_key("Jan", "Smid", dt.date(1971, 2, 3))
    old = person.history.order_by("history_date").first()
    assert old.last_name == "Smit"
    assert person.history.order_by("-history_date").first().history_user == world.casemanager


def test_bad_input_is_shown_next_to_the_field_and_kept(world, verified_client):
    person = world.case.persons.get()
    url = reverse("cases:person_edit", args=[world.case.pk, person.pk])
    response = verified_client(world.casemanager).post(
        url, _data(last_name=" ", date_of_birth="2999-01-01", notes="bewaard")
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"last_name", "date_of_birth"}
    assert "bewaard" in response.content.decode()
    person.refresh_from_db()
    assert person.last_name == "Smit"


@pytest.mark.parametrize(
    "who, status",
    [("police_rep", 403), ("outsider_rep", 404), ("other_casemanager", 404), ("referrer", 404)],
)
def test_others_may_not_correct_persons(world, verified_client, who, status):
    person = world.case.persons.get()
    url = reverse("cases:person_edit", args=[world.case.pk, person.pk])
    client = verified_client(getattr(world, who))
    assert client.post(url, _data()).status_code == status
    assert Person.objects.get(pk=person.pk).last_name == "Smit"


def test_a_person_of_another_case_is_404(world, verified_client):
    from tests.factories.cases import PersonFactory

    stranger = PersonFactory()
    url = reverse("cases:person_edit", args=[world.case.pk, stranger.pk])
    assert verified_client(world.coordinator).get(url).status_code == 404


def test_the_case_page_links_to_the_correction_for_the_case_team_only(world, verified_client):
    person = world.case.persons.get()
    url = reverse("cases:person_edit", args=[world.case.pk, person.pk])
    page = reverse("cases:detail", args=[world.case.pk])
    assert url in verified_client(world.casemanager).get(page).content.decode()
    assert url not in verified_client(world.police_rep).get(page).content.decode()
