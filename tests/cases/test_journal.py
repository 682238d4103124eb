"""The journal: who may add, and confidentiality levels on every place an entry shows."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import selectors, services
from cases.choices import Confidentiality, JournalKind
from cases.models import JournalEntry
from partners.models import User
from tests.cases.case_setup import basis_data, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def _entry(world, *, by, text, confidentiality, visible_to=()):
    return services.journal_entry_add(
        case=world.case,
        by=by,
        kind=JournalKind.HOME_VISIT,
        occurred_on=dt.date(2026, 1, 5),
        participants="",
        text=text,
        confidentiality=confidentiality,
        visible_to=list(visible_to),
    )


def _post(client, world, **data):
    user = User.objects.get(pk=client.session["_auth_user_id"])
    payload = {
        "kind": JournalKind.PHONE_CALL,
        "occurred_on": timezone.localdate().isoformat(),
        "participants": "Casemanager, bewoner",
        "text": "Gebeld met bewoner.",
        "confidentiality": Confidentiality.ALL_INVOLVED,
        **basis_data(user),
        **data,
    }
    return client.post(reverse("cases:journal_add", args=[world.case.pk]), payload)


def test_involved_partner_adds_an_entry_with_author_and_organisation(world, verified_client):
    response = _post(verified_client(world.police_rep), world, text="Melding van de wijkagent.")
    assert response.status_code == 302
    entry = JournalEntry.objects.get()
    assert entry.author == world.police_rep
    assert entry.author_organisation == world.politie
    page = verified_client(world.casemanager).get(reverse("cases:detail", args=[world.case.pk]))
    body = page.content.decode()
    assert "Melding van de wijkagent." in body
    assert world.police_rep.get_full_name() in body and "Politie" in body


def test_future_date_is_refused_and_input_kept(world, verified_client):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = _post(
        verified_client(world.casemanager),
        world,
        occurred_on=tomorrow.isoformat(),
        text="Bewaard blijven",
    )
    assert response.status_code == 200
    assert "Bewaard blijven" in response.content.decode()
    assert not JournalEntry.objects.exists()


def test_named_organisations_must_be_involved_and_at_least_one(world, verified_client):
    client = verified_client(world.casemanager)
    response = _post(client, world, confidentiality=Confidentiality.NAMED_ORGANISATIONS)
    assert response.status_code == 200
    response = _post(
        client,
        world,
        confidentiality=Confidentiality.NAMED_ORGANISATIONS,
        visible_to=[world.mitros.pk],  # not involved
    )
    assert response.status_code == 200
    assert not JournalEntry.objects.exists()
    response = _post(
        client,
        world,
        confidentiality=Confidentiality.NAMED_ORGANISATIONS,
        visible_to=[world.ggz.pk],
    )
    assert response.status_code == 302
    assert list(JournalEntry.objects.get().visible_to.all()) == [world.ggz]


def test_service_refuses_uninvolved_named_organisation(world):
    with pytest.raises(ValueError):
        _entry(
            world,
            by=world.casemanager,
            text="x",
            confidentiality=Confidentiality.NAMED_ORGANISATIONS,
            visible_to=[world.mitros],
        )


def test_confidential_entries_never_show_outside_their_level(world, verified_client):
    _entry(world, by=world.casemanager, text="OPEN-VOOR-IEDEREEN", confidentiality="all_involved")
    team_only = _entry(world, by=world.casemanager, text="ALLEEN-TEAM", confidentiality="case_team")
    ggz_only = _entry(
        world,
        by=world.casemanager,
        text="ALLEEN-GGZ",
        confidentiality="named_organisations",
        visible_to=[world.ggz],
    )
    police = verified_client(world.police_rep)
    body = police.get(reverse("cases:detail", args=[world.case.pk])).content.decode()
    assert "OPEN-VOOR-IEDEREEN" in body
    assert "ALLEEN-TEAM" not in body and "ALLEEN-GGZ" not in body
    # The count on the page counts visible entries only.
    assert "(1)" in body and "(3)" not in body
    for entry in (team_only, ggz_only):
        url = reverse("cases:journal_entry", args=[world.case.pk, entry.pk])
        assert police.get(url).status_code == 404
    # Search on the case list does not look into journal texts.
    listing = police.get(reverse("cases:list"), {"q": "ALLEEN-TEAM"}).content.decode()
    assert world.case.number not in listing
    # The selector every export and count uses.
    visible = selectors.journal_for_user(user=world.police_rep, case=world.case)
    assert visible.count() == 1
    ggz = verified_client(world.ggz_rep)
    assert (
        ggz.get(reverse("cases:journal_entry", args=[world.case.pk, ggz_only.pk])).status_code
        == 200
    )
    team_body = (
        verified_client(world.coordinator)
        .get(reverse("cases:detail", args=[world.case.pk]))
        .content.decode()
    )
    assert "ALLEEN-TEAM" in team_body and "ALLEEN-GGZ" in team_body and "(3)" in team_body


def test_journal_entry_of_another_case_is_404(world, verified_client):
    from tests.factories.cases import CaseFactory

    other = CaseFactory(casemanager=world.casemanager)
    entry = _entry(world, by=world.casemanager, text="x", confidentiality="all_involved")
    client = verified_client(world.casemanager)
    assert client.get(reverse("cases:journal_entry", args=[other.pk, entry.pk])).status_code == 404


def test_ended_involvement_withdraws_journal_access_at_once(world, verified_client):
    client = verified_client(world.police_rep)
    url = reverse("cases:journal_add", args=[world.case.pk])
    assert client.get(url).status_code == 200
    services.involvement_end(case=world.case, organisation=world.politie, by=world.coordinator)
    assert client.get(url).status_code == 404
    assert _post(client, world).status_code == 404
    assert not JournalEntry.objects.exists()
