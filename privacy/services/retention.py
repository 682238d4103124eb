"""Retention: closed cases anonymised when their period ends, keyed hashes for the recidivism
check purged after three years, draft referrals never submitted notified and purged."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, ProtectedError, Q, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone

from cases import purge
from cases.domain.workflow import TERMINAL_STATUSES
from cases.models import Case, Person, Referral
from deadlines import kinds
from deadlines import services as deadlines
from notifications.choices import Event
from notifications.models import Notification
from notifications.services import notify

from .. import anonymise, selectors
from ..history import system_actor
from ..models import (
    RetentionLogEntry,
)

# --- Retention -----------------------------------------------------------------------------

logger = logging.getLogger(__name__)


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
        goes_on = timezone.localdate(referral.updated_at) + datetime.timedelta(
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
