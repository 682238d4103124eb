"""The covenant page: parties, current term end and notice date; editing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import Covenant, Organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(verified_client, functional_admin):
    return verified_client(functional_admin)


def test_covenant_page_shows_parties_term_end_and_notice_date(admin, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2026, 11, 25))
    response = admin.get(reverse("partners:covenant_detail"))
    assert response.status_code == 200
    assert response.context["term_end"] == datetime.date(2026, 12, 31)
    assert response.context["notice_date"] == datetime.date(2026, 10, 1)
    assert response.context["notice_passed"]
    assert response.context["next_notice_date"] == datetime.date(2027, 10, 1)
    content = response.content.decode()
    for name in ("Mitros", "Lister", "Buurtteamorganisatie Jeugd en Gezin"):
        assert name in content


def test_edit_covenant(admin, functional_admin):
    covenant = Covenant.objects.get()
    parties = list(covenant.parties.values_list("pk", flat=True))
    extra = Organisation.objects.create(name="Buurtbemiddeling", kind="care_provider")
    response = admin.post(
        reverse("partners:covenant_edit", args=[covenant.pk]),
        {
            "title": covenant.title,
            "signed_on": "2015-04-01",
            "starts_on": "2015-04-01",
            "first_term_ends_on": "2017-12-31",
            "renews_tacitly": "on",
            "notice_months": "3",
            "is_active": "on",
            "general_obligations": "- Samenwerken.",
            "parties": [*parties, extra.pk],
        },
    )
    assert response.status_code == 302
    covenant.refresh_from_db()
    assert covenant.first_term_ends_on == datetime.date(2017, 12, 31)
    assert covenant.parties.filter(pk=extra.pk).exists()
    assert covenant.history.first().history_user == functional_admin


def test_first_term_before_start_is_refused_with_input_kept(admin):
    covenant = Covenant.objects.get()
    response = admin.post(
        reverse("partners:covenant_edit", args=[covenant.pk]),
        {
            "title": "Mijn titel",
            "signed_on": "2015-04-01",
            "starts_on": "2015-04-01",
            "first_term_ends_on": "2014-12-31",
            "notice_months": "3",
        },
    )
    assert response.status_code == 200
    assert "first_term_ends_on" in response.context["form"].errors
    assert 'value="Mijn titel"' in response.content.decode()
    covenant.refresh_from_db()
    assert covenant.first_term_ends_on == datetime.date(2015, 12, 31)
