"""Who is recorded on a history row: the signed-in user on the web, the system actor in
Celery tasks and management commands, and nobody's sign-in as noise."""

from __future__ import annotations

import pytest
from celery import shared_task
from django.core.management import call_command
from django.urls import reverse

from cases import services
from cases.models import Case, CaseInvolvement, Person, Referral
from partners.models import User
from privacy.history import SYSTEM_EMAIL, is_system_user, system_actor
from tests.cases.case_setup import make_world
from tests.factories.cases import CaseFactory, PersonFactory

pytestmark = pytest.mark.django_db


@shared_task(name="tests.privacy.rename_person")
def rename_person(person_pk: int, last_name: str) -> None:
    person = Person.objects.get(pk=person_pk)
    person.last_name = last_name
    person.save()


def test_web_edit_records_the_signed_in_user(verified_client):
    world = make_world()
    client = verified_client(world.coordinator)
    response = client.post(
        reverse("cases:involvement_end", args=[world.case.pk, world.politie.pk]),
        {"reason": "Screening afgerond.", "confirm": "on"},  # ending asks both (issue 11)
    )
    assert response.status_code == 302
    involvement = CaseInvolvement.objects.get(case=world.case, organisation=world.politie)
    latest = involvement.history.first()
    assert latest.is_active is False
    assert latest.history_user == world.coordinator


def test_celery_task_records_the_system_actor_with_the_task_name():
    person = PersonFactory(last_name="Smit")
    rename_person.apply(args=[person.pk, "Smits"])
    latest = person.history.first()
    assert latest.last_name == "Smits"
    assert is_system_user(latest.history_user)
    assert latest.history_change_reason == "task tests.privacy.rename_person"
    system = User.objects.get(email=SYSTEM_EMAIL)
    assert not system.is_active and not system.has_usable_password()
    assert str(system) == "Systeem (taak)"


def test_management_command_records_the_system_actor(capsys):
    world = make_world()
    call_command(
        "create_coordinator",
        "--email",
        "nieuw@example.org",
        "--organisation",
        world.uc.name,
        "--no-input",
    )
    user = User.objects.get(email="nieuw@example.org")
    assert is_system_user(user.history.first().history_user)


def test_system_actor_block_restores_the_request_user_afterwards():
    case = CaseFactory()
    with system_actor("nightly job"):
        case.street = "Biltstraat"
        case.save()
    assert is_system_user(case.history.first().history_user)
    assert case.history.first().history_change_reason == "nightly job"


def test_sign_in_writes_no_user_history_row():
    world = make_world()
    user = world.police_rep
    before = user.history.count()
    from django.utils import timezone

    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    user.set_password("another long password 123")
    user.save(update_fields=["password"])
    assert user.history.count() == before
    user.job_title = "Wijkagent"
    user.save(update_fields=["job_title"])
    assert user.history.count() == before + 1


def test_redirect_and_attach_keep_history_of_the_decision_and_moved_persons():
    world = make_world()
    other = CaseFactory(status="intake", street="Biltstraat")
    case = world.case
    Case.objects.filter(pk=case.pk).update(status="intake")
    person = case.persons.get()
    services.case_transition(
        case=Case.objects.get(pk=case.pk), to="attached", by=world.coordinator, into=other
    )
    moved = person.history.first()
    assert moved.case_id == other.pk and moved.history_user == world.coordinator
    referral = Referral.objects.get(case=other)
    assert referral.history.first().history_user == world.coordinator
    assert case.history.first().merged_into_id == other.pk


@pytest.mark.django_db(transaction=True)
def test_real_worker_records_the_system_actor(celery_worker):
    person = PersonFactory(last_name="Smit")
    rename_person.delay(person.pk, "Smid").get(timeout=30)
    latest = person.history.first()
    assert latest.last_name == "Smid"
    assert is_system_user(latest.history_user)
    assert latest.history_change_reason == "task tests.privacy.rename_person"
