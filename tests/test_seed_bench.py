"""The benchmark data set (devtools/benchdata.py, `manage.py seed_bench`): small, but
consistent the way the services would have left it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.choices import CaseStatus, PersonRole
from cases.models import (
    Case,
    CaseGroupObjectPermission,
    CaseInvolvement,
    Person,
    RecidivismMatch,
)
from cases.models.plan import Evaluation, EvictionAdvice
from deadlines.models import Deadline
from devtools import benchdata
from figures.report import build_report
from figures.selectors import Scope
from meetings.models import Attendance
from partners.access import organisation_group_name
from privacy.anonymise import TOMBSTONE_NAME
from privacy.selectors import retention_cutoff, retention_due

pytestmark = pytest.mark.django_db

N = 200


def test_a_small_seed_is_consistent_and_the_annual_report_runs_on_it():
    """One seed (it takes a while), checked from each side."""
    today = timezone.localdate()
    every_year = Scope(today.replace(year=today.year - 10), today)
    empty = report_queries(every_year)
    benchdata.seed(cases=N)
    # The report's query count does not grow with the data (empty against 200 cases; the
    # benchmark shows the same count at 100,000: docs/figures.md).
    assert report_queries(every_year) == empty
    every_phase_is_present_and_numbers_are_unique()
    the_grants_are_the_projection_of_the_active_involvements()
    retention_holds_and_the_history_has_every_case()
    the_annual_report_runs_on_it()
    with pytest.raises(CommandError):  # a second seed into the same database is refused
        call_command("seed_bench", cases=10, force=True, no_migrate=True)


def report_queries(scope):
    with CaptureQueriesContext(connection) as captured:
        build_report(scope, today=timezone.localdate())
    return len(captured)


def every_phase_is_present_and_numbers_are_unique():
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses == set(CaseStatus.values)
    assert Case.objects.count() == N
    numbers = list(Case.objects.exclude(number=None).values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == N - Case.objects.filter(status="draft").count()
    # Ten years of referrals.
    first = Case.objects.order_by("referred_on").values_list("referred_on", flat=True)[0]
    assert first.year <= timezone.localdate().year - 9


def the_grants_are_the_projection_of_the_active_involvements():
    involved = {
        (case_id, organisation_group_name(organisation_id))
        for case_id, organisation_id in CaseInvolvement.objects.filter(is_active=True).values_list(
            "case_id", "organisation_id"
        )
    }
    granted = set(CaseGroupObjectPermission.objects.values_list("content_object_id", "group__name"))
    assert involved and granted == involved
    # Ended involvements exist too (closed cases past the handover period): no grant.
    assert CaseInvolvement.objects.filter(is_active=False).exists()


def retention_holds_and_the_history_has_every_case():
    today = timezone.localdate()
    assert not retention_due(today).exists()
    anonymised = Case.objects.filter(anonymised_at__isnull=False)
    assert anonymised.exists()
    assert not Person.objects.filter(case__in=anonymised).exclude(last_name=TOMBSTONE_NAME)
    assert not anonymised.exclude(street="").exists()
    oldest_draft = today - dt.timedelta(days=settings.DRAFT_RETENTION_DAYS)
    assert not Case.objects.filter(status="draft", created_at__date__lt=oldest_draft).exists()
    assert Case.history.filter(history_type="+").count() == N
    # Open deadlines of every kind that open cases hold, none of a closed case.
    assert Deadline.objects.open().filter(case__status=CaseStatus.EXECUTION).exists()
    assert (
        not Deadline.objects.open().filter(case__status=CaseStatus.CLOSED).exclude(kind="retention")
    )
    # Each retention deadline is due the day retention takes its case (a redirected
    # referral's after its own shorter period), and those of anonymised cases were met then.
    retention = Deadline.objects.filter(kind="retention")
    days = dt.timedelta(days=settings.RETENTION_REDIRECTED_DAYS)
    redirected = retention.filter(case__status=CaseStatus.REDIRECTED)
    assert redirected.exists()
    for due_on, closed_on in redirected.values_list("due_on", "case__closed_on"):
        assert due_on == closed_on + days
    for deadline in retention.select_related("case"):
        due_on, case = deadline.due_on, deadline.case
        before = due_on - dt.timedelta(days=1)
        assert retention_cutoff(before, status=case.status) < case.closed_on
        assert case.closed_on <= retention_cutoff(due_on, status=case.status)
    assert not retention.filter(case__anonymised_at__isnull=False, met_at__isnull=True).exists()
    assert not retention.filter(met_at__gt=F("due_at")).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM privacy_readlogentry WHERE case_id IS NOT NULL")
        assert cursor.fetchone()[0] >= 4 * (N - 1)
    assert Person.objects.filter(role=PersonRole.CAUSER).count() == N


def the_annual_report_runs_on_it():
    today = timezone.localdate()
    everything = build_report(Scope(today.replace(year=today.year - 10), today), today=today)
    figures = {f.key: f for f in everything.figures}
    referrals = {row[0]: row[1] for row in figures["acceptance"].rows}
    assert referrals["Totaal"] == str(N - Case.objects.filter(status="draft").count())
    assert Evaluation.objects.filter(kind="final").exists()
    outcome_total = figures["partners_outcome"].rows[-1][1]
    assert (
        int(outcome_total) == Evaluation.objects.filter(kind="final", case__status="closed").count()
    )
    assert EvictionAdvice.objects.exists() and Attendance.objects.exists()
    # Some repeat referrals of a case closed before (the recidivism figure has cases).
    assert RecidivismMatch.objects.filter(
        earlier__closed_on__lt=F("case__referred_on"), on_person=True
    ).exists()
    last_year = Scope(dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31))
    assert build_report(last_year, today=today).figures
