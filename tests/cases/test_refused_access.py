"""Refused access attempts (issue 11): a signed-in user's request for a case they may not see
gets 404 and leaves a trace — who, when, which case id, nothing else — that the privacy
officer sees on the unusual-access page. The same `access_*` function that hands out the case
writes it."""

import pytest
from django.urls import reverse

from audit.models import ReadLogEntry, RefusedAccess
from partners.choices import Role
from tests.cases.case_setup import make_world
from tests.factories.partners import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def test_an_uninvolved_representative_gets_404_and_the_attempt_is_recorded(world, verified_client):
    client = verified_client(world.outsider_rep)
    response = client.get(reverse("cases:detail", args=[world.case.pk]))
    assert response.status_code == 404
    attempt = RefusedAccess.objects.get()
    assert (attempt.user, attempt.case_id) == (world.outsider_rep, world.case.pk)
    assert attempt.at is not None
    # Nothing else: no address, no item, no read-log row.
    fields = {f.name for f in RefusedAccess._meta.concrete_fields}
    assert fields == {"id", "at", "user", "case_id"}
    assert not ReadLogEntry.objects.filter(user=world.outsider_rep).exists()


@pytest.mark.parametrize(
    "name, extra",
    [("cases:history", []), ("cases:edit", []), ("cases:intake", []), ("cases:journal_add", [])],
)
def test_every_case_url_records_the_refusal(world, verified_client, name, extra):
    client = verified_client(world.outsider_rep)
    assert client.get(reverse(name, args=[world.case.pk, *extra])).status_code == 404
    assert list(RefusedAccess.objects.values_list("user", "case_id")) == [
        (world.outsider_rep.pk, world.case.pk)
    ]


def test_probing_for_a_case_that_does_not_exist_is_recorded_with_the_id_asked_for(
    world, verified_client
):
    client = verified_client(world.police_rep)
    missing = world.case.pk + 1000
    assert client.get(reverse("cases:detail", args=[missing])).status_code == 404
    assert RefusedAccess.objects.get().case_id == missing


def test_a_user_who_sees_the_case_leaves_no_refused_attempt(world, verified_client):
    client = verified_client(world.police_rep)
    assert client.get(reverse("cases:detail", args=[world.case.pk])).status_code == 200
    assert not RefusedAccess.objects.exists()


def test_a_403_on_a_section_is_no_refused_attempt(world, verified_client):
    """The police sees the case but may not correct its details: 403, not a probe."""
    client = verified_client(world.police_rep)
    assert client.get(reverse("cases:edit", args=[world.case.pk])).status_code == 403
    assert not RefusedAccess.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in_and_leave_no_row(world, client):
    response = client.get(reverse("cases:detail", args=[world.case.pk]))
    assert response.status_code == 302
    assert not RefusedAccess.objects.exists()


def test_the_privacy_officer_sees_the_refused_attempt_on_the_unusual_access_page(
    world, verified_client
):
    verified_client(world.outsider_rep).get(reverse("cases:detail", args=[world.case.pk]))
    officer = UserFactory(organisation=world.uc, roles=[Role.PRIVACY_OFFICER])
    response = verified_client(officer).get(reverse("privacy_audit:unusual"))
    assert response.status_code == 200
    refusals = response.context["refusals"]
    assert [(r.user, r.case_id) for r in refusals] == [(world.outsider_rep, world.case.pk)]
    body = response.content.decode()
    assert f'<td class="utrecht-table__cell">{world.case.pk}</td>' in body


def test_the_database_row_is_append_only(world, verified_client):
    verified_client(world.outsider_rep).get(reverse("cases:detail", args=[world.case.pk]))
    attempt = RefusedAccess.objects.get()
    with pytest.raises(PermissionError):
        attempt.save()
    with pytest.raises(PermissionError):
        RefusedAccess.objects.all().delete()


@pytest.mark.parametrize("count", [1, 30])
def test_unusual_access_page_query_budget_with_refused_attempts(
    world, verified_client, django_assert_max_num_queries, count
):
    for _ in range(count):
        RefusedAccess.objects.create(user=world.outsider_rep, case_id=world.case.pk)
    officer = UserFactory(organisation=world.uc, roles=[Role.PRIVACY_OFFICER])
    client = verified_client(officer)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("privacy_audit:unusual")).status_code == 200
