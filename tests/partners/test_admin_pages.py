"""Who may open /beheer/, and what each list page costs in queries."""

import pytest
from django.urls import reverse

from partners.choices import RepresentativeKind, Role
from partners.models import Covenant, NetworkRepresentative
from tests.factories.partners import (
    DistrictFactory,
    NetworkFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def admin_urls():
    covenant = Covenant.objects.get()
    network = NetworkFactory()
    organisation = OrganisationFactory()
    district = DistrictFactory()
    user = UserFactory()
    return [
        reverse("partners:organisation_list"),
        reverse("partners:organisation_create"),
        reverse("partners:organisation_edit", args=[organisation.pk]),
        reverse("partners:user_list"),
        reverse("partners:user_create"),
        reverse("partners:user_edit", args=[user.pk]),
        reverse("partners:network_list"),
        reverse("partners:network_create"),
        reverse("partners:network_detail", args=[network.pk]),
        reverse("partners:network_edit", args=[network.pk]),
        reverse("partners:district_list"),
        reverse("partners:district_create"),
        reverse("partners:district_edit", args=[district.pk]),
        reverse("partners:covenant_detail"),
        reverse("partners:covenant_edit", args=[covenant.pk]),
    ]


def test_functional_admin_opens_every_administration_page(verified_client, functional_admin):
    client = verified_client(functional_admin)
    for url in admin_urls():
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", [Role.PARTNER_REPRESENTATIVE, Role.COORDINATOR, Role.CASEMANAGER])
def test_other_roles_get_403_on_administration_pages(verified_client, role):
    user = UserFactory(roles=[role])
    client = verified_client(user)
    for url in admin_urls():
        assert client.get(url).status_code == 403, url


def test_partner_representative_cannot_post_changes(verified_client, partner_representative):
    organisation = OrganisationFactory(name="Te houden")
    client = verified_client(partner_representative)
    response = client.post(reverse("partners:organisation_deactivate", args=[organisation.pk]))
    assert response.status_code == 403
    organisation.refresh_from_db()
    assert organisation.is_active


def test_coordinator_gets_403_on_beheer(verified_client, coordinator):
    assert verified_client(coordinator).get("/beheer/").status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/beheer/")
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_every_administration_view_declares_its_access_rule():
    from partners import urls

    for pattern in urls.urlpatterns:
        assert pattern.callback.access_rule == "permission:partners.manage_partners", pattern.name


# --- Query counts: the same with 1 and with 50 rows --------------------------------------

MAX_QUERIES = 15  # 14 + the notification bell's unread count


def _make_users(count):
    organisations = [OrganisationFactory() for _ in range(3)]
    for n in range(count):
        UserFactory(organisation=organisations[n % 3], roles=[Role.CASEMANAGER, Role.REFERRER])


def _make_organisations(count):
    for _ in range(count):
        UserFactory(organisation=OrganisationFactory())


def _make_networks(count):
    districts = [DistrictFactory() for _ in range(3)]
    for n in range(count):
        network = NetworkFactory()
        network.districts.add(districts[n % 3])
        NetworkRepresentative.objects.create(
            network=network,
            organisation=OrganisationFactory(name="Mitros"),
            user=UserFactory(organisation=OrganisationFactory(name="Mitros")),
            kind=RepresentativeKind.STANDING,
        )


def _make_districts(count):
    for _ in range(count):
        network = NetworkFactory()
        network.districts.add(DistrictFactory())


def _make_representatives(count, network):
    mitros = OrganisationFactory(name="Mitros")
    for n in range(count):
        NetworkRepresentative.objects.create(
            network=network,
            organisation=mitros,
            user=UserFactory(organisation=mitros),
            kind=RepresentativeKind.SUBSTITUTE if n % 2 else RepresentativeKind.STANDING,
        )


@pytest.mark.parametrize("count", [1, 50])
@pytest.mark.parametrize(
    "url_name, make",
    [
        ("partners:user_list", _make_users),
        ("partners:organisation_list", _make_organisations),
        ("partners:network_list", _make_networks),
        ("partners:district_list", _make_districts),
    ],
)
def test_list_pages_keep_their_query_count(
    verified_client, functional_admin, django_assert_max_num_queries, url_name, make, count
):
    make(count)
    client = verified_client(functional_admin)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse(url_name))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 50])
def test_network_detail_keeps_its_query_count(
    verified_client, functional_admin, django_assert_max_num_queries, count
):
    network = NetworkFactory()
    _make_representatives(count, network)
    client = verified_client(functional_admin)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("partners:network_detail", args=[network.pk]))
    assert response.status_code == 200
    assert len(response.context["representatives"]) == count


@pytest.mark.parametrize("count", [1, 50])
def test_covenant_page_keeps_its_query_count(
    verified_client, functional_admin, django_assert_max_num_queries, count
):
    covenant = Covenant.objects.get()
    covenant.parties.add(*(OrganisationFactory() for _ in range(count)))
    client = verified_client(functional_admin)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(reverse("partners:covenant_detail"))
    assert response.status_code == 200
