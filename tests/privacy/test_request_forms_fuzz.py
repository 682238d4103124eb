"""Hostile input on every data-subject request form: never a 500, nothing stored for it."""

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from partners.choices import Role
from privacy import services
from privacy.models import DataSubjectRequest, RequestKind
from tests.cases.case_setup import make_world
from tests.factories.partners import UserFactory
from tests.hostile import FUZZ, dates, hostile_text, ids

pytestmark = pytest.mark.django_db

kinds = st.one_of(st.sampled_from([k.value for k in RequestKind]), hostile_text)
decisions = st.one_of(st.sampled_from(["complete", "refuse", "erase", "restrict"]), hostile_text)


@pytest.fixture
def setup():
    world = make_world()
    officer = UserFactory(roles=[Role.PRIVACY_OFFICER])
    return world, officer


@FUZZ
@given(person=ids, kind=kinds, received_on=dates, name=hostile_text, notes=hostile_text)
def test_register_form_survives_hostile_input(
    setup, verified_client, person, kind, received_on, name, notes
):
    world, officer = setup
    before = DataSubjectRequest.objects.count()
    response = verified_client(officer).post(
        reverse("privacy_rights:request_new"),
        {
            "person": person,
            "kind": kind,
            "received_on": received_on,
            "requester_name": name,
            "notes": notes,
        },
    )
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert DataSubjectRequest.objects.count() == before


@FUZZ
@given(decision=decisions, reason=hostile_text, rectification=hostile_text, documents=ids)
def test_decision_and_extension_forms_survive_hostile_input(
    setup, verified_client, decision, reason, rectification, documents
):
    world, officer = setup
    person = world.case.persons.get()
    request = services.request_register(
        person=person,
        kind=RequestKind.RECTIFICATION,
        received_on=timezone.localdate(),
        by=officer,
    )
    client = verified_client(officer)
    response = client.post(
        reverse("privacy_rights:request_decide", args=[request.pk]),
        {
            "decision": decision,
            "reason": reason,
            "rectification": rectification,
            "documents": documents,
        },
    )
    assert response.status_code in (200, 302)
    response = client.post(
        reverse("privacy_rights:request_extend", args=[request.pk]), {"reason": reason}
    )
    assert response.status_code in (200, 302)
    person.refresh_from_db()
    assert person.last_name == "Smit"  # a rectification request never erases
