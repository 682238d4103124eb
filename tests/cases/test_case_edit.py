"""Case-team corrections of address and housing, with optimistic locking."""

import pytest
from django.urls import reverse

from cases import keys
from cases.choices import HousingType
from cases.models import Case
from tests.cases.case_setup import make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def _data(case, **changes):
    data = {
        "postcode": "3511 AB",
        "house_number": "12",
        "house_number_addition": "",
        "street": "Oudegracht",
        "city": "Utrecht",
        "district": "",
        "network": case.network_id or "",
        "housing_type": HousingType.PRIVATE_RENTAL,
        "corporation": "",
        "version": case.version,
    }
    data.update(changes)
    return data


def test_casemanager_corrects_the_address(world, verified_client):
    client = verified_client(world.casemanager)
    url = reverse("cases:edit", args=[world.case.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _data(world.case, house_number="14", postcode="3511ab"))
    assert response.status_code == 302
    case = Case.objects.get(pk=world.case.pk)
    assert (case.house_number, case.postcode, case.version) == (14, "3511AB", 2)
    assert case.address_key == keys.address_key("3511AB", 14, "")


def test_second_saver_is_told_and_loses_nothing(world, verified_client):
    url = reverse("cases:edit", args=[world.case.pk])
    loaded = world.case.version
    first = verified_client(world.coordinator).post(
        url, _data(world.case, street="Eerste Straat", version=loaded)
    )
    assert first.status_code == 302
    second_client = verified_client(world.casemanager)
    second = second_client.post(url, _data(world.case, street="Tweede Straat", version=loaded))
    assert second.status_code == 200
    body = second.content.decode()
    assert "Tweede Straat" in body  # everything typed is kept
    assert second.context["form"].non_field_errors()
    assert Case.objects.get(pk=world.case.pk).street == "Eerste Straat"
    # The form now carries the current version: saving again (consciously) works.
    again = second.context["form"].data.copy()
    assert int(again["version"]) == loaded + 1
    assert second_client.post(url, again).status_code == 302
    assert Case.objects.get(pk=world.case.pk).street == "Tweede Straat"


def test_partner_may_not_edit_and_outsider_gets_404(world, verified_client):
    url = reverse("cases:edit", args=[world.case.pk])
    assert verified_client(world.police_rep).post(url, _data(world.case)).status_code == 403
    assert verified_client(world.outsider_rep).get(url).status_code == 404
    assert Case.objects.get(pk=world.case.pk).version == world.case.version


@pytest.mark.parametrize(
    "changes",
    [
        {"postcode": "12345"},
        {"postcode": "\x00"},
        {"street": "a\x00b"},
        {"house_number": "-3"},
        {"house_number": "9" * 30},
        {"corporation": "999999"},
        {"version": ""},
        {"version": "abc"},
        {"housing_type": "<script>"},
    ],
)
def test_bad_input_is_refused_without_saving(world, verified_client, changes):
    url = reverse("cases:edit", args=[world.case.pk])
    response = verified_client(world.casemanager).post(url, _data(world.case, **changes))
    assert response.status_code == 200
    assert Case.objects.get(pk=world.case.pk).version == world.case.version
