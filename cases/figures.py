"""The figures the approach is judged on (DOMAIN.md §10), as far as their data exists.

A selector: aggregate queries only, never names. Retention and erasure must leave every
figure here unchanged (tests/privacy/test_retention.py compares them before and after).
Plans, evaluations and meetings arrive with later issues; their figures join then.
"""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import ExtractYear

from deadlines import kinds as deadline_kinds
from deadlines.domain.state import DeadlineState
from deadlines.models import Deadline, state_filter

from .choices import CaseStatus, ConsentDecision
from .models import Case, ConsentRequest, Person, Referral


def _counts(queryset: Any, *fields: str) -> list[tuple[Any, ...]]:
    rows = queryset.values(*fields).annotate(n=Count("pk")).order_by(*fields)
    return [(*(row[f] for f in fields), row["n"]) for row in rows]


def _met_on_time(kind: str, **outer: Any) -> Exists:
    """A deadline of `kind` of the row was met on time (the deadline rows hold due dates)."""
    met = state_filter(DeadlineState.MET_ON_TIME, today=datetime.date.min)  # day-independent
    return Exists(Deadline.objects.filter(met, kind=kind, **outer))


def figures() -> dict[str, Any]:
    """Per year (of referral) and network, every figure computable today."""
    cases = Case.objects.exclude(status__in=[CaseStatus.DRAFT]).filter(referred_on__isnull=False)
    cases = cases.annotate(year=ExtractYear("referred_on"))
    referrals = Referral.objects.filter(submitted_at__isnull=False).annotate(
        year=ExtractYear("case__referred_on"), network=F("case__network_id")
    )
    by_form: Counter[tuple[Any, ...]] = Counter()
    by_background: Counter[tuple[Any, ...]] = Counter()
    for year, network, forms, backgrounds in referrals.values_list(
        "year", "network", "nuisance_forms", "backgrounds"
    ):
        by_form.update((year, network, form) for form in forms)
        by_background.update((year, network, b) for b in backgrounds)
    closed = cases.filter(closed_on__isnull=False, referred_on__isnull=False)
    lead_times = sorted(
        (year, network, (closed_on - referred_on).days)
        for year, network, referred_on, closed_on in closed.values_list(
            "year", "network_id", "referred_on", "closed_on"
        )
        if referred_on is not None and closed_on is not None
    )
    consents = ConsentRequest.objects.annotate(year=ExtractYear("case__referred_on"))
    return {
        "referrals_by_referrer": _counts(referrals, "year", "network", "organisation_id"),
        "referrals_by_district": _counts(cases, "year", "network_id", "district_id"),
        "referrals_by_nuisance_form": sorted((*key, n) for key, n in by_form.items()),
        "referrals_by_background": sorted((*key, n) for key, n in by_background.items()),
        "accepted": _counts(cases.filter(accepted_on__isnull=False), "year", "network_id"),
        "redirected": _counts(
            cases.filter(status=CaseStatus.REDIRECTED), "year", "network_id", "redirect_target"
        ),
        "status": _counts(cases, "year", "network_id", "status"),
        "open_caseload": _counts(
            cases.exclude(status__in=[CaseStatus.CLOSED, CaseStatus.REDIRECTED]),
            "casemanager_id",
        ),
        "lead_time_days": lead_times,
        "intake_on_time": _counts(
            cases.filter(
                _met_on_time(deadline_kinds.INTAKE, case=OuterRef("pk")),
                intake_started_on__isnull=False,
            ),
            "year",
            "network_id",
        ),
        "consent_on_time": _counts(
            consents.filter(
                _met_on_time(
                    deadline_kinds.CORPORATION_CONSENT,
                    subject_type=ContentType.objects.get_for_model(ConsentRequest),
                    subject_id=OuterRef("pk"),
                ),
                answered_on__isnull=False,
            ),
            "year",
        ),
        "consent_given": _counts(consents.filter(decision=ConsentDecision.CONSENT), "year"),
        "repeat_referrals": _counts(cases.filter(is_repeat_referral=True), "year", "network_id"),
        "persons_by_role": _counts(Person.objects.all(), "case_id", "role"),
        "recidivism_person_keys": sorted(
            Person.objects.exclude(person_key="").values_list("case_id", "person_key")
        ),
        "recidivism_address_keys": sorted(
            cases.exclude(address_key="").values_list("pk", "address_key")
        ),
        "urgent_referrals": referrals.filter(Q(is_urgent=True)).count(),
    }
