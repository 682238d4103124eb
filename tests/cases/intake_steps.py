"""The intake steps a case needs before it may be accepted (DOMAIN.md §4), done through the
services: criteria assessed, the corporation's consent (for a corporation home), the police
screening answered or waived, and the KRIS check recorded. Shared by the case tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from cases import services
from cases.choices import ConsentDecision, KrisResult
from cases.models import Case, Criterion


def assess_criteria(case: Case, by: Any, *, met: bool = True) -> None:
    services.criteria_assess(
        case=case,
        answers={c.number: (met, "Onderbouwing") for c in Criterion.objects.filter(is_active=True)},
        by=by,
    )


def give_consent(case: Case, by: Any, corporation_rep: Any) -> None:
    request = services.consent_request(case=case, by=by)
    services.consent_answer(
        request=request, decision=ConsentDecision.CONSENT, reason="", by=corporation_rep
    )


def waive_screening(case: Case, by: Any) -> None:
    services.screening_waive(case=case, by=by, reason="Geen risico's bekend bij de politie.")


def record_kris(case: Case, by: Any) -> None:
    services.kris_record(
        case=case,
        by=by,
        result=KrisResult.KNOWN,
        trajectory_manager_name="T. Regisseur",
        trajectory_manager_organisation="GGD",
        trajectory_manager_contacted_on=timezone.localdate() - dt.timedelta(days=1),
        plans_aligned=True,
    )


def ready_for_acceptance(
    case: Case,
    *,
    coordinator: Any,
    casemanager: Any | None = None,
    corporation_rep: Any | None = None,
) -> Case:
    """Every guard of intake → accepted satisfied (the case must be in intake)."""
    if casemanager is not None and case.casemanager_id is None:
        services.case_assign_casemanager(case=case, casemanager=casemanager, by=coordinator)
    assess_criteria(case, coordinator)
    if case.corporation_id is not None:
        give_consent(case, coordinator, corporation_rep)
    waive_screening(case, coordinator)
    record_kris(case, coordinator)
    return Case.objects.get(pk=case.pk)
