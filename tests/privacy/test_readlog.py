"""The read log: one insert per read, append-only in the application and in the database,
and the two redaction functions retention and erasure use."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory

from audit import readlog
from audit.models import ReadBasis, ReadLogEntry, ReadWhat
from audit.readlog import Basis
from partners.choices import Role
from tests.cases.case_setup import make_world
from tests.factories.cases import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world()


def _request(user, *, remote="10.0.0.7", forwarded=""):
    request = RequestFactory().get("/casussen/1/", REMOTE_ADDR=remote)
    if forwarded:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    request.user = user
    return request


def _entry(world, **extra):
    request = _request(world.police_rep)
    return readlog.record(
        request,
        case_id=world.case.pk,
        what=ReadWhat.CASE_PAGE,
        basis=Basis(ReadBasis.INVOLVED_ORGANISATION),
        **extra,
    )


def test_record_is_one_insert_and_keeps_who_whose_what_where_why(world, django_assert_num_queries):
    request = _request(world.police_rep)
    from partners import access

    access.roles_of(world.police_rep)  # the view's access check has cached the roles
    person = world.case.persons.get()
    with django_assert_num_queries(1) as captured:
        entry = readlog.record(
            request,
            case_id=world.case.pk,
            what=ReadWhat.CASE_PAGE,
            basis=Basis(ReadBasis.INVOLVED_ORGANISATION),
            person_ids=[person.pk],
        )
    assert captured.captured_queries[0]["sql"].startswith("INSERT")
    entry = ReadLogEntry.objects.get(pk=entry.pk)
    assert entry.user == world.police_rep
    assert entry.organisation == world.politie
    assert entry.roles == [Role.PARTNER_REPRESENTATIVE.value]
    assert entry.case == world.case
    assert entry.person_ids == [person.pk]
    assert entry.ip_address == "10.0.0.7"
    assert entry.basis == ReadBasis.INVOLVED_ORGANISATION
    assert entry.at.utcoffset().total_seconds() == 0


def test_client_address_comes_from_the_trusted_proxy_only(settings, world):
    spoofed = "203.0.113.9, 198.51.100.4"
    settings.TRUSTED_PROXY_COUNT = 0
    assert readlog.client_ip(_request(world.coordinator, forwarded=spoofed)) == "10.0.0.7"
    settings.TRUSTED_PROXY_COUNT = 1
    assert readlog.client_ip(_request(world.coordinator, forwarded=spoofed)) == "198.51.100.4"
    settings.TRUSTED_PROXY_COUNT = 1
    assert readlog.client_ip(_request(world.coordinator, forwarded="not an address")) is None


def test_the_application_has_no_update_or_delete_path(world):
    entry = _entry(world)
    with pytest.raises(PermissionError):
        entry.save()
    with pytest.raises(PermissionError):
        entry.delete()
    with pytest.raises(PermissionError):
        ReadLogEntry.objects.filter(pk=entry.pk).update(basis=ReadBasis.COORDINATOR)
    with pytest.raises(PermissionError):
        ReadLogEntry.objects.filter(pk=entry.pk).delete()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE privacy_readlogentry SET basis = 'coordinator' WHERE id = %s",
        "DELETE FROM privacy_readlogentry WHERE id = %s",
    ],
)
def test_the_database_refuses_update_and_delete_of_read_log_rows(world, sql):
    entry = _entry(world)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [entry.pk])
    assert ReadLogEntry.objects.get(pk=entry.pk).basis == ReadBasis.INVOLVED_ORGANISATION


def test_the_redaction_setting_does_not_outlive_its_transaction(world):
    person = world.case.persons.get()
    entry = _entry(world, person_ids=[person.pk])
    readlog.redact_for_person(person_id=person.pk)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM privacy_readlogentry WHERE id = %s", [entry.pk])


def test_redact_for_person_removes_only_that_person_and_keeps_who_read(world):
    person = world.case.persons.get()
    other = PersonFactory(case=world.case, last_name="Jansen")
    entry = _entry(world, person_ids=[person.pk, other.pk])
    untouched = _entry(world, person_ids=[other.pk])
    assert readlog.redact_for_person(person_id=person.pk) == 1
    entry = ReadLogEntry.objects.get(pk=entry.pk)
    assert entry.person_ids == [other.pk]
    assert entry.redacted_at is not None
    assert entry.user == world.police_rep and entry.basis == ReadBasis.INVOLVED_ORGANISATION
    assert ReadLogEntry.objects.get(pk=untouched.pk).redacted_at is None
    assert not readlog.entries_for_person(person_id=person.pk, case_id=person.case_id).filter(
        person_ids__contains=[person.pk]
    )


def test_redact_for_case_empties_the_detail_and_can_let_go_of_the_case(world):
    person = world.case.persons.get()
    entry = _entry(world, person_ids=[person.pk], object_id=5)
    assert readlog.redact_for_case(case_id=world.case.pk) == 1
    entry = ReadLogEntry.objects.get(pk=entry.pk)
    assert (entry.person_ids, entry.object_id, entry.path) == ([], None, "")
    assert entry.case_id == world.case.pk
    readlog.redact_for_case(case_id=world.case.pk, detach=True)
    assert ReadLogEntry.objects.get(pk=entry.pk).case_id is None


def test_entries_for_person_finds_case_pages_and_person_specific_reads(world):
    person = world.case.persons.get()
    page = _entry(world)
    named = readlog.record(
        _request(world.coordinator),
        case_id=world.case.pk,
        what=ReadWhat.REFERRAL,
        basis=Basis(ReadBasis.COORDINATOR),
        person_ids=[person.pk],
    )
    assert {
        e.pk for e in readlog.entries_for_person(person_id=person.pk, case_id=person.case_id)
    } == {page.pk, named.pk}


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_one_statement_insert_keeps_every_field():
    from tests.factories.cases import CaseFactory
    from tests.factories.partners import OrganisationFactory, UserFactory

    org = OrganisationFactory(name="Politie", police=True)
    user = UserFactory(organisation=org, roles=[Role.PARTNER_REPRESENTATIVE])
    case = CaseFactory()
    request = _request(user, remote="2001:db8::1")
    request.session = type("S", (), {"session_key": "abc"})()
    assert not connection.in_atomic_block
    entry = readlog.record(
        request,
        case_id=case.pk,
        what=ReadWhat.DOCUMENT,
        basis=Basis(ReadBasis.EMERGENCY, "Acute dreiging"),
        person_ids=[7, 8],
        object_id=12,
    )
    stored = ReadLogEntry.objects.get(pk=entry.pk)
    assert (stored.user_id, stored.organisation_id, stored.case_id) == (user.pk, org.pk, case.pk)
    assert stored.roles == [Role.PARTNER_REPRESENTATIVE.value]
    assert stored.person_ids == [7, 8] and stored.object_id == 12
    assert (stored.what, stored.basis) == (ReadWhat.DOCUMENT, ReadBasis.EMERGENCY)
    assert stored.ip_address == "2001:db8::1" and stored.session_hash == entry.session_hash
    assert stored.motivation == "Acute dreiging" and stored.at == entry.at
    assert stored.path == "/casussen/1/"


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_empty_lists_and_no_address_are_stored():
    from tests.factories.partners import UserFactory

    user = UserFactory(roles=[])
    request = _request(user)
    request.META.pop("REMOTE_ADDR")
    entry = readlog.record(request, what=ReadWhat.ACCESS_LOG, basis=Basis(ReadBasis.PRIVACY_AUDIT))
    stored = ReadLogEntry.objects.get(pk=entry.pk)
    assert (stored.roles, stored.person_ids, stored.case_id, stored.ip_address) == (
        [],
        [],
        None,
        None,
    )
