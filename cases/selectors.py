"""Every read on cases. Visibility comes from `privacy.access`; nothing filters in Python."""

from __future__ import annotations

import datetime

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from partners.choices import Role
from partners.models import User
from privacy import access

from .choices import CaseStatus
from .domain import workflow
from .models import Case, Referral


def case_list_for_user(*, user: User) -> QuerySet[Case]:
    return access.visible_cases(user).select_related(
        "network", "district", "casemanager", "corporation"
    )


def case_get_for_user(*, user: User, pk: int) -> Case:
    """The case, or Http404 when it does not exist or the user may not see it."""
    return get_object_or_404(case_list_for_user(user=user), pk=pk)


def case_search(*, cases: QuerySet[Case], query: str) -> QuerySet[Case]:
    """Case number, person name or street; trigram indexes on names and streets."""
    query = query.strip()
    if not query:
        return cases
    return cases.filter(
        Q(number__icontains=query)
        | Q(street__trigram_similar=query)
        | Q(street__icontains=query)
        | Q(postcode__iexact=query.replace(" ", "").upper())
        | Q(persons__last_name__trigram_similar=query)
        | Q(persons__last_name__icontains=query)
    ).distinct()


def earlier_cases_for(*, case: Case, same_nuisance_only: bool = False) -> list[Case]:
    """Cases on the same person (name + birth date) or address, closed within the window."""
    since = timezone.localdate() - relativedelta(years=settings.RECIDIVISM_YEARS)
    person_keys = [k for k in case.persons.values_list("person_key", flat=True) if k]
    match = Q(persons__person_key__in=person_keys) if person_keys else Q(pk__in=[])
    if case.address_key:
        match |= Q(address_key=case.address_key)
    earlier = (
        Case.objects.filter(match, status=CaseStatus.CLOSED, closed_on__gte=since)
        .exclude(pk=case.pk)
        .distinct()
        .prefetch_related("referrals")
    )
    if not same_nuisance_only:
        return list(earlier)
    forms = set(case_nuisance_forms(case))
    return [c for c in earlier if forms & set(case_nuisance_forms(c))]


def case_nuisance_forms(case: Case) -> list[str]:
    forms: list[str] = []
    for referral in case.referrals.all():
        forms.extend(f for f in referral.nuisance_forms if f not in forms)
    return forms


def open_duplicates_for(*, case: Case) -> QuerySet[Case]:
    """Open cases on the same person or address: the coordinator may attach to one."""
    person_keys = [k for k in case.persons.values_list("person_key", flat=True) if k]
    match = Q(persons__person_key__in=person_keys) if person_keys else Q(pk__in=[])
    if case.address_key:
        match |= Q(address_key=case.address_key)
    return (
        Case.objects.filter(match, status__in=workflow.OPEN_STATUSES)
        .exclude(pk=case.pk)
        .distinct()
        .order_by("-referred_on")
    )


def referrals_for_referrer(*, user: User) -> QuerySet[Referral]:
    """'My referrals': the referrals of the user's organisation, with status only."""
    return (
        Referral.objects.filter(organisation_id=user.organisation_id)
        .select_related("case", "case__merged_into", "referrer")
        .order_by("-created_at")
    )


def casemanagers_with_caseload() -> QuerySet[User]:
    """Casemanagers with their open caseload, for the assignment list."""
    return (
        User.objects.filter(is_active=True, groups__name=Role.CASEMANAGER.value)
        .annotate(
            open_cases=Count(
                "managed_cases", filter=Q(managed_cases__status__in=workflow.OPEN_STATUSES)
            )
        )
        .order_by("last_name", "first_name")
    )


def intake_overdue(*, today: datetime.date | None = None) -> QuerySet[Case]:
    today = today or timezone.localdate()
    return Case.objects.filter(status=CaseStatus.REFERRED, intake_due_on__lt=today)
