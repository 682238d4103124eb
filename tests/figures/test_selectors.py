"""Each figure against the hand-built data set of tests/figures/dataset.py; the expected
numbers are worked out in the comments from the table in that module."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from cases.choices import CaseStatus
from deadlines import kinds as deadline_kinds
from figures import selectors
from figures.selectors import Scope
from tests.figures import dataset

pytestmark = pytest.mark.django_db

Y2023 = Scope(dt.date(2023, 1, 1), dt.date(2023, 12, 31))
Y2024 = Scope(dt.date(2024, 1, 1), dt.date(2024, 12, 31))
TODAY = dt.date(2026, 12, 31)


@pytest.fixture
def data():
    return dataset.build()


def noord(scope, data):
    return Scope(scope.start, scope.end, data.noord.pk)


def test_referrals_by_referrer(data):
    # Mitros: 6 accepted + the Zuid case = 7; Politie: 2 redirected + the Zuid case = 3.
    assert selectors.referrals_by_referrer(Y2024) == {"Mitros": 7, "Politie": 3}
    assert selectors.referrals_total(Y2024) == 9  # not the 2023 case, not the draft
    # Noord only: 6 and 2.
    assert selectors.referrals_by_referrer(noord(Y2024, data)) == {"Mitros": 6, "Politie": 2}


def test_referrals_by_district(data):
    assert selectors.referrals_by_district(Y2024) == {"Overvecht": 6, "Zuid": 3}


def test_referrals_by_nuisance_form_and_background(data):
    forms = selectors.referrals_by_array(Y2024, "nuisance_forms", dataset.NuisanceForm)
    # noise: 6 + 2 = 8; threats: 2; vermin: 1 (two referrals, one case); the rest 0.
    assert {k: v for k, v in forms.items() if v} == {"noise": 8, "threats": 2, "vermin": 1}
    backgrounds = selectors.referrals_by_array(Y2024, "backgrounds", dataset.Background)
    assert {k: v for k, v in backgrounds.items() if v} == {"psychiatric": 6}


def test_accepted_and_redirected(data):
    assert selectors.acceptance(Y2024) == {
        "accepted": 6,
        "redirected:mediation": 2,
        "pending": 1,
    }


def test_closing_outcomes_care_housing_follow_up(data):
    closing = selectors.closing(Y2023)
    assert closing["evaluated"] == 8
    assert [
        closing[f"partners_outcome:{v}"] for v in ("resolved", "manageable", "not_resolved", "")
    ] == [5, 2, 1, 0]
    assert [
        closing[f"neighbours_outcome:{v}"] for v in ("resolved", "manageable", "not_resolved")
    ] == [5, 0, 3]
    assert (closing["in_care:yes"], closing["in_care:no"], closing["in_care:"]) == (5, 2, 1)
    assert closing["housing:stayed"] == 5
    assert closing["housing:evicted"] == 2
    assert closing["housing:homeless"] == 1
    assert closing["follow_up:aftercare"] == 5
    assert closing["follow_up:passed_on"] == 2
    assert closing["passed_on:eviction_procedure"] == 2
    assert (closing["aftercare:yes"], closing["aftercare:no"]) == (5, 3)
    # Zuid had case 7 only.
    zuid = selectors.closing(Scope(Y2023.start, Y2023.end, data.zuid.pk))
    assert zuid["evaluated"] == 1
    assert zuid["housing:homeless"] == 1


def test_lead_times_median_and_90th_percentile(data):
    lead = selectors.lead_times(Y2023)
    # Referral to closing: 10, 20, ..., 80 days. Median (40 + 50) / 2 = 45;
    # 90th percentile at position 0.9 × 7 = 6.3: 70 + 0.3 × (80 − 70) = 73.
    assert lead["total"]["n"] == 8
    assert lead["total"]["median"] == pytest.approx(45)
    assert lead["total"]["p90"] == pytest.approx(73)
    # Taken into handling always 2 days after referral.
    assert (lead["to_intake"]["median"], lead["to_intake"]["p90"]) == (2, 2)
    # Accepted to closed: 5, 15, ..., 75: median 40, p90 65 + 0.3 × 10 = 68.
    assert lead["to_closing"]["median"] == pytest.approx(40)
    assert lead["to_closing"]["p90"] == pytest.approx(68)


def test_deadlines_met(data):
    dataset.add_intake_deadlines(data)
    met = selectors.deadlines_met(Y2024, today=dt.date(2024, 12, 31))
    # Lapsed one and the one due in 2025 left out.
    assert met[deadline_kinds.INTAKE] == {"on_time": 6, "late": 1, "overdue": 1}
    assert met[deadline_kinds.SIX_MONTH_EVALUATION] == {"on_time": 5, "late": 0, "overdue": 0}
    assert met[deadline_kinds.CORPORATION_CONSENT] == {"on_time": 0, "late": 0, "overdue": 0}
    # Noord: the intake deadline of the Zuid case was the lapsed one; same numbers.
    assert selectors.deadlines_met(noord(Y2024, data), today=dt.date(2024, 12, 31))[
        deadline_kinds.INTAKE
    ] == {
        "on_time": 6,
        "late": 1,
        "overdue": 1,
    }


def test_recidivism(data):
    rec = selectors.recidivism(Y2023, today=TODAY)
    # All 8 closed in 2023 ≤ 31-12-2023; cases 0 (same person) and 1 (confirmed address)
    # count; 2 rejected, 3 another form, 4 more than 3 years later.
    assert rec["closed"] == 8
    assert rec["followable"] == 8
    assert rec["repeated"] == 2
    # On 30-06-2026 only the cases closed on or before 30-06-2023 can be followed:
    # closings 10-01 … 10-06 are cases 0–5.
    early = selectors.recidivism(Y2023, today=dt.date(2026, 6, 30))
    assert early["followable"] == 6
    assert early["repeated"] == 2


def test_recidivism_counts_a_closed_case_once_with_two_repeats(data):
    # A second counted match of case 0 does not make it count twice.
    earlier = data.closed[0]
    new = dataset.CaseFactory(
        status=CaseStatus.REFERRED,
        referred_on=earlier.closed_on + dt.timedelta(days=10),
        network=data.noord,
    )
    dataset.ReferralFactory(
        case=new, organisation=data.mitros, nuisance_forms=["noise"], submitted_at=timezone.now()
    )
    dataset.RecidivismMatch.objects.create(case=new, earlier=earlier, on_person=True)
    assert selectors.recidivism(Y2023, today=TODAY)["repeated"] == 2


def test_life_domain_change(data):
    life = selectors.life_domain_change(Y2023)
    # Case 0: mean 2.5 → 4.0 (improved); case 1: 3.0 → 2.5 (declined); case 2 has one.
    assert life["n"] == 2
    assert life["first"] == pytest.approx(2.75)
    assert life["last"] == pytest.approx(3.25)
    assert (life["improved"], life["level"], life["declined"]) == (1, 0, 1)


def test_work_done(data):
    dataset.add_work(data)
    work = selectors.work_done(Y2024)
    assert work == {
        "kris_checks": 3,
        "screenings": 2,
        # 1-2-2024 and 31-12-2024 count; 31-12-2023 is outside the year.
        "eviction_advices": 2,
        "relocations": 1,
        "support_requested": 3,
        "support_granted": 2,
        "support_amount": Decimal("350.50"),
    }
    zuid = selectors.work_done(Scope(Y2024.start, Y2024.end, data.zuid.pk))
    assert (zuid["screenings"], zuid["eviction_advices"]) == (0, 0)
    # Both 2024 advices are on a Noord case.
    assert selectors.work_done(noord(Y2024, data))["eviction_advices"] == 2
    assert selectors.work_done(Y2023)["eviction_advices"] == 1


def test_meetings_and_attendance(data):
    dataset.add_meetings(data)
    held = selectors.meetings_held(Y2024, today=dt.date(2024, 12, 31))
    assert [(r["network__name"], r["kind"], r["n"]) for r in held] == [
        ("Noord", "case", 2),
        (None, "steering", 1),
    ] or [(r["network__name"], r["kind"], r["n"]) for r in held] == [
        (None, "steering", 1),
        ("Noord", "case", 2),
    ]
    # Before the second meeting took place (today 15-02-2024) only the first was held.
    early = selectors.meetings_held(Y2024, today=dt.date(2024, 2, 15))
    assert [(r["network__name"], r["n"]) for r in early] == [("Noord", 1)]
    attendance = selectors.attendance(Y2024, today=dt.date(2024, 12, 31))
    assert [(r["organisation__name"], r["listed"], r["present"]) for r in attendance] == [
        ("Mitros", 2, 2),
        ("Politie", 1, 0),
    ]
    assert (
        selectors.meetings_held(
            Scope(Y2024.start, Y2024.end, data.zuid.pk), today=dt.date(2024, 12, 31)
        )
        == []
    )


def test_open_cases_and_referrals_per_month(data):
    rows = selectors.open_cases()
    counts: dict[tuple[str, str], int] = {}
    for r in rows:  # one row per phase, network and casemanager, in no particular order
        counts[(r["status"], r["network__name"])] = (
            counts.get((r["status"], r["network__name"]), 0) + r["n"]
        )
    # Accepted 6 (Noord), intake: the Zuid case and the 2023 case (Noord); the 5 new
    # referrals of the recidivism part are "referred" in Noord.
    assert counts[(CaseStatus.ACCEPTED, "Noord")] == 6
    assert counts[(CaseStatus.INTAKE, "Zuid")] == 1
    assert counts[(CaseStatus.INTAKE, "Noord")] == 1
    assert counts[(CaseStatus.REFERRED, "Noord")] == 5
    assert selectors.referrals_per_month(today=dt.date(2024, 3, 15)) == {
        "this_month": 6,
        "last_month": 0,
    }
    assert selectors.referrals_per_month(today=dt.date(2024, 5, 31)) == {
        "this_month": 2,
        "last_month": 0,
    }
