"""Every path that creates a user or changes their organisation puts them in that
organisation's group at once, so a case their organisation is involved in opens for them
(involvement grants go to the group: cases/access.py)."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from cases import access
from cases import services as case_services
from partners import access as partners_access
from partners import services
from partners.choices import Role
from partners.models import Organisation, User
from tests.factories.cases import CaseFactory
from tests.factories.partners import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _organisation_groups(user):
    return sorted(
        user.groups.filter(name__startswith="organisation:").values_list("name", flat=True)
    )


@pytest.fixture
def mitros_case(coordinator):
    mitros = Organisation.objects.get(name="Mitros")
    case = CaseFactory(corporation=mitros)
    case_services.involvement_add(case=case, organisation=mitros, by=coordinator)
    return case


def test_user_created_in_the_administration_opens_a_case_of_their_organisation(
    verified_client, functional_admin, mitros_case, client
):
    admin = verified_client(functional_admin)
    mitros = Organisation.objects.get(name="Mitros")
    response = admin.post(
        reverse("partners:user_create"),
        {
            "first_name": "Noor",
            "last_name": "Bakker",
            "email": "noor.bakker@example.org",
            "organisation": mitros.pk,
            "job_title": "",
            "phone": "",
            "roles": [Role.PARTNER_REPRESENTATIVE],
        },
    )
    assert response.status_code == 302
    noor = User.objects.get(email="noor.bakker@example.org")
    assert _organisation_groups(noor) == [partners_access.organisation_group_name(mitros.pk)]

    client.logout()
    as_noor = verified_client(noor)
    assert as_noor.get(reverse("cases:detail", args=[mitros_case.pk])).status_code == 200


def test_moving_a_user_to_another_organisation_moves_their_case_access(
    verified_client, functional_admin, mitros_case
):
    mitros = Organisation.objects.get(name="Mitros")
    portaal = Organisation.objects.get(name="Portaal")
    rep = services.user_create(
        email="wim@example.org",
        first_name="Wim",
        last_name="Kok",
        organisation=mitros,
        roles=[Role.PARTNER_REPRESENTATIVE],
        by=functional_admin,
    )
    assert mitros_case in access.visible_cases(User.objects.get(pk=rep.pk))

    admin = verified_client(functional_admin)
    response = admin.post(
        reverse("partners:user_edit", args=[rep.pk]),
        {
            "first_name": "Wim",
            "last_name": "Kok",
            "email": "wim@example.org",
            "organisation": portaal.pk,
            "job_title": "",
            "phone": "",
            "roles": [Role.PARTNER_REPRESENTATIVE],
        },
    )
    assert response.status_code == 302
    rep = User.objects.get(pk=rep.pk)
    assert _organisation_groups(rep) == [partners_access.organisation_group_name(portaal.pk)]
    assert mitros_case not in access.visible_cases(rep)


def test_changing_roles_keeps_the_organisation_group(functional_admin):
    politie = Organisation.objects.get(name="Politie")
    user = services.user_create(
        email="agent@example.org",
        first_name="A",
        last_name="Gent",
        organisation=politie,
        roles=[Role.REFERRER],
        by=functional_admin,
    )
    services.user_set_roles(user=user, roles=[Role.PARTNER_REPRESENTATIVE], by=functional_admin)
    assert _organisation_groups(user) == [partners_access.organisation_group_name(politie.pk)]
    assert partners_access.roles_of(User.objects.get(pk=user.pk)) == {Role.PARTNER_REPRESENTATIVE}


def test_update_without_roles_still_follows_the_organisation(functional_admin):
    one, other = OrganisationFactory(name="Een"), OrganisationFactory(name="Ander")
    user = UserFactory(organisation=one, roles=[Role.PARTNER_REPRESENTATIVE])
    services.user_update(
        user=user,
        email=user.email,
        first_name=user.first_name,
        last_name=user.last_name,
        organisation=other,
        job_title="",
        phone="",
        by=functional_admin,
    )
    assert _organisation_groups(user) == [partners_access.organisation_group_name(other.pk)]


def test_create_coordinator_puts_the_account_in_its_organisation_group():
    uc = Organisation.objects.get(name="U Centraal")
    call_command(
        "create_coordinator", "--email", "eerste@example.org", "--organisation", "U Centraal",
        "--no-input", stdout=StringIO(),
    )  # fmt: skip
    user = User.objects.get(email="eerste@example.org")
    assert _organisation_groups(user) == [partners_access.organisation_group_name(uc.pk)]


def test_the_backfill_migration_repairs_existing_users():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("partners.migrations.0004_users_in_their_organisation_group")
    one, other = OrganisationFactory(name="Een"), OrganisationFactory(name="Ander")
    missing = UserFactory(organisation=one, roles=[Role.PARTNER_REPRESENTATIVE])
    stale = UserFactory(organisation=other, roles=[Role.PARTNER_REPRESENTATIVE])
    stale.groups.add(partners_access.organisation_group(one))
    migration.backfill(apps, None)
    assert _organisation_groups(missing) == [partners_access.organisation_group_name(one.pk)]
    assert _organisation_groups(stale) == [partners_access.organisation_group_name(other.pk)]
    assert partners_access.roles_of(User.objects.get(pk=missing.pk)) == {
        Role.PARTNER_REPRESENTATIVE
    }
