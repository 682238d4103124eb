"""Data-subject requests (AVG art. 12, 15–18): registered, extended, completed or refused, with
their answer deadline; restriction of processing."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from cases.models import Person
from deadlines import services as deadlines
from partners.models import User

from .. import selectors
from ..deadline_kinds import ANSWER_MONTHS, DATA_SUBJECT_REQUEST, EXTENSION_MONTHS
from ..models import (
    DataSubjectRequest,
    ExportState,
    RequestKind,
    RequestStatus,
)


class RequestRefused(Exception):  # noqa: N818 - a refusal shown to the user
    """The step is not possible for this request (wrong kind, already decided, …)."""


def _deadline_open(request: DataSubjectRequest, *, extended: bool = False) -> None:

    if extended:
        deadlines.deadline_lapse(kind=DATA_SUBJECT_REQUEST, subject=request)
    deadlines.deadline_open(
        kind=DATA_SUBJECT_REQUEST,
        subject=request,
        started_on=request.received_on,
        amount=ANSWER_MONTHS + (EXTENSION_MONTHS if extended else 0),
    )


def _deadline_meet(request: DataSubjectRequest) -> None:

    deadlines.deadline_meet(kind=DATA_SUBJECT_REQUEST, subject=request)


@transaction.atomic
def request_register(
    *,
    person: Person,
    kind: RequestKind | str,
    received_on: datetime.date,
    by: User,
    requester_name: str = "",
    requester_contact: str = "",
    notes: str = "",
) -> DataSubjectRequest:
    if received_on > timezone.localdate():
        raise RequestRefused("A request cannot be received in the future")
    if person.erased_at is not None:
        raise RequestRefused("This person has been erased")
    request = DataSubjectRequest.objects.create(
        kind=RequestKind(kind),
        person=person,
        received_on=received_on,
        requester_name=requester_name,
        requester_contact=requester_contact,
        notes=notes,
        registered_by=by,
    )
    _deadline_open(request)
    return request


def _locked(request: DataSubjectRequest) -> DataSubjectRequest:
    return DataSubjectRequest.objects.select_for_update().get(pk=request.pk)


def _require_open(request: DataSubjectRequest) -> None:
    if request.status in (RequestStatus.COMPLETED, RequestStatus.REFUSED):
        raise RequestRefused("This request has been decided already")


@transaction.atomic
def request_extend(*, request: DataSubjectRequest, reason: str, by: User) -> DataSubjectRequest:
    """Extend the deadline once by two months; the reason is required (AVG art. 12(3))."""
    request = _locked(request)
    _require_open(request)
    if request.is_extended:
        raise RequestRefused("The deadline can be extended only once")
    if not reason.strip():
        raise RequestRefused("An extension needs a reason")
    request.extension_reason = reason
    if request.status == RequestStatus.RECEIVED:
        request.status = RequestStatus.IN_PROGRESS
    request.save(update_fields=["extension_reason", "status"])
    _deadline_open(request, extended=True)
    return request


def _decide(request: DataSubjectRequest, status: RequestStatus, reason: str) -> None:
    request.status = status
    request.decision_reason = reason
    request.decided_on = timezone.localdate()
    request.save()
    _deadline_meet(request)


@transaction.atomic
def request_complete(
    *, request: DataSubjectRequest, by: User, reason: str = "", rectification: str = ""
) -> DataSubjectRequest:
    """Close an access, rectification or objection request. A rectification records what
    was changed (the change itself went through the normal forms; history keeps the old)."""
    request = _locked(request)
    _require_open(request)
    if request.kind in (RequestKind.ERASURE, RequestKind.RESTRICTION):
        raise RequestRefused("Erasure and restriction are completed by carrying them out")
    if request.kind == RequestKind.RECTIFICATION and not rectification.strip():
        raise RequestRefused("Record what was rectified")
    if request.kind == RequestKind.ACCESS and request.task_state != ExportState.DONE:
        raise RequestRefused("Produce the export first")
    request.rectification = rectification
    _decide(request, RequestStatus.COMPLETED, reason)
    return request


@transaction.atomic
def request_refuse(*, request: DataSubjectRequest, by: User, reason: str) -> DataSubjectRequest:
    """Refuse (for example: erasure not allowed while the case is open); reason required."""
    request = _locked(request)
    _require_open(request)
    if not reason.strip():
        raise RequestRefused("A refusal needs a reason")
    _decide(request, RequestStatus.REFUSED, reason)
    return request


same_person = selectors.same_person  # callers of services keep working


@transaction.atomic
def person_restrict(*, request: DataSubjectRequest, by: User, reason: str) -> DataSubjectRequest:
    """Restriction (AVG art. 18): the data stays, partners no longer see the person."""
    request = _locked(request)
    _require_open(request)
    if request.kind != RequestKind.RESTRICTION:
        raise RequestRefused("Not a restriction request")
    if not reason.strip():
        raise RequestRefused("Record the reason for the restriction")
    for person in same_person(request.person):
        person.is_restricted = True
        person._history_user = by  # type: ignore[attr-defined]
        person._change_reason = "restriction"  # type: ignore[attr-defined]
        person.save(update_fields=["is_restricted"])
    _decide(request, RequestStatus.COMPLETED, reason)
    return request
