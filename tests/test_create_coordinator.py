"""`manage.py create_coordinator`: the first account of an installation."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from partners.choices import Role
from partners.models import User
from tests.factories.partners import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_creates_a_coordinator_without_second_factor_so_enrolment_is_forced():
    from django_otp import devices_for_user

    org = OrganisationFactory(name="Coördinatiepunt Test", short_name="CPT", executing=True)
    out = StringIO()
    call_command(
        "create_coordinator", "--email", "A.Jansen@Example.org", "--organisation", "cpt",
        "--no-input", stdout=out,
    )  # fmt: skip

    user = User.objects.get(email="a.jansen@example.org")
    assert user.organisation == org
    assert user.roles == [Role.COORDINATOR]
    assert not user.is_demo
    assert list(devices_for_user(user, confirmed=None)) == []
    password = out.getvalue().split("Temporary password (shown once): ")[1].split()[0]
    assert user.check_password(password)
    assert len(password) >= 20


def test_functional_admin_role_on_request():
    OrganisationFactory(name="U Centraal", executing=True)
    call_command(
        "create_coordinator", "--email", "b@example.org", "--organisation", "U Centraal",
        "--functional-admin", "--no-input", stdout=StringIO(),
    )  # fmt: skip
    assert User.objects.get(email="b@example.org").roles == [
        Role.COORDINATOR,
        Role.FUNCTIONAL_ADMIN,
    ]


def test_refuses_an_unknown_organisation_and_names_the_known_ones():
    OrganisationFactory(name="U Centraal", executing=True)
    with pytest.raises(CommandError, match="U Centraal"):
        call_command(
            "create_coordinator", "--email", "c@example.org", "--organisation", "Nergens",
            "--no-input", stdout=StringIO(),
        )  # fmt: skip
    assert not User.objects.filter(email="c@example.org").exists()


def test_refuses_an_existing_email_address():
    OrganisationFactory(name="U Centraal", executing=True)
    User.objects.create_user(email="d@example.org")
    with pytest.raises(CommandError, match="already exists"):
        call_command(
            "create_coordinator", "--email", "D@example.org", "--organisation", "U Centraal",
            "--no-input", stdout=StringIO(),
        )  # fmt: skip
