"""manage.py seed_demo: demo accounts for every role, networks with their representatives,
and idempotent. The seed runs once for the module (tests/demo_seed.py): each test reads it, or
changes it in its own savepoint and seeds again; the module stays on one xdist worker."""

import pytest
from django.core.management import call_command

from devtools.management.commands import seed_demo
from partners.choices import RepresentativeKind, Role
from partners.models import Network, NetworkRepresentative, User
from tests.demo_seed import demo_seeded_once

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("seed-demo")]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    with demo_seeded_once(
        django_db_blocker, tmp_path_factory.mktemp("seed-demo"), run_on_commit=False
    ) as seeded:
        yield seeded


@pytest.fixture(autouse=True)
def accounts_file(tmp_path, monkeypatch):
    """A test that seeds again writes its accounts list here."""
    target = tmp_path / "demo-accounts.txt"
    monkeypatch.setattr(seed_demo, "ACCOUNTS_FILE", target)
    return target


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """A test that seeds again keeps the demo documents out of var/media."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def test_creates_each_role_with_synthetic_people(seeded):
    demo = (
        User.objects.filter(is_demo=True).select_related("organisation").prefetch_related("groups")
    )
    assert demo.count() == len(seed_demo.DEMO_ACCOUNTS)
    assert all(u.email.endswith("@example.org") for u in demo)
    assert all(u.check_password(seed_demo.DEMO_PASSWORD) for u in demo)
    assert all(u.first_name and u.last_name for u in demo)

    by_email = {u.email: u for u in demo}
    assert {role for u in demo for role in u.roles} == set(Role)
    assert by_email["coordinator@example.org"].roles == [Role.COORDINATOR]
    assert by_email["coordinator@example.org"].organisation.name == "U Centraal"
    assert [u.organisation.name for u in demo if Role.CASEMANAGER in u.roles] == ["U Centraal"] * 3
    assert by_email["politie@example.org"].roles == [Role.PARTNER_REPRESENTATIVE]
    referrers = {u.organisation.name for u in demo if Role.REFERRER in u.roles}
    assert referrers == {"Mitros", "Portaal", "Politie"}
    assert by_email["manager@example.org"].organisation.name.endswith("Openbare Orde en Veiligheid")
    admin = by_email["beheerder@example.org"]
    assert admin.roles == [Role.FUNCTIONAL_ADMIN]
    assert admin.has_perm("partners.manage_partners")

    assert seed_demo.DEMO_PASSWORD in seeded.output
    assert "casemanager1@example.org" in seeded.output
    written = seeded.accounts_file.read_text()
    assert seed_demo.DEMO_PASSWORD in written
    assert str(Role.PARTNER_REPRESENTATIVE.label) in written


def test_every_network_gets_standing_representatives_and_substitutes(seeded):
    for network in Network.objects.filter(is_active=True):
        representatives = NetworkRepresentative.objects.filter(network=network, is_active=True)
        standing = representatives.filter(kind=RepresentativeKind.STANDING)
        substitutes = representatives.filter(kind=RepresentativeKind.SUBSTITUTE)
        assert standing.filter(organisation__name="Politie").exists()
        assert standing.filter(
            organisation__name="U Centraal", user__email__startswith="casemanager"
        ).exists()
        assert substitutes.filter(organisation__name="U Centraal").exists()
        assert all(r.organisation_id == r.user.organisation_id for r in representatives)


def test_running_twice_changes_nothing(seeded):
    before = {
        u.email: (u.first_name, u.last_name, u.organisation_id, tuple(u.roles))
        for u in User.objects.filter(is_demo=True).prefetch_related("groups")
    }
    representatives = NetworkRepresentative.objects.count()

    call_command("seed_demo", "--force")
    after = {
        u.email: (u.first_name, u.last_name, u.organisation_id, tuple(u.roles))
        for u in User.objects.filter(is_demo=True).prefetch_related("groups")
    }
    assert after == before
    assert NetworkRepresentative.objects.count() == representatives


def test_restores_a_changed_demo_account(seeded):
    user = User.objects.get(email="politie@example.org")
    user.set_password("iets-anders-123456")
    user.is_active = False
    user.save()
    user.groups.clear()

    call_command("seed_demo", "--force")
    user = User.objects.get(email="politie@example.org")
    assert user.is_active
    assert user.check_password(seed_demo.DEMO_PASSWORD)
    assert user.roles == [Role.PARTNER_REPRESENTATIVE]


def test_on_call_and_commissioning_departments_are_no_standing_network_members(seeded):
    standing = NetworkRepresentative.objects.filter(
        is_active=True, kind=RepresentativeKind.STANDING
    )
    assert standing.exists()
    assert not standing.filter(
        organisation__name__in=[
            "Victas",
            "Gemeente Utrecht – Openbare Orde en Veiligheid",
            "Gemeente Utrecht – Maatschappelijke Ontwikkeling",
        ]
    ).exists()


def test_every_standing_representative_and_substitute_can_see_the_cases_they_prepare(seeded):
    case_roles = {Role.COORDINATOR, Role.CASEMANAGER, Role.PARTNER_REPRESENTATIVE}
    representatives = NetworkRepresentative.objects.filter(is_active=True).select_related("user")
    assert representatives.filter(kind=RepresentativeKind.SUBSTITUTE).exists()
    for representative in representatives:
        roles = set(representative.user.groups.values_list("name", flat=True))
        assert roles & case_roles, representative.user.email
