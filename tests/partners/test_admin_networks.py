"""Networks in /beheer/: districts, standing representatives and substitutes."""

import pytest
from django.urls import reverse

from partners import services
from partners.choices import RepresentativeKind, Role
from partners.models import District, Network, NetworkRepresentative
from tests.factories.partners import (
    NetworkFactory,
    NetworkRepresentativeFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(verified_client, functional_admin):
    return verified_client(functional_admin)


def test_create_network_with_districts(admin, functional_admin):
    west, zuidwest = District.objects.get(name="West"), District.objects.get(name="Zuidwest")
    response = admin.post(
        reverse("partners:network_create"),
        {"name": "Netwerk West en Zuidwest", "districts": [west.pk, zuidwest.pk]},
    )
    network = Network.objects.get(name="Netwerk West en Zuidwest")
    assert response["Location"] == reverse("partners:network_detail", args=[network.pk])
    assert set(network.districts.all()) == {west, zuidwest}
    assert network.history.first().history_user == functional_admin


def test_edit_network_districts(admin):
    network = Network.objects.get(name="Netwerk Oost")
    binnenstad = District.objects.get(name="Binnenstad")
    admin.post(
        reverse("partners:network_edit", args=[network.pk]),
        {
            "name": "Netwerk Oost en Binnenstad",
            "districts": [binnenstad.pk, *network.districts.values_list("pk", flat=True)],
        },
    )
    network.refresh_from_db()
    assert network.name == "Netwerk Oost en Binnenstad"
    assert set(network.districts.values_list("name", flat=True)) == {"Oost", "Binnenstad"}


def test_network_without_name_keeps_chosen_districts(admin):
    zuid = District.objects.get(name="Zuid")
    response = admin.post(reverse("partners:network_create"), {"name": "", "districts": [zuid.pk]})
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert f'value="{zuid.pk}"' in response.content.decode()
    assert "checked" in response.content.decode()


def test_deactivate_network(admin):
    network = NetworkFactory()
    admin.post(reverse("partners:network_deactivate", args=[network.pk]))
    network.refresh_from_db()
    assert not network.is_active


def test_add_standing_representative_and_substitute(admin, functional_admin):
    network = Network.objects.get(name="Netwerk Overvecht")
    politie = OrganisationFactory(name="Politie")
    agent = UserFactory(organisation=politie, roles=[Role.PARTNER_REPRESENTATIVE])
    collega = UserFactory(organisation=politie, roles=[Role.PARTNER_REPRESENTATIVE])
    url = reverse("partners:network_representative_add", args=[network.pk])

    assert (
        admin.post(url, {"user": agent.pk, "kind": RepresentativeKind.STANDING}).status_code == 302
    )
    assert (
        admin.post(url, {"user": collega.pk, "kind": RepresentativeKind.SUBSTITUTE}).status_code
        == 302
    )

    representatives = NetworkRepresentative.objects.filter(network=network)
    assert {(r.user, r.organisation, r.kind) for r in representatives} == {
        (agent, politie, RepresentativeKind.STANDING),
        (collega, politie, RepresentativeKind.SUBSTITUTE),
    }
    assert representatives.first().history.get().history_user == functional_admin
    content = admin.get(reverse("partners:network_detail", args=[network.pk])).content.decode()
    assert str(agent) in content and str(collega) in content


def test_same_person_cannot_be_added_twice(admin):
    network = NetworkFactory()
    person = UserFactory()
    services.network_representative_add(network=network, user=person, by=None)
    response = admin.post(
        reverse("partners:network_representative_add", args=[network.pk]),
        {"user": person.pk, "kind": RepresentativeKind.SUBSTITUTE},
    )
    assert response.status_code == 200
    assert "user" in response.context["form"].errors
    assert NetworkRepresentative.objects.filter(network=network).count() == 1


def test_end_and_remove_representation(admin):
    network = NetworkFactory()
    first = services.network_representative_add(network=network, user=UserFactory(), by=None)
    second = services.network_representative_add(network=network, user=UserFactory(), by=None)

    admin.post(reverse("partners:network_representative_deactivate", args=[network.pk, first.pk]))
    first.refresh_from_db()
    assert not first.is_active

    admin.post(reverse("partners:network_representative_remove", args=[network.pk, second.pk]))
    assert not NetworkRepresentative.objects.filter(pk=second.pk).exists()
    # The removal itself stays in the history.
    assert NetworkRepresentative.history.filter(id=second.pk, history_type="-").exists()


def test_representative_of_another_network_is_404(admin):
    network, other = NetworkFactory(), NetworkFactory()
    representative = services.network_representative_add(network=other, user=UserFactory(), by=None)
    response = admin.post(
        reverse("partners:network_representative_remove", args=[network.pk, representative.pk])
    )
    assert response.status_code == 404
    assert NetworkRepresentative.objects.filter(pk=representative.pk).exists()


def test_deactivating_a_user_ends_their_representations():
    network = NetworkFactory()
    person = UserFactory()
    representative = services.network_representative_add(network=network, user=person, by=None)
    services.user_set_active(user=person, active=False, by=None)
    representative.refresh_from_db()
    assert not representative.is_active


def test_representative_factory_uses_the_persons_own_organisation():
    representative = NetworkRepresentativeFactory(substitute=True)
    assert representative.organisation == representative.user.organisation
    assert representative.kind == RepresentativeKind.SUBSTITUTE
