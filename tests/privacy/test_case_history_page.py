"""The case's change history: field-level diffs with who and when, the items' own
visibility rules, and a constant number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from audit.models import ReadLogEntry, ReadWhat
from cases import services
from cases.choices import Confidentiality, JournalKind
from cases.models import Case
from tests.cases.case_setup import make_world
from tests.factories.cases import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def _url(world, **query):
    url = reverse("cases:history", args=[world.case.pk])
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return url


def _entry(world, text, confidentiality, visible_to=()):
    return services.journal_entry_add(
        case=world.case,
        by=world.casemanager,
        kind=JournalKind.HOME_VISIT,
        occurred_on=dt.date(2026, 1, 5),
        participants="",
        text=text,
        confidentiality=confidentiality,
        visible_to=list(visible_to),
    )


def test_field_diff_names_old_and_new_value_and_who(world, verified_client):
    case = Case.objects.get(pk=world.case.pk)
    services.case_details_update(
        case=case, by=world.casemanager, version=case.version, data={"street": "Biltstraat"}
    )
    html = verified_client(world.coordinator).get(_url(world)).content.decode()
    assert "Oudegracht → Biltstraat" in html
    assert world.casemanager.get_full_name() in html


def test_system_actor_is_shown_for_task_changes(world, verified_client):
    from privacy.history import system_actor

    person = world.case.persons.get()
    with system_actor("task cases.retention"):
        person.phone = "0612345678"
        person.save()
    html = verified_client(world.coordinator).get(_url(world, soort="person")).content.decode()
    assert "Systeem (taak)" in html and "task cases.retention" in html
    assert "0612345678" in html


def test_confidential_journal_history_stays_with_its_readers(world, verified_client):
    _entry(world, "Gedeeld met iedereen", Confidentiality.ALL_INVOLVED)
    _entry(world, "Alleen voor het team", Confidentiality.CASE_TEAM)
    partner = verified_client(world.police_rep).get(_url(world)).content.decode()
    assert "Gedeeld met iedereen" in partner
    assert "Alleen voor het team" not in partner
    team = verified_client(world.casemanager).get(_url(world)).content.decode()
    assert "Alleen voor het team" in team


def test_screening_and_intake_history_only_for_who_may_see_them(world, verified_client):
    screening = services.screening_request(case=world.case, by=world.coordinator)
    services.screening_record(
        screening=screening,
        by=world.police_rep,
        risk_level="high",
        safety_advice="Alleen met z'n tweeën",
        details="Geheime details",
    )
    services.kris_record(
        case=world.case,
        by=world.coordinator,
        result="unknown",
        target_group_outcome="Geen OGGZ",
    )
    ggz = verified_client(world.ggz_rep).get(_url(world)).content.decode()
    assert "Geheime details" not in ggz and "Geen OGGZ" not in ggz
    police = verified_client(world.police_rep).get(_url(world)).content.decode()
    assert "Geheime details" in police and "Geen OGGZ" not in police
    team = verified_client(world.coordinator).get(_url(world)).content.decode()
    assert "Geheime details" in team and "Geen OGGZ" in team


def test_outsider_gets_404_and_the_page_is_logged_for_readers(world, verified_client):
    assert verified_client(world.outsider_rep).get(_url(world)).status_code == 404
    assert not ReadLogEntry.objects.exists()
    assert verified_client(world.police_rep).get(_url(world)).status_code == 200
    assert ReadLogEntry.objects.get().what == ReadWhat.HISTORY


@pytest.mark.parametrize("count", [1, 50])
def test_history_page_query_count_is_constant(
    world, verified_client, django_assert_max_num_queries, count
):
    for i in range(count):
        person = PersonFactory(case=world.case, last_name=f"Persoon {i}")
        person.phone = f"06{i:08d}"
        person.save()
        _entry(world, f"Notitie {i}", Confidentiality.ALL_INVOLVED)
        # Named organisations: a second history row per entry (the m2m change).
        _entry(world, f"Politie {i}", Confidentiality.NAMED_ORGANISATIONS, [world.politie])
    client = verified_client(world.police_rep)
    client.get(_url(world))
    # 25: one of them asks whether the case team shared the referral's details with the
    # user's organisation (what the history may show, as the case page).
    with django_assert_max_num_queries(25):
        response = client.get(_url(world))
    assert response.status_code == 200


def test_one_item_history_from_the_journal_entry_page(world, verified_client):
    first = _entry(world, "Eerste notitie", Confidentiality.ALL_INVOLVED)
    _entry(world, "Tweede notitie", Confidentiality.ALL_INVOLVED)
    client = verified_client(world.police_rep)
    page = client.get(reverse("cases:journal_entry", args=[world.case.pk, first.pk]))
    link = f"{_url(world)}?item=journal:{first.pk}"
    assert link in page.content.decode()
    html = client.get(link).content.decode()
    assert "Eerste notitie" in html and "Tweede notitie" not in html
