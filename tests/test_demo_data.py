"""The demo data (manage.py seed_demo, devtools/demo.py): accounts for every role with
synthetic people, networks with their representatives, demo cases every role sees something
of, made through the services, idempotent.

The demo data is seeded once for this module, with DEBUG on and without --force (as a
developer runs it), inside a transaction that is rolled back when the module is done; each
test runs in its own savepoint on top of it (as a plain db test does), so a test's changes
never reach the next one. The module stays on one xdist worker (`xdist_group`), so the seed
runs once per session."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases import access, selectors, selectors_referral
from cases.choices import CaseStatus
from cases.models import Case, Document, JournalEntry, Person
from deadlines import kinds as deadline_kinds
from deadlines.models import Deadline
from devtools import demo
from devtools.management.commands import seed_demo
from notifications.models import Notification
from partners import access as partners_access
from partners.choices import RepresentativeKind, Role
from partners.models import Network, NetworkRepresentative, User
from tests.demo_seed import demo_seeded_once

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo-data")]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data, seeded once for the module (tests/demo_seed.py). E-mail of the seed's
    notifications runs inline (only the notification rows matter here)."""
    folder = tmp_path_factory.mktemp("demo")
    with demo_seeded_once(django_db_blocker, folder, run_on_commit=True, debug=True) as seeded:
        yield seeded


def _user(email):
    return User.objects.get(email=email)


def _demo_cases():
    return Case.objects.filter(created_by__is_demo=True)


def test_seed_makes_every_scenario(seeded):
    # How long the seed takes is not asserted here: under the parallel suite it took from
    # 8 s (alone) to 21 s on two loaded cores; timings belong in benchmark runs.
    assert _demo_cases().count() == len(demo.SCENARIOS)
    statuses = set(_demo_cases().values_list("status", flat=True))
    assert statuses == {
        CaseStatus.DRAFT,
        CaseStatus.REFERRED,
        CaseStatus.INTAKE,
        CaseStatus.ACCEPTED,
        CaseStatus.REDIRECTED,
        CaseStatus.CLOSED,
    }
    assert _demo_cases().values("network").distinct().count() >= 8


def test_running_twice_changes_nothing(seeded):
    def state():
        accounts = {
            u.email: (u.first_name, u.last_name, u.organisation_id, tuple(u.roles))
            for u in User.objects.filter(is_demo=True).prefetch_related("groups")
        }
        counts = (
            _demo_cases().count(),
            Person.objects.count(),
            JournalEntry.objects.count(),
            Document.objects.count(),
            Deadline.objects.count(),
            NetworkRepresentative.objects.count(),
        )
        return accounts, counts

    before = state()
    call_command("seed_demo", "--force", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo_cases", "--force", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert state() == before


def test_coordinator_sees_every_submitted_demo_case(seeded):
    listed = set(selectors.case_list_for_user(user=_user("coordinator@example.org")))
    submitted = set(_demo_cases().exclude(status=CaseStatus.DRAFT))
    assert listed >= submitted
    assert len(submitted) == len(demo.SCENARIOS) - 1  # one draft, not a case yet


def test_mitros_sees_its_consent_request_and_only_its_cases(seeded):
    mitros = _user("mitros@example.org")
    inbox = list(selectors.consent_requests_for_inbox(user=mitros))
    assert any(r.decision == "" for r in inbox)
    assert Notification.objects.filter(recipient=mitros, key__startswith="consent:").exists()
    visible = set(access.visible_cases(mitros))
    involved = set(
        Case.objects.filter(
            involvements__organisation=mitros.organisation, involvements__is_active=True
        ).exclude(status=CaseStatus.DRAFT)
    )
    assert visible == involved
    assert visible  # something to see
    assert len(visible) < _demo_cases().count()


def test_police_has_an_open_screening_request(seeded):
    police = _user("politie@example.org")
    assert any(s.risk_level == "" for s in selectors.screening_requests_for_inbox(user=police))


def test_referrer_sees_its_referrals_with_statuses(seeded):
    referrer = _user("melder.mitros@example.org")
    statuses = {
        selectors_referral.referral_status(r.case)
        for r in selectors_referral.my_referrals(user=referrer)
    }
    assert {CaseStatus.DRAFT, CaseStatus.REFERRED, CaseStatus.INTAKE} <= statuses
    assert statuses & {CaseStatus.ACCEPTED, CaseStatus.INVESTIGATION, CaseStatus.EXECUTION}


def test_an_intake_deadline_is_overdue(seeded):
    today = timezone.localdate()
    overdue = Deadline.objects.open().filter(kind=deadline_kinds.INTAKE, due_on__lt=today)
    assert overdue.count() == 1
    case = overdue.get().case
    assert case in selectors.intake_overdue(today=today)


def test_repeat_referral_is_marked_and_urgent_and_accepted_cases_have_content(seeded):
    assert _demo_cases().filter(is_repeat_referral=True, status=CaseStatus.REFERRED).count() == 1
    assert _demo_cases().filter(referrals__is_urgent=True).exists()
    full = _demo_cases().filter(documents__isnull=False).distinct()
    assert full.count() == 2
    for case in full:
        levels = set(case.journal_entries.values_list("confidentiality", flat=True))
        assert levels == {"all_involved", "case_team", "named_organisations"}
        assert case.involvements.filter(is_active=True).count() >= 3
        document = case.documents.get()
        assert document.file.read(5) == b"%PDF-"


def test_each_casemanager_has_cases(seeded):
    for number in (1, 2, 3):
        user = _user(f"casemanager{number}@example.org")
        assert selectors.case_list_for_user(user=user).exists()


def test_no_demo_person_has_an_account_holders_name(seeded):
    accounts = {(u.first_name, u.last_name) for u in User.objects.all()}
    persons = {(p.first_name, p.last_name) for p in Person.objects.all()}
    assert persons
    assert not persons & accounts


def test_the_demo_has_early_signals_in_every_state(seeded):
    from early_signals.choices import SignalStatus
    from early_signals.models import Signal

    signals = list(Signal.objects.filter(signalled_by__is_demo=True))
    by_status = {status: [s for s in signals if s.status == status] for status in SignalStatus}
    assert by_status[SignalStatus.OPEN]
    closed = by_status[SignalStatus.CLOSED]
    assert closed and all(s.outcome and s.closed_at for s in closed)
    (in_case,) = by_status[SignalStatus.IN_CASE]
    assert in_case.case.status == CaseStatus.INTAKE
    assert in_case.case.postcode == in_case.postcode
    linked = [s for s in signals if s.linked_to_id]
    assert linked
    pair = [s for s in signals if s.group_id == linked[0].linked_to_id]
    assert len(pair) == 2 and len({s.organisation_id for s in pair}) == 2
    assert len({(s.postcode, s.house_number) for s in pair}) == 1

    call_command("seed_demo_cases", "--force", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Signal.objects.filter(signalled_by__is_demo=True).count() == len(signals)


# --- Accounts and networks ------------------------------------------------------------


def test_creates_each_role_with_synthetic_people(seeded):
    accounts = (
        User.objects.filter(is_demo=True).select_related("organisation").prefetch_related("groups")
    )
    assert accounts.count() == len(seed_demo.DEMO_ACCOUNTS)
    assert all(u.email.endswith("@example.org") for u in accounts)
    assert all(u.check_password(seed_demo.DEMO_PASSWORD) for u in accounts)
    assert all(u.first_name and u.last_name for u in accounts)

    by_email = {u.email: u for u in accounts}
    assert {role for u in accounts for role in u.roles} == set(Role)
    assert by_email["coordinator@example.org"].roles == [Role.COORDINATOR]
    assert by_email["coordinator@example.org"].organisation.name == "U Centraal"
    assert [u.organisation.name for u in accounts if Role.CASEMANAGER in u.roles] == [
        "U Centraal"
    ] * 3
    assert by_email["politie@example.org"].roles == [Role.PARTNER_REPRESENTATIVE]
    referrers = {u.organisation.name for u in accounts if Role.REFERRER in u.roles}
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


def test_every_demo_account_is_in_its_organisation_group(seeded):
    accounts = list(User.objects.filter(is_demo=True).select_related("organisation"))
    assert accounts
    for user in accounts:
        groups = user.groups.filter(name__startswith="organisation:").values_list("name", flat=True)
        assert list(groups) == [partners_access.organisation_group_name(user.organisation_id)]
