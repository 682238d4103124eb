"""Corrections by the case team: the case's address and housing, and persons (AVG art. 16)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from partners.models import User

from .. import access, keys
from ..models import (
    Case,
    Person,
)
from .common import bump_version

# --- Case details (case team corrections) --------------------------------------------

CASE_DETAIL_FIELDS = frozenset(
    {
        "postcode",
        "house_number",
        "house_number_addition",
        "street",
        "city",
        "district",
        "network",
        "housing_type",
        "corporation",
    }
)


@transaction.atomic
def case_details_update(*, case: Case, by: User, version: int, data: dict[str, Any]) -> Case:
    """Correct address and housing; StaleEdit when someone saved since `version` was loaded."""
    if not access.may_edit_case_details(by, case):
        raise PermissionError("Only the case team corrects case details")
    unknown = set(data) - CASE_DETAIL_FIELDS
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    bump_version(Case, case.pk, version)
    case = Case.objects.select_for_update().get(pk=case.pk)
    for name, value in data.items():
        setattr(case, name, value)
    case.address_key = keys.address_key(
        case.postcode, case.house_number, case.house_number_addition
    )
    case._history_user = by  # type: ignore[attr-defined]
    case.save()
    return case


# --- Persons (corrections by the case team; rectification under AVG art. 16) ----------

PERSON_FIELDS = frozenset(
    {"first_name", "last_name", "date_of_birth", "phone", "notes", "consents_to_contact"}
)


@transaction.atomic
def person_update(*, person: Person, by: User, data: dict[str, Any]) -> Person:
    """Correct a person's details; the history keeps the old values, the keyed hash follows."""
    person = Person.objects.select_for_update().select_related("case").get(pk=person.pk)
    if not access.may_edit_case_details(by, person.case):
        raise PermissionError("Only the case team corrects persons")
    if person.erased_at is not None:
        raise ValueError("An erased person cannot be changed")
    unknown = set(data) - PERSON_FIELDS
    if unknown:
        raise ValueError(f"Not editable here: {sorted(unknown)}")
    if not (data.get("last_name", person.last_name) or "").strip():
        raise ValueError("A person needs a last name")
    for name, value in data.items():
        setattr(person, name, value)
    person.person_key = keys.person_key(person.first_name, person.last_name, person.date_of_birth)
    person._history_user = by  # type: ignore[attr-defined]
    person.save()
    return person
