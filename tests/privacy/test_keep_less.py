"""Keep less, for less long (DOMAIN.md §7): anonymising drops the suspected backgrounds, the
KRIS result and the Altrecht flag; keyed hashes go once the recidivism window has passed;
drafts never submitted are deleted after their period with a notice a week before;
redirected referrals have their own shorter period. The dry run shows each."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from cases import services as case_services
from cases.choices import CaseStatus
from cases.models import Case, KrisCheck, Person, Referral
from notifications.choices import Event
from notifications.models import Notification
from partners.choices import Role
from privacy import checks, selectors, services
from tests.factories.partners import OrganisationFactory, UserFactory
from tests.privacy.full_case import make_full_case, make_team

pytestmark = pytest.mark.django_db

BORN = dt.date(1963, 7, 14)


@pytest.fixture
def team():
    return make_team()


def _years_ago(years: int) -> dt.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years)


def _days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


def test_anonymising_drops_backgrounds_kris_result_and_altrecht_flag(team, settings):
    settings.RETENTION_YEARS_AFTER_CLOSING = 5
    case, _causer = make_full_case(
        team,
        first="Grietje",
        last="Vlaskamp",
        born=BORN,
        street="Merelhof",
        closed_on=_years_ago(6),
    )
    KrisCheck.objects.filter(case=case).update(referred_to_altrecht=True)
    assert Referral.objects.get(case=case).backgrounds
    assert services.retention_run() == 1
    assert Referral.objects.get(case=case).backgrounds == []
    assert all(r.backgrounds == [] for r in Referral.history.filter(case_id=case.pk))
    kris = KrisCheck.objects.get(case=case)
    assert kris.result == "" and kris.referred_to_altrecht is False
    assert not KrisCheck.history.filter(case_id=case.pk, referred_to_altrecht=True).exists()
    assert not KrisCheck.history.filter(case_id=case.pk).exclude(result="").exists()


def test_keyed_hashes_go_once_the_recidivism_window_has_passed(team, settings):
    settings.RETENTION_YEARS_AFTER_CLOSING = 5
    settings.RECIDIVISM_YEARS = 3
    old, old_causer = make_full_case(
        team, first="Oud", last="Geval", born=BORN, street="Merelhof", closed_on=_years_ago(4)
    )
    recent, recent_causer = make_full_case(
        team,
        first="Nieuw",
        last="Geval",
        born=BORN,
        street="Kievitdreef",
        closed_on=_years_ago(2),
    )
    assert list(services.recidivism_keys_due()) == [old]
    assert services.recidivism_keys_purge() == 1
    old.refresh_from_db()
    old_causer.refresh_from_db()
    assert old.address_key == "" and old_causer.person_key == ""
    assert not Case.history.filter(id=old.pk).exclude(address_key="").exists()
    assert not Person.history.filter(case_id=old.pk).exclude(person_key="").exists()
    # Inside the window nothing changes; the case's other data stays (retention is later).
    recent.refresh_from_db()
    recent_causer.refresh_from_db()
    assert recent.address_key and recent_causer.person_key
    old_causer.refresh_from_db()
    assert old_causer.last_name == "Geval"
    assert services.recidivism_keys_purge() == 0  # safe to run twice


def test_redirected_referrals_have_their_own_shorter_period(team, settings):
    settings.RETENTION_YEARS_AFTER_CLOSING = 5
    settings.RETENTION_REDIRECTED_DAYS = 365
    today = timezone.localdate()
    expired, _ = make_full_case(
        team,
        first="Om",
        last="Geleid",
        born=BORN,
        street="Merelhof",
        closed_on=today - dt.timedelta(days=400),
    )
    fresh, _ = make_full_case(
        team,
        first="Pas",
        last="Omgeleid",
        born=BORN,
        street="Kievitdreef",
        closed_on=today - dt.timedelta(days=300),
    )
    closed, _ = make_full_case(
        team,
        first="Ge",
        last="Sloten",
        born=BORN,
        street="Zwaluwlaan",
        closed_on=today - dt.timedelta(days=400),
    )
    Case.objects.filter(pk__in=[expired.pk, fresh.pk]).update(status=CaseStatus.REDIRECTED)
    assert list(selectors.retention_due()) == [expired]
    assert closed.status == CaseStatus.CLOSED


@pytest.fixture
def referrer():
    mitros = OrganisationFactory(name="Mitros", corporation=True)
    return UserFactory(organisation=mitros, roles=[Role.REFERRER])


def _draft(referrer, *, days_ago: int):
    referral = case_services.referral_start(by=referrer)
    Referral.objects.filter(pk=referral.pk).update(
        updated_at=_days_ago(days_ago), contact_name="Wijkconsulent Jansen"
    )
    return Referral.objects.get(pk=referral.pk)


def test_the_referrer_is_told_a_week_before_a_draft_goes(referrer, settings):
    settings.DRAFT_RETENTION_DAYS = 90
    settings.DRAFT_PURGE_NOTICE_DAYS = 7
    soon = _draft(referrer, days_ago=84)
    later = _draft(referrer, days_ago=30)
    assert services.draft_purge_notify() == 1
    notice = Notification.objects.get()
    assert notice.recipient == referrer and notice.event == Event.DRAFT_PURGE
    # 90 days after the last change would be in 6 days: never sooner than a week after the
    # notice.
    assert timezone.localdate(soon.updated_at) + dt.timedelta(
        days=90
    ) < timezone.localdate() + dt.timedelta(7)
    assert notice.context["date"] == (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    assert services.draft_purge_notify() == 0  # once
    assert services.draft_purge() == 0  # told today: not yet
    assert Referral.objects.filter(pk__in=[soon.pk, later.pk]).count() == 2


def test_a_draft_past_its_period_goes_with_its_history_after_the_notice(referrer, settings):
    settings.DRAFT_RETENTION_DAYS = 90
    settings.DRAFT_PURGE_NOTICE_DAYS = 7
    stale = _draft(referrer, days_ago=95)
    never_told = _draft(referrer, days_ago=95)
    services.draft_purge_notify()
    Notification.objects.filter(key__startswith=f"draft_purge:{stale.pk}:").update(
        created_at=_days_ago(8)
    )
    case_id = stale.case_id
    assert list(services.drafts_due()) == [stale]
    assert services.draft_purge() == 1
    assert not Referral.objects.filter(pk=stale.pk).exists()
    assert not Case.objects.filter(pk=case_id).exists()
    assert not Referral.history.filter(case_id=case_id).exists()
    assert not Case.history.filter(id=case_id).exists()
    # The other was told only now: it stays a week longer.
    assert Referral.objects.filter(pk=never_told.pk).exists()


def test_a_submitted_referral_is_never_purged_as_a_draft(referrer, settings):
    draft = _draft(referrer, days_ago=200)
    Referral.objects.filter(pk=draft.pk).update(submitted_at=timezone.now())
    assert services.draft_purge_notify() == 0 and services.draft_purge() == 0


def test_the_dry_run_shows_every_part_and_changes_nothing(team, referrer, settings, capsys):
    settings.RETENTION_YEARS_AFTER_CLOSING = 5
    settings.RECIDIVISM_YEARS = 3
    case, causer = make_full_case(
        team, first="Oud", last="Geval", born=BORN, street="Merelhof", closed_on=_years_ago(4)
    )
    draft = _draft(referrer, days_ago=95)
    call_command("retention", "--dry-run")
    out = capsys.readouterr().out
    assert "Redirected at intake: 365 days" in out
    assert "Draft referrals: deleted 90 days" in out and "in the notice period: 1" in out
    assert "Keyed hashes: 3 years" in out and case.number in out
    assert "Dry run: nothing changed." in out
    case.refresh_from_db()
    assert case.address_key
    assert Referral.objects.filter(pk=draft.pk).exists()
    assert not Notification.objects.exists()


@pytest.mark.parametrize(
    "overrides, error_id",
    [
        ({"RETENTION_REDIRECTED_DAYS": 0}, "privacy.E002"),
        ({"RETENTION_REDIRECTED_DAYS": 10 * 365}, "privacy.E002"),
        ({"DRAFT_PURGE_NOTICE_DAYS": 0}, "privacy.E003"),
        ({"DRAFT_PURGE_NOTICE_DAYS": 90, "DRAFT_RETENTION_DAYS": 90}, "privacy.E003"),
    ],
)
def test_a_system_check_keeps_the_periods_sane(overrides, error_id):
    with override_settings(**overrides):
        assert [e.id for e in checks.retention_periods_are_sane()] == [error_id]


def test_the_default_periods_pass_the_check(settings):
    assert settings.DRAFT_RETENTION_DAYS == 90 and settings.DRAFT_PURGE_NOTICE_DAYS == 7
    assert settings.RETENTION_REDIRECTED_DAYS == 365
    assert checks.retention_periods_are_sane() == []
