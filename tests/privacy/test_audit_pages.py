"""The privacy officer's access pages: by user, by case, unusual access, CSV exports;
other roles get 403; query counts stay constant; the officer's own look-ups are logged."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from audit import readlog
from audit.models import ReadBasis, ReadLogEntry, ReadWhat
from audit.readlog import Basis
from partners.choices import Role
from privacy.selectors_audit import unusual_access
from tests.cases.case_setup import make_world
from tests.factories.cases import CaseFactory
from tests.factories.partners import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


@pytest.fixture
def officer(world):
    return UserFactory(organisation=world.uc, roles=[Role.PRIVACY_OFFICER])


def _read(user, case, *, basis=ReadBasis.INVOLVED_ORGANISATION, at=None, motivation=""):
    request = RequestFactory().get("/casussen/", REMOTE_ADDR="192.0.2.1")
    request.user = user
    entry = readlog.record(
        request, case_id=case.pk, what=ReadWhat.CASE_PAGE, basis=Basis(basis, motivation)
    )
    if at is not None:  # back-date for the window tests (the trigger allows it only here)
        from django.db import connection

        with readlog._privileged(), connection.cursor() as cursor:
            cursor.execute("UPDATE privacy_readlogentry SET at = %s WHERE id = %s", [at, entry.pk])
    return entry


def _csv(response):
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def test_officer_looks_up_a_case_by_number_and_sees_who_read_it(world, officer, verified_client):
    _read(world.police_rep, world.case)
    client = verified_client(officer)
    response = client.get(reverse("privacy_audit:index"), {"number": world.case.number.lower()})
    assert response.status_code == 302
    html = client.get(response.url).content.decode()
    assert world.police_rep.get_full_name() in html
    assert "Politie" in html
    assert "192.0.2.1" in html


def test_unknown_case_number_gives_an_error_next_to_the_field(officer, verified_client):
    response = verified_client(officer).get(reverse("privacy_audit:index"), {"number": "WO-1"})
    assert response.status_code == 200
    assert "WO-1" in response.content.decode()
    assert response.context["case_form"].errors["number"]


def test_case_csv_streams_every_read_and_neutralises_formulas(world, officer, verified_client):
    _read(world.police_rep, world.case, basis=ReadBasis.EMERGENCY, motivation="=HYPERLINK(1)")
    _read(world.coordinator, world.case, basis=ReadBasis.COORDINATOR)
    response = verified_client(officer).get(
        reverse("privacy_audit:by_case_csv", args=[world.case.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert len(rows) == 1 + 3  # header, the two reads, and the officer's export itself
    assert {row[5] for row in rows[1:]} == {world.case.number}
    assert any("'=HYPERLINK(1)" in row for row in rows[1:])
    # The export itself is a read-log row of the officer.
    assert ReadLogEntry.objects.filter(
        user=officer, what=ReadWhat.EXPORT, basis=ReadBasis.PRIVACY_AUDIT
    ).exists()


def test_user_page_and_csv(world, officer, verified_client):
    _read(world.police_rep, world.case)
    client = verified_client(officer)
    html = client.get(reverse("privacy_audit:by_user", args=[world.police_rep.pk])).content
    assert world.case.number in html.decode()
    rows = _csv(client.get(reverse("privacy_audit:by_user_csv", args=[world.police_rep.pk])))
    assert [r[5] for r in rows[1:] if r[1] == world.police_rep.get_full_name()] == [
        world.case.number
    ]


@pytest.mark.parametrize("who", ["coordinator", "casemanager", "police_rep", "referrer"])
def test_other_roles_get_403(world, verified_client, who):
    client = verified_client(getattr(world, who))
    for url in (
        reverse("privacy_audit:index"),
        reverse("privacy_audit:by_case", args=[world.case.pk]),
        reverse("privacy_audit:by_case_csv", args=[world.case.pk]),
        reverse("privacy_audit:unusual"),
    ):
        assert client.get(url).status_code == 403


def test_unusual_access_finds_many_cases_outside_own_team_in_a_short_time(world, settings):
    settings.UNUSUAL_ACCESS_CASES = 3
    settings.UNUSUAL_ACCESS_MINUTES = 10
    now = timezone.now()
    cases = [CaseFactory() for _ in range(5)]
    # The police representative opens 4 cases in 8 minutes: unusual.
    for i, case in enumerate(cases[:4]):
        _read(world.police_rep, case, at=now - dt.timedelta(minutes=8 - 2 * i))
    # The GGZ representative opens 4 cases spread over hours: not unusual.
    for i, case in enumerate(cases[:4]):
        _read(world.ggz_rep, case, at=now - dt.timedelta(hours=i))
    # The coordinator opens all 5 at once: their own work.
    for case in cases:
        _read(world.coordinator, case, basis=ReadBasis.COORDINATOR)
    found = unusual_access(since=now - dt.timedelta(days=1))
    assert [(row.user, row.peak_cases) for row in found] == [(world.police_rep, 4)]


@pytest.mark.parametrize("count", [1, 50])
def test_access_pages_keep_their_query_count(
    world, officer, verified_client, django_assert_max_num_queries, count
):
    org = OrganisationFactory(name="Extra")
    for i in range(count):
        user = UserFactory(organisation=org, roles=[Role.PARTNER_REPRESENTATIVE])
        _read(user, CaseFactory(), basis=ReadBasis.EMERGENCY, motivation=f"Nood {i}")
        _read(user, world.case)
    client = verified_client(officer)
    for url in (
        reverse("privacy_audit:by_case", args=[world.case.pk]),
        reverse("privacy_audit:by_user", args=[world.police_rep.pk]),
        reverse("privacy_audit:unusual"),
    ):
        client.get(url)
        with django_assert_max_num_queries(16):
            assert client.get(url).status_code == 200
