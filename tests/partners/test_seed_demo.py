"""manage.py seed_demo: demo accounts for every role, idempotent, refuses without DEBUG."""

import pytest
from django.core.management import CommandError, call_command

from devtools.management.commands import seed_demo
from partners.choices import RepresentativeKind, Role
from partners.models import Network, NetworkRepresentative, User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def accounts_file(tmp_path, monkeypatch):
    target = tmp_path / "demo-accounts.txt"
    monkeypatch.setattr(seed_demo, "ACCOUNTS_FILE", target)
    return target


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """seed_demo also makes demo cases with documents: keep them out of var/media."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


def test_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo")
    assert not User.objects.filter(is_demo=True).exists()


def test_runs_with_debug_on(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert User.objects.filter(is_demo=True).exists()


def test_creates_each_role_with_synthetic_people(accounts_file, capsys):
    call_command("seed_demo", "--force")
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

    output = capsys.readouterr().out
    assert seed_demo.DEMO_PASSWORD in output
    assert "casemanager1@example.org" in output
    written = accounts_file.read_text()
    assert seed_demo.DEMO_PASSWORD in written
    assert str(Role.PARTNER_REPRESENTATIVE.label) in written


def test_every_network_gets_standing_representatives_and_substitutes():
    call_command("seed_demo", "--force")
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


def test_running_twice_changes_nothing():
    call_command("seed_demo", "--force")
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


def test_restores_a_changed_demo_account():
    call_command("seed_demo", "--force")
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


def test_never_touches_a_real_account_with_a_demo_address():
    real = User.objects.create_user("politie@example.org", password="echt-wachtwoord-123")
    with pytest.raises(CommandError, match="not a demo account"):
        call_command("seed_demo", "--force")
    real.refresh_from_db()
    assert real.check_password("echt-wachtwoord-123")


def test_on_call_and_commissioning_departments_are_no_standing_network_members():
    call_command("seed_demo", "--force")
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


def test_every_standing_representative_and_substitute_can_see_the_cases_they_prepare():
    from partners.choices import Role

    call_command("seed_demo", "--force")
    case_roles = {Role.COORDINATOR, Role.CASEMANAGER, Role.PARTNER_REPRESENTATIVE}
    representatives = NetworkRepresentative.objects.filter(is_active=True).select_related("user")
    assert representatives.filter(kind=RepresentativeKind.SUBSTITUTE).exists()
    for representative in representatives:
        roles = set(representative.user.groups.values_list("name", flat=True))
        assert roles & case_roles, representative.user.email
