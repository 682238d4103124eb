"""Organisations in /beheer/: create, edit, deactivate instead of delete, errors kept."""

import pytest
from django.urls import reverse

from partners.choices import OrganisationKind
from partners.models import Organisation
from tests.factories.partners import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(verified_client, functional_admin):
    return verified_client(functional_admin)


def test_list_shows_the_covenant_parties(admin):
    response = admin.get(reverse("partners:organisation_list"))
    assert response.status_code == 200
    content = response.content.decode()
    for name in ("Mitros", "Politie", "U Centraal", "Victas"):
        assert name in content


def test_create_organisation_records_who_did_it(admin, functional_admin):
    response = admin.post(
        reverse("partners:organisation_create"),
        {
            "name": "Buurtbemiddeling",
            "short_name": "BB",
            "kind": OrganisationKind.CARE_PROVIDER,
            "obligations": "- Bemiddelen tussen buren.",
        },
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("partners:organisation_list")
    organisation = Organisation.objects.get(name="Buurtbemiddeling")
    assert organisation.kind == OrganisationKind.CARE_PROVIDER
    assert not organisation.on_call_only
    assert organisation.history.get().history_user == functional_admin
    assert "Buurtbemiddeling" in str(list(response.context["messages"])[0])


def test_edit_organisation(admin, functional_admin):
    organisation = OrganisationFactory(name="Oude naam", kind=OrganisationKind.CARE_PROVIDER)
    response = admin.post(
        reverse("partners:organisation_edit", args=[organisation.pk]),
        {
            "name": "Nieuwe naam",
            "short_name": "",
            "kind": OrganisationKind.POLICE,
            "on_call_only": "on",
        },
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.name, organisation.kind, organisation.on_call_only) == (
        "Nieuwe naam",
        OrganisationKind.POLICE,
        True,
    )
    assert organisation.history.first().history_user == functional_admin


def test_invalid_organisation_keeps_input_and_shows_error_next_to_field(admin):
    response = admin.post(
        reverse("partners:organisation_create"),
        {"name": "Mitros", "short_name": "Dubbel", "kind": "", "obligations": "mijn getypte tekst"},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "name" in form.errors  # Mitros exists already
    assert "kind" in form.errors
    content = response.content.decode()
    assert "mijn getypte tekst" in content
    assert 'value="Dubbel"' in content
    assert Organisation.objects.filter(name="Mitros").count() == 1


def test_deactivate_and_reactivate_instead_of_delete(admin):
    organisation = OrganisationFactory(name="Met geschiedenis")
    UserFactory(organisation=organisation)

    response = admin.post(reverse("partners:organisation_deactivate", args=[organisation.pk]))
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert not organisation.is_active
    assert organisation.users.count() == 1

    admin.post(reverse("partners:organisation_reactivate", args=[organisation.pk]))
    organisation.refresh_from_db()
    assert organisation.is_active
    assert [h.is_active for h in organisation.history.all()] == [True, False, True]


def test_deactivate_needs_post(admin):
    organisation = OrganisationFactory()
    assert (
        admin.get(reverse("partners:organisation_deactivate", args=[organisation.pk])).status_code
        == 405
    )
