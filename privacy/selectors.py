"""Reads of the privacy app: requests and the persons they can be about."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from cases.models import Person

from .models import DataSubjectRequest

SEARCH_LIMIT = 50


def request_list() -> QuerySet[DataSubjectRequest]:
    return DataSubjectRequest.objects.select_related("person", "person__case").order_by(
        "status", "due_on", "pk"
    )


def request_get(*, pk: int) -> DataSubjectRequest:
    return get_object_or_404(
        DataSubjectRequest.objects.select_related("person", "person__case", "registered_by"),
        pk=pk,
    )


def person_search(
    *, last_name: str, date_of_birth: datetime.date | None = None, case_number: str = ""
) -> list[Any]:
    """Persons (not erased) by last name, narrowed by date of birth and/or case number."""
    persons = Person.objects.filter(
        erased_at__isnull=True, last_name__iexact=last_name.strip()
    ).select_related("case")
    if date_of_birth is not None:
        persons = persons.filter(date_of_birth=date_of_birth)
    if case_number.strip():
        persons = persons.filter(case__number__iexact=case_number.strip())
    return list(persons.order_by("case__number", "pk")[:SEARCH_LIMIT])


def person_search_by_pk(*, pk: int) -> Any:
    """The person chosen from the search results (None when erased or unknown)."""
    return Person.objects.filter(erased_at__isnull=True, pk=pk).select_related("case").first()


def retention_overview(*, limit: int = 200) -> dict[str, Any]:
    """What retention will remove next (as `manage.py retention --dry-run`) and what it did."""
    from django.conf import settings

    from .models import RetentionLogEntry
    from .services import retention_cutoff, retention_due

    return {
        "years": settings.RETENTION_YEARS_AFTER_CLOSING,
        "cutoff": retention_cutoff(),
        "due": list(retention_due().only("pk", "number", "closed_on", "status")[:limit]),
        "log": list(RetentionLogEntry.objects.order_by("-at", "-pk")[:limit]),
    }


def open_cases_of(*, person: Any) -> list[Any]:
    """Case numbers of the person's cases (same keyed hash) that are still open: erasure may
    not be allowed while the public task needs the data (AVG art. 17(3)(b))."""
    from cases.domain.workflow import TERMINAL_STATUSES

    persons = Person.objects.filter(pk=person.pk)
    if person.person_key:
        persons = Person.objects.filter(person_key=person.person_key)
    return list(
        persons.exclude(case__status__in=TERMINAL_STATUSES)
        .values_list("case__number", flat=True)
        .distinct()
    )
