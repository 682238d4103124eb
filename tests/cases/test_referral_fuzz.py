"""Hostile input on the referral form: never a 500, nothing stored for a refused id."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from cases import services
from cases.models import Case, Person, Referral
from partners.choices import OrganisationKind, Role
from partners.models import District, Organisation
from tests.factories.partners import OrganisationFactory, UserFactory
from tests.hostile import FUZZ, hostile_text, ids

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(db):
    mitros = OrganisationFactory(name="Mitros", corporation=True)
    police = OrganisationFactory(name="Politie", police=True)
    referrer = UserFactory(organisation=mitros, roles=[Role.REFERRER])
    return {
        "referrer": referrer,
        "police": police,
        "referral": services.referral_start(by=referrer),
    }


@FUZZ
@given(
    fields=st.dictionaries(
        st.sampled_from(
            [
                "contact_name",
                "contact_phone",
                "contact_email",
                "postcode",
                "house_number",
                "house_number_addition",
                "street",
                "city",
                "housing_type",
                "nuisance_since",
                "description",
                "actions_taken",
                "is_urgent",
                "urgency_reason",
                "causer-0-last_name",
                "causer-0-date_of_birth",
                "causer-0-id",
                "neighbour-0-phone",
                "causer-TOTAL_FORMS",
                "version",
            ]
        ),
        hostile_text,
    ),
    district=ids,
    corporation=st.one_of(ids, st.just("POLICE")),
    nuisance=st.lists(st.one_of(st.sampled_from(["noise", "threats"]), hostile_text), max_size=3),
    action=st.sampled_from(["save", "submit", "", "delete"]),
    keep_version=st.booleans(),
)
def test_hostile_referral_posts_never_500_and_store_no_refused_id(
    verified_client, setup, fields, district, corporation, nuisance, action, keep_version
):
    referral = Referral.objects.get(pk=setup["referral"].pk)
    client = verified_client(setup["referrer"])
    if corporation == "POLICE":
        corporation = setup["police"].pk
    data = {
        "causer-TOTAL_FORMS": "1",
        "causer-INITIAL_FORMS": "0",
        "household-TOTAL_FORMS": "1",
        "household-INITIAL_FORMS": "0",
        "neighbour-TOTAL_FORMS": "1",
        "neighbour-INITIAL_FORMS": "0",
        "version": str(referral.version),
        "housing_type": "corporation",
        "district": str(district),
        "corporation": str(corporation),
        "nuisance_forms": nuisance,
        "action": action,
        **fields,
    }
    if keep_version:
        data["version"] = str(referral.version)
    response = client.post(reverse("cases:referral_edit", args=[referral.pk]), data)
    assert response.status_code in (200, 302)
    case = Case.objects.get(pk=referral.case_id)
    if case.corporation_id is not None:
        assert Organisation.objects.get(pk=case.corporation_id).kind == OrganisationKind.CORPORATION
    if case.district_id is not None:
        assert District.objects.filter(pk=case.district_id, is_active=True).exists()
    assert not Person.objects.exclude(case=case).exists()
    assert "\x00" not in (case.street + case.city + case.postcode)
