"""Districts in /beheer/."""

import pytest
from django.urls import reverse

from partners.models import District

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(verified_client, functional_admin):
    return verified_client(functional_admin)


def test_list_shows_utrecht_districts_with_their_network(admin):
    content = admin.get(reverse("partners:district_list")).content.decode()
    assert "Vleuten-De Meern" in content
    assert "Netwerk Overvecht" in content


def test_create_edit_deactivate_district(admin, functional_admin):
    response = admin.post(reverse("partners:district_create"), {"name": "Rijnenburg"})
    assert response.status_code == 302
    district = District.objects.get(name="Rijnenburg")

    admin.post(
        reverse("partners:district_edit", args=[district.pk]), {"name": "Rijnenburg-Reijerscop"}
    )
    district.refresh_from_db()
    assert district.name == "Rijnenburg-Reijerscop"

    admin.post(reverse("partners:district_deactivate", args=[district.pk]))
    district.refresh_from_db()
    assert not district.is_active
    assert district.history.first().history_user == functional_admin


def test_duplicate_district_name_is_refused_with_input_kept(admin):
    response = admin.post(reverse("partners:district_create"), {"name": "Overvecht"})
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert 'value="Overvecht"' in response.content.decode()
    assert District.objects.filter(name="Overvecht").count() == 1
