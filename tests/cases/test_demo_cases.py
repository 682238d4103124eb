"""Demo cases (devtools/demo.py via seed_demo): every demo role sees something, made through
the services, idempotent, and quick.

The demo data is seeded once for this module, inside a transaction that is rolled back when
the module is done; each test runs in its own savepoint on top of it (as a plain db test
does), so a test's changes never reach the next one. The module stays on one xdist worker
(`xdist_group`), so the seed runs once per session."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases import access, selectors, selectors_referral
from cases.choices import CaseStatus
from cases.models import Case, Document, JournalEntry, Person
from deadlines import kinds as deadline_kinds
from deadlines.models import Deadline
from devtools import demo
from notifications.models import Notification
from partners.models import User
from tests.demo_seed import demo_seeded_once

pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("demo-data")]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data, seeded once for the module (tests/demo_seed.py). E-mail of the seed's
    notifications runs inline (only the notification rows matter here)."""
    folder = tmp_path_factory.mktemp("demo")
    with demo_seeded_once(django_db_blocker, folder, run_on_commit=True) as seeded:
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
    counts = (
        _demo_cases().count(),
        Person.objects.count(),
        JournalEntry.objects.count(),
        Document.objects.count(),
        Deadline.objects.count(),
    )
    call_command("seed_demo", "--force", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo_cases", "--force", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (
        _demo_cases().count(),
        Person.objects.count(),
        JournalEntry.objects.count(),
        Document.objects.count(),
        Deadline.objects.count(),
    ) == counts


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
