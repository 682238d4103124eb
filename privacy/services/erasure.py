"""Erasure (AVG art. 17): the person's data removed, recorded in the erasure ledger first so a
restore replays it; the replay itself."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from audit import readlog
from cases import purge
from cases.models import Case, Document, Person
from partners.models import User

from .. import anonymise, ledger
from ..history import system_actor
from ..models import (
    DataSubjectRequest,
    RequestKind,
    RequestStatus,
)
from ..selectors import same_person
from .requests import RequestRefused, _decide, _locked, _require_open

logger = logging.getLogger(__name__)


class ErasureNotRecorded(RequestRefused):
    """The erasure ledger could not be written: nothing was erased (privacy/ledger.py)."""


@transaction.atomic
def person_erase(
    *,
    request: DataSubjectRequest,
    by: User,
    reason: str,
    documents: Iterable[Document] = (),
) -> DataSubjectRequest:
    """Erasure (AVG art. 17): the person becomes a tombstone in every case they appear in.

    Their name and date of birth leave every free text of those cases and the history
    rows; the read log forgets them; the chosen documents (those about the person) are
    deleted from disk; their earlier exports go; the cached agenda and minutes PDFs of those
    cases' meetings are deleted (`cases.purge`: made again without them when asked for). The
    keyed hash stays (recidivism).

    Last, still inside the transaction, the erasure's ids go into the erasure ledger, which
    a restore from a backup replays (`erasure_replay`); when the ledger cannot be written
    nothing is erased (`ErasureNotRecorded`)."""
    request = _locked(request)
    _require_open(request)
    if request.kind != RequestKind.ERASURE:
        raise RequestRefused("Not an erasure request")
    if not reason.strip():
        raise RequestRefused("Record the reason for the erasure")
    persons = same_person(request.person)
    case_ids = {p.case_id for p in persons}
    chosen = [d for d in documents if d.case_id in case_ids]
    _erase(persons, chosen, by=by)
    request.refresh_from_db()
    _decide(request, RequestStatus.COMPLETED, reason)
    try:
        ledger.append(
            request=request.pk,
            persons=[p.pk for p in persons],
            documents=[d.pk for d in chosen],
            cases=case_ids,
        )
    except ledger.LedgerError as error:
        logger.error("erasure of request=%s not recorded: %s", request.pk, error)
        raise ErasureNotRecorded("The erasure ledger cannot be written") from error
    return request


def _erase(persons: list[Person], documents: list[Document], *, by: User | None) -> None:
    """The erasure itself (see `person_erase`); `by` None: the system actor of the block."""
    anonymise.clear_requests_of(persons)
    for person in persons:
        anonymise.remove_name_from_case(person)
        readlog.redact_for_person(person_id=person.pk)
    for document in documents:
        _erase_document(document)
    for person in persons:
        anonymise.tombstone_person(person, reason="erasure", by=by)
    for case in Case.objects.filter(pk__in={p.case_id for p in persons}).order_by("pk"):
        purge.case_purges_run(case=case)


# Stored on a request completed by a replay (shown to the privacy officer as its reason).
REPLAY_REASON = (
    "Verwijdering opnieuw uitgevoerd na het terugzetten van een back-up "
    "(grootboek van verwijderingen, %(at)s)."
)


def erasure_replay(*, entry: ledger.LedgerEntry) -> dict[str, int]:
    """Run one ledger entry's erasure again on a restored database, as the system actor.

    Idempotent: persons already erased, documents already emptied and requests already
    decided are left alone; ids the restored database does not know (made after the backup)
    are skipped. Returns what it did."""
    done = {"persons": 0, "documents": 0, "requests": 0}
    with transaction.atomic(), system_actor("erasure replay"):
        persons = list(
            Person.objects.select_for_update()
            .filter(pk__in=entry.persons, erased_at__isnull=True)
            .order_by("pk")
        )
        documents = [
            d
            for d in Document.objects.filter(pk__in=entry.documents).order_by("pk")
            if d.file or d.title != anonymise.TOMBSTONE_NAME
        ]
        if persons or documents:
            _erase(persons, documents, by=None)
        done["persons"], done["documents"] = len(persons), len(documents)
        if entry.request is not None:
            request = (
                DataSubjectRequest.objects.select_for_update().filter(pk=entry.request).first()
            )
            if request is not None and request.status not in (
                RequestStatus.COMPLETED,
                RequestStatus.REFUSED,
            ):
                _decide(
                    request,
                    RequestStatus.COMPLETED,
                    REPLAY_REASON % {"at": timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M")},
                )
                done["requests"] = 1
    logger.info("erasure replay request=%s done=%s", entry.request, done)
    return done


def _erase_document(document: Document) -> None:
    history = list(Document.history.model.objects.filter(id=document.pk))
    anonymise.delete_files([document.file] + [h.file for h in history if h.file])
    values = {"title": anonymise.TOMBSTONE_NAME, "file": "", "original_name": ""}
    Document.objects.filter(pk=document.pk).update(**values)
    Document.history.model.objects.filter(id=document.pk).update(**values)
