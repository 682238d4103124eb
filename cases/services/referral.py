"""Referrals (drafts, their submission is a transition) and the recidivism check."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Q

from partners.models import Organisation, User

from .. import access, keys
from ..choices import (
    CaseStatus,
    RecidivismDecision,
)
from ..models import (
    Case,
    Person,
    RecidivismMatch,
    Referral,
)
from ..selectors import earlier_cases_for
from .common import _today, bump_version
from .intake import _require_intake

# --- Referral ------------------------------------------------------------------------


@transaction.atomic
def referral_start(*, by: User, organisation: Organisation | None = None) -> Referral:
    """A new draft referral (and its draft case) for the user's organisation."""
    organisation = organisation or by.organisation
    if organisation is None:
        raise PermissionError("Only members of an organisation may refer")
    case = Case.objects.create(status=CaseStatus.DRAFT, created_by=by)
    return Referral.objects.create(
        case=case, organisation=organisation, referrer=by, contact_name=by.get_full_name()
    )


@transaction.atomic
def referral_update(
    *,
    referral: Referral,
    by: User,
    version: int,
    referral_data: dict[str, Any],
    case_data: dict[str, Any],
    persons: list[dict[str, Any]],
) -> Referral:
    """Save the referral form (draft or not). Persons are replaced by what the form holds."""
    bump_version(Referral, referral.pk, version)
    referral.refresh_from_db()
    for name, value in referral_data.items():
        setattr(referral, name, value)
    referral._history_user = by  # type: ignore[attr-defined]
    referral.save()
    case = referral.case
    for name, value in case_data.items():
        setattr(case, name, value)
    case.address_key = keys.address_key(
        case.postcode, case.house_number, case.house_number_addition
    )
    district = case.district if case.district_id else None
    if district is not None and (not case.network_id or case.status == CaseStatus.DRAFT):
        # While a draft, the network follows the district the referrer chose.
        case.network = district.networks.filter(is_active=True).first()
    elif case.status == CaseStatus.DRAFT:
        case.network = None
    case._history_user = by  # type: ignore[attr-defined]
    case.save()
    kept: list[int] = []
    for data in persons:
        pk = data.pop("id", None)
        person = case.persons.filter(pk=pk).first() if pk else None
        person = person or Person(case=case)
        for name, value in data.items():
            setattr(person, name, value)
        person.person_key = keys.person_key(
            person.first_name, person.last_name, person.date_of_birth
        )
        person._history_user = by  # type: ignore[attr-defined]
        person.save()
        kept.append(person.pk)
    if case.status == CaseStatus.DRAFT:
        case.persons.exclude(pk__in=kept).delete()
    return referral


@transaction.atomic
def recidivism_check(*, case: Case) -> list[RecidivismMatch]:
    """At submission: the earlier cases on the same person or address, closed within the
    window before the referral, with the same kind of nuisance. A person match counts at once;
    an address match alone waits for the coordinator (`recidivism_decide`)."""

    on_person = {c.pk for c in earlier_cases_for(case=case, on_person_only=True)}
    matches = [
        RecidivismMatch.objects.get_or_create(
            case=case, earlier=earlier, defaults={"on_person": earlier.pk in on_person}
        )[0]
        for earlier in earlier_cases_for(case=case, same_nuisance_only=True)
    ]
    _repeat_referral_sync(case)
    return matches


def _repeat_referral_sync(case: Case) -> None:
    """`is_repeat_referral` (what figures count) follows the matches that count."""
    is_repeat = (
        RecidivismMatch.objects.filter(case=case)
        .filter(Q(on_person=True) | Q(decision=RecidivismDecision.CONFIRMED))
        .exists()
    )
    if case.is_repeat_referral != is_repeat:
        case.is_repeat_referral = is_repeat
        case.save(update_fields=["is_repeat_referral", "updated_at"])


@transaction.atomic
def recidivism_decide(
    *, match: RecidivismMatch, confirmed: bool, reason: str, by: User
) -> RecidivismMatch:
    """The coordinator confirms (the same household) or rejects (another household now lives
    at the address) a possible repeat found on the address alone, with a reason."""
    if not access.may_coordinate(by):
        raise PermissionError("Only a coordinator confirms or rejects a possible repeat")
    match = RecidivismMatch.objects.select_for_update().select_related("case").get(pk=match.pk)
    _require_intake(match.case)
    if match.on_person:
        raise ValueError("A match on the same person counts as it is")
    if not reason.strip():
        raise ValueError("Confirming or rejecting a possible repeat needs a reason")
    match.decision = RecidivismDecision.CONFIRMED if confirmed else RecidivismDecision.REJECTED
    match.reason, match.decided_by, match.decided_on = reason, by, _today()
    match._history_user = by  # type: ignore[attr-defined]
    match.save()
    case = match.case
    case._history_user = by  # type: ignore[attr-defined]
    _repeat_referral_sync(case)
    return match
