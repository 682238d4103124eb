"""Demo cases (cases/demo.py via seed_demo): every demo role sees something, made through
the services, idempotent, and quick."""

import time

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases import access, demo, selectors, selectors_referral
from cases.choices import CaseStatus, ReferralStatus
from cases.models import Case, Document, JournalEntry, Person
from deadlines import kinds as deadline_kinds
from deadlines.models import Deadline
from notifications.models import Notification
from partners.management.commands import seed_demo
from partners.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Demo documents go to a temporary folder, not var/media."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }


@pytest.fixture
def seeded(tmp_path, monkeypatch, django_capture_on_commit_callbacks, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # only the notification rows matter here
    monkeypatch.setattr(seed_demo, "ACCOUNTS_FILE", tmp_path / "demo-accounts.txt")
    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--force", stdout=open("/dev/null", "w"))  # noqa: SIM115
    return time.monotonic() - started


def _user(email):
    return User.objects.get(email=email)


def _demo_cases():
    return Case.objects.filter(created_by__is_demo=True)


def test_seed_makes_every_scenario_quickly(seeded):
    assert seeded < 20
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
    assert {ReferralStatus.DRAFT, ReferralStatus.RECEIVED, ReferralStatus.IN_INTAKE} <= statuses
    assert ReferralStatus.ACCEPTED in statuses


def test_an_intake_deadline_is_overdue(seeded):
    today = timezone.localdate()
    overdue = Deadline.objects.open().filter(kind=deadline_kinds.INTAKE, due_on__lt=today)
    assert overdue.count() == 1
    case = overdue.get().case
    assert case.intake_due_on == overdue.get().due_on
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
