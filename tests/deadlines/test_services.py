"""Opening, meeting and lapsing deadlines, and the wiring from the case services."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from cases import services as case_services
from cases.choices import CaseStatus, ConsentDecision, RedirectTarget
from deadlines import kinds, services
from deadlines.models import Deadline
from tests.cases import intake_steps
from tests.factories.cases import CaseFactory, ReferralFactory

pytestmark = pytest.mark.django_db


def test_open_takes_its_dates_from_the_registry_and_is_idempotent(team):
    case = CaseFactory()
    first = services.deadline_open(kind=kinds.INTAKE, case=case, started_on=dt.date(2026, 4, 24))
    again = services.deadline_open(kind=kinds.INTAKE, case=case, started_on=dt.date(2026, 4, 25))
    assert again.pk == first.pk
    assert (first.due_on, first.soon_on) == (dt.date(2026, 5, 4), dt.date(2026, 5, 1))
    assert Deadline.objects.filter(case=case).count() == 1


def test_database_refuses_a_second_open_deadline_for_the_same_subject(team):
    case = CaseFactory()
    services.deadline_open(kind=kinds.INTAKE, case=case, started_on=dt.date(2026, 11, 2))
    existing = Deadline.objects.get(case=case)
    with pytest.raises(IntegrityError), transaction.atomic():
        Deadline.objects.create(
            kind=kinds.INTAKE,
            case=case,
            started_on=existing.started_on,
            due_on=existing.due_on,
            soon_on=existing.soon_on,
            due_at=existing.due_at,
        )


def test_meet_on_time_and_late(team):
    case = CaseFactory()
    deadline = services.deadline_open(kind=kinds.INTAKE, case=case, started_on=dt.date(2026, 11, 2))
    met = services.deadline_meet(kind=kinds.INTAKE, case=case, at=deadline.due_at)
    assert met.pk == deadline.pk
    assert Deadline.objects.met_on_time().filter(pk=deadline.pk).exists()
    assert services.deadline_meet(kind=kinds.INTAKE, case=case) is None  # nothing open now

    late = services.deadline_open(kind=kinds.INTAKE, case=case, started_on=dt.date(2026, 11, 2))
    assert late.pk != deadline.pk  # a met deadline frees the slot for a new occurrence
    services.deadline_meet(
        kind=kinds.INTAKE, case=case, at=late.due_at + dt.timedelta(microseconds=1)
    )
    assert Deadline.objects.met_late().filter(pk=late.pk).exists()


def _referral_case(team, **case_data):
    referral = ReferralFactory(
        case=CaseFactory(status=CaseStatus.DRAFT, number=None, **case_data),
        organisation=team.mitros,
        referrer=team.referrer,
    )
    return referral


def test_submitting_a_referral_opens_the_intake_deadline(team, django_capture_on_commit_callbacks):
    referral = _referral_case(team)
    with django_capture_on_commit_callbacks():
        case = case_services.case_transition(
            case=referral.case, to=CaseStatus.REFERRED, by=referral.referrer, referral=referral
        )
    deadline = Deadline.objects.get(case=case, kind=kinds.INTAKE)
    assert deadline.started_on == case.referred_on
    case = case_services.case_transition(case=case, to=CaseStatus.INTAKE, by=team.coordinator)
    deadline.refresh_from_db()
    assert deadline.met_at is not None


def test_consent_request_and_answer_open_and_meet_its_deadline(
    team, django_capture_on_commit_callbacks
):
    referral = _referral_case(team, corporation=team.mitros)
    with django_capture_on_commit_callbacks():
        case = case_services.case_transition(
            case=referral.case, to=CaseStatus.REFERRED, by=referral.referrer, referral=referral
        )
    request = case_services.consent_request(case=case, by=team.coordinator)
    deadline = Deadline.objects.get(kind=kinds.CORPORATION_CONSENT)
    assert (deadline.case_id, deadline.subject, deadline.organisation_id) == (
        case.pk,
        request,
        team.mitros.pk,
    )
    case_services.consent_answer(
        request=request, decision=ConsentDecision.CONSENT, reason="", by=team.corporation_rep
    )
    deadline.refresh_from_db()
    assert deadline.met_at is not None


def test_redirect_meets_intake_and_lapses_the_rest(team, django_capture_on_commit_callbacks):
    referral = _referral_case(team, corporation=team.mitros)
    with django_capture_on_commit_callbacks():
        case = case_services.case_transition(
            case=referral.case, to=CaseStatus.REFERRED, by=referral.referrer, referral=referral
        )
        case_services.consent_request(case=case, by=team.coordinator)
        case_services.case_transition(
            case=case,
            to=CaseStatus.REDIRECTED,
            target=RedirectTarget.MEDIATION,
            motivation="Buurtbemiddeling past beter",
            by=team.coordinator,
        )
    intake = Deadline.objects.get(kind=kinds.INTAKE)
    consent = Deadline.objects.get(kind=kinds.CORPORATION_CONSENT)
    assert intake.met_at is not None and intake.cancelled_at is None
    assert consent.cancelled_at is not None and consent.met_at is None
    # Only the retention period runs on: a redirected referral's own, RETENTION_REDIRECTED_DAYS
    # (365) from the decision, not a closed case's RETENTION_YEARS_AFTER_CLOSING (5).
    retention = Deadline.objects.open().get()
    assert retention.kind == kinds.RETENTION
    case.refresh_from_db()
    assert retention.started_on == case.closed_on
    assert retention.due_on == case.closed_on + dt.timedelta(days=365)


def test_acceptance_opens_the_six_month_evaluation(team):
    case = CaseFactory(status=CaseStatus.INTAKE, criteria_override=True)
    case_services.criteria_override_set(
        case=case, override=True, motivation="Acute escalatie", by=team.coordinator
    )
    case_services.case_assign_casemanager(
        case=case, casemanager=team.casemanager, by=team.coordinator
    )
    intake_steps.waive_screening(case, team.coordinator)
    intake_steps.record_kris(case, team.coordinator)
    case = case_services.case_transition(case=case, to=CaseStatus.ACCEPTED, by=team.coordinator)
    deadline = Deadline.objects.get(case=case, kind=kinds.SIX_MONTH_EVALUATION)
    assert deadline.started_on == case.accepted_on
    months = (deadline.due_on.year - case.accepted_on.year) * 12 + (
        deadline.due_on.month - case.accepted_on.month
    )
    assert months == 6


def test_covenant_sync_keeps_one_notice_deadline_per_renewal(team):
    from partners.models import Covenant
    from tests.factories.partners import CovenantFactory

    covenant = CovenantFactory(first_term_ends_on=dt.date(2015, 12, 31), notice_months=3)
    assert services.covenant_deadlines_sync(today=dt.date(2026, 6, 1)) == 1
    assert services.covenant_deadlines_sync(today=dt.date(2026, 6, 2)) == 0
    deadline = Deadline.objects.open().get(kind=kinds.COVENANT_RENEWAL_NOTICE)
    assert (deadline.subject, deadline.started_on, deadline.due_on) == (
        covenant,
        dt.date(2027, 1, 1),
        dt.date(2026, 10, 1),
    )
    # Still open on the notice date itself; the day after, notice is too late for 1 January
    # 2027: that one lapses and the next renewal's notice date (1 October 2027) counts.
    services.covenant_deadlines_sync(today=dt.date(2026, 10, 1))
    assert Deadline.objects.open().get(kind=kinds.COVENANT_RENEWAL_NOTICE).pk == deadline.pk
    services.covenant_deadlines_sync(today=dt.date(2026, 10, 2))
    assert Deadline.objects.open().get(kind=kinds.COVENANT_RENEWAL_NOTICE).due_on == dt.date(
        2027, 10, 1
    )
    deadline.refresh_from_db()
    assert deadline.cancelled_at is not None
    assert services.covenant_deadlines_sync(today=dt.date(2027, 1, 1)) == 0  # same one
    # A longer notice period moves it; a covenant that ends has none.
    Covenant.objects.filter(pk=covenant.pk).update(notice_months=4)
    services.covenant_deadlines_sync(today=dt.date(2027, 1, 2))
    assert Deadline.objects.open().get(kind=kinds.COVENANT_RENEWAL_NOTICE).due_on == dt.date(
        2027, 9, 1
    )
    Covenant.objects.filter(pk=covenant.pk).update(is_active=False)
    services.covenant_deadlines_sync(today=dt.date(2027, 1, 3))
    assert not Deadline.objects.open().exists()
