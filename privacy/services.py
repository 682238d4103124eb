"""Every write of the privacy app: data-subject requests (AVG art. 12, 15–18) and retention.

Plain functions, keyword-only, the acting user as `by`. The mechanics of removing data live
in `privacy/anonymise.py`; the export itself in `privacy/export.py` (run by a Celery task).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, ProtectedError, Q, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone

from audit import readlog
from cases import purge
from cases.domain.workflow import TERMINAL_STATUSES
from cases.models import Case, Document, Person, Referral
from deadlines import kinds
from deadlines import services as deadlines
from notifications.choices import Event
from notifications.models import Notification
from notifications.services import notify
from partners.models import User

from . import anonymise, ledger, selectors
from .deadline_kinds import ANSWER_MONTHS, DATA_SUBJECT_REQUEST, EXTENSION_MONTHS
from .history import system_actor
from .models import (
    DataSubjectRequest,
    ExportReview,
    ExportState,
    RequestKind,
    RequestStatus,
    RetentionLogEntry,
)
from .tasks import access_export

logger = logging.getLogger(__name__)


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


# --- Access export -------------------------------------------------------------------------


@transaction.atomic
def export_start(*, request: DataSubjectRequest, by: User) -> DataSubjectRequest:
    """Queue the access export (Celery); the page polls `task_state` / `task_progress`."""
    request = _locked(request)
    if request.kind != RequestKind.ACCESS:
        raise RequestRefused("Only an access request has an export")
    _require_open(request)
    if request.task_state in (ExportState.QUEUED, ExportState.RUNNING):
        return request
    request.task_state = ExportState.QUEUED
    request.task_progress = 0
    request.task_error = ""
    request.task_queued_at = timezone.now()
    request.status = RequestStatus.IN_PROGRESS
    request.save(
        update_fields=["task_state", "task_progress", "task_error", "task_queued_at", "status"]
    )
    pk = request.pk
    transaction.on_commit(lambda: _queue_export(pk))
    return request


@transaction.atomic
def export_review_record(
    *, request: DataSubjectRequest, by: User, withhold: Iterable[str], note: str = ""
) -> ExportReview:
    """Record the officer's review of the passages about others: which are withheld (keys
    "journal:<id>" / "referral:<id>" from `selectors.export_review_candidates`). The export
    produced after this review is the one released; what was withheld is kept by kind, id
    and date/organisation, without the text."""
    request = _locked(request)
    if request.kind != RequestKind.ACCESS:
        raise RequestRefused("Only an access request has an export")
    _require_open(request)
    candidates = {row["key"]: row for row in selectors.export_review_candidates(request=request)}
    chosen = list(dict.fromkeys(withhold))
    unknown = set(chosen) - candidates.keys()
    if unknown:
        raise RequestRefused("Only passages of this export can be withheld")
    return ExportReview.objects.create(
        request=request,
        reviewed_by=by,
        withheld=[
            {
                "kind": candidates[key]["kind"],
                "id": candidates[key]["id"],
                "what": f"{candidates[key]['case_number'] or ''} {candidates[key]['what']}".strip(),
            }
            for key in chosen
        ],
        note=note.strip(),
    )


def _queue_export(pk: int) -> None:
    """Queue the export task; with the broker away the request stays queued (its page says
    so) and `exports_requeue_stuck` (beat) queues it again later."""
    try:
        result = access_export.delay(pk)
    except Exception:
        logger.exception("access export not queued request=%s", pk)
        return
    DataSubjectRequest.objects.filter(pk=pk).update(task_id=result.id or "")


# An export takes seconds to a minute; one still queued or running this long after it was
# queued lost its task (broker away when it was queued, or the message lost with its worker).
EXPORT_STUCK_AFTER = datetime.timedelta(minutes=15)


def exports_requeue_stuck(*, older_than: datetime.timedelta | None = None) -> int:
    """Queue again every access export still waiting `older_than` after it was queued. Safe
    when the first task was not lost after all (`export.run` keeps one result only)."""
    cutoff = timezone.now() - (older_than if older_than is not None else EXPORT_STUCK_AFTER)
    pks = list(
        DataSubjectRequest.objects.filter(
            task_state__in=[ExportState.QUEUED, ExportState.RUNNING], task_queued_at__lt=cutoff
        )
        .order_by("task_queued_at")
        .values_list("pk", flat=True)[:1000]
    )
    for pk in pks:
        _queue_export(pk)
    if pks:
        logger.warning("access exports requeued count=%s", len(pks))
    return len(pks)


# --- Retention -----------------------------------------------------------------------------


def retention_apply(*, case: Case) -> RetentionLogEntry | None:
    """Anonymise one expired case, once: a second run (or a parallel one) skips it."""

    with transaction.atomic(), system_actor("retention"):
        locked = (
            selectors.retention_due()
            .select_for_update(skip_locked=True, of=("self",))
            .filter(pk=case.pk)
            .first()
        )
        if locked is None:
            return None
        counts = anonymise.anonymise_case(locked)
        Case.objects.filter(pk=locked.pk).update(anonymised_at=timezone.now())
        _retention_deadline_met(locked)
        entry = RetentionLogEntry.objects.create(
            case=locked, case_number=locked.number or "", closed_on=locked.closed_on, counts=counts
        )
    logger.info("retention case=%s counts=%s", locked.pk, counts)
    return entry


def _retention_deadline_met(case: Case) -> None:
    """The registry's retention deadline of the case (when one was opened) is met now."""

    deadlines.deadline_meet(kind=kinds.RETENTION, case=case)


def retention_run(*, today: datetime.date | None = None, limit: int | None = None) -> int:
    """Anonymise every expired case (each in its own transaction). Returns how many."""
    done = 0
    for case in list(
        selectors.retention_due(today)[:limit] if limit else selectors.retention_due(today)
    ):
        if retention_apply(case=case) is not None:
            done += 1
    return done


def retention_daily(*, today: datetime.date | None = None) -> dict[str, int]:
    """The daily job: cases past retention, keyed hashes past the recidivism window, drafts
    to announce and drafts to delete, and the data feature apps keep outside any case (early
    signals: `cases.purge.retention_sources`). Returns the counts per part."""
    counts = {
        "cases": retention_run(today=today),
        "keys": recidivism_keys_purge(today=today),
        "draft_notices": draft_purge_notify(today=today),
        "drafts": draft_purge(today=today),
    }
    for source in purge.retention_sources():
        with system_actor("retention"):
            counts[source.name] = source.purge(today=today)
    return counts


# --- Keyed hashes (recidivism) ---------------------------------------------------------------


def recidivism_keys_cutoff(today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    cutoff: datetime.date = today - relativedelta(years=settings.RECIDIVISM_YEARS)
    return cutoff


def recidivism_keys_due(today: datetime.date | None = None) -> Any:
    """Finished cases whose recidivism window has passed and that still hold a keyed hash
    (on the case or on one of its persons)."""

    person_keys = Person.objects.filter(case=OuterRef("pk")).exclude(person_key="")
    return (
        Case.objects.filter(
            status__in=TERMINAL_STATUSES,
            closed_on__isnull=False,
            closed_on__lte=recidivism_keys_cutoff(today),
        )
        .filter(~Q(address_key="") | Exists(person_keys))
        .order_by("closed_on", "pk")
    )


def recidivism_keys_purge(*, today: datetime.date | None = None) -> int:
    """Delete the keyed hashes of cases past the recidivism window, in the tables and in
    their history tables: they are pseudonymous personal data, kept only for the check.
    Returns the number of cases. Safe to run twice."""

    case_ids = list(recidivism_keys_due(today).values_list("pk", flat=True))
    if not case_ids:
        return 0
    with transaction.atomic(), system_actor("retention"):
        # Plain UPDATEs: no history row of their own (the history rows are cleaned below).
        Case.objects.filter(pk__in=case_ids).update(address_key="")
        Case.history.model.objects.filter(id__in=case_ids).update(address_key="")
        Person.objects.filter(case_id__in=case_ids).update(person_key="")
        Person.history.model.objects.filter(case_id__in=case_ids).update(person_key="")
    logger.info("retention keys cases=%s", len(case_ids))
    return len(case_ids)


# --- Draft referrals never submitted ----------------------------------------------------------


def _draft_cutoff(days: int, today: datetime.date | None) -> datetime.datetime:
    today = today or timezone.localdate()
    day = today - datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.max))


def drafts_to_notify(today: datetime.date | None = None) -> Any:
    """Drafts that go within the notice period (last changed that long ago)."""

    days = settings.DRAFT_RETENTION_DAYS - settings.DRAFT_PURGE_NOTICE_DAYS
    return (
        Referral.objects.filter(
            submitted_at__isnull=True,
            case__status="draft",
            updated_at__lte=_draft_cutoff(days, today),
        )
        .select_related("referrer")
        .order_by("updated_at", "pk")
    )


def _notice_key(referral: Any) -> str:
    # Per version: a draft changed after a notice gets a fresh period and a fresh notice.
    return f"draft_purge:{referral.pk}:{referral.version}"


def draft_purge_notify(*, today: datetime.date | None = None) -> int:
    """Tell each referrer, once per version of the draft, that it will be deleted."""

    sent = 0
    for referral in drafts_to_notify(today):
        goes_on = referral.updated_at.date() + datetime.timedelta(
            days=settings.DRAFT_RETENTION_DAYS
        )
        goes_on = max(
            goes_on,
            (today or timezone.localdate())
            + datetime.timedelta(days=settings.DRAFT_PURGE_NOTICE_DAYS),
        )
        sent += notify(
            recipients=[referral.referrer],
            event=Event.DRAFT_PURGE,
            key=_notice_key(referral),
            url=reverse("cases:my_referrals"),
            context={"date": goes_on},
        )
    return sent


def drafts_due(today: datetime.date | None = None) -> Any:
    """Drafts past their period whose referrer was told at least the notice period ago."""

    notice_before = _draft_cutoff(settings.DRAFT_PURGE_NOTICE_DAYS, today)
    told = Notification.objects.filter(
        key=Concat(
            Value("draft_purge:"),
            Cast(OuterRef("pk"), CharField()),
            Value(":"),
            Cast(OuterRef("version"), CharField()),
        ),
        created_at__lte=notice_before,
    )
    return (
        drafts_to_notify(today)
        .filter(updated_at__lte=_draft_cutoff(settings.DRAFT_RETENTION_DAYS, today))
        .filter(Exists(told))
    )


def draft_purge(*, today: datetime.date | None = None) -> int:
    """Delete every due draft with its persons and all their history rows. Returns how many."""

    done = 0
    for referral in list(drafts_due(today)):
        with transaction.atomic():
            locked = (
                drafts_due(today)
                .select_for_update(skip_locked=True, of=("self",))
                .filter(pk=referral.pk)
                .first()
            )
            if locked is None:
                continue
            case_id = locked.case_id
            person_ids = list(Person.objects.filter(case_id=case_id).values_list("pk", flat=True))
            try:
                with transaction.atomic():
                    # Feature apps give back what the draft held (early signals).
                    purge.draft_releases_run(case=locked.case)
                    Person.objects.filter(pk__in=person_ids).delete()
                    Referral.objects.filter(case_id=case_id).delete()
                    Case.objects.filter(pk=case_id).delete()
            except ProtectedError:
                logger.warning("retention draft case=%s kept: other records refer to it", case_id)
                continue
            Person.history.model.objects.filter(id__in=person_ids).delete()
            Referral.history.model.objects.filter(case_id=case_id).delete()
            Case.history.model.objects.filter(id=case_id).delete()
            done += 1
    if done:
        logger.info("retention drafts deleted=%s", done)
    return done
