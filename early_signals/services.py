"""Every write of early signals: `signal_record`, `signal_note_add`, `signal_link`,
`signal_invite_referral`, `signal_referral_start`, `signal_close`; the case hooks
(`signals_attach_to_case` at a referral's submission, `signals_purge_for_case` when a case's
data goes) and retention (`retention_purge`, run by privacy's daily job)."""

from __future__ import annotations

import datetime
import logging
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import services as case_services
from cases.choices import NuisanceForm
from cases.models import Case, Referral
from partners.models import District, User

from . import access, domain
from .choices import NoteKind, SignalOutcome, SignalStatus
from .models import Signal, SignalNote

logger = logging.getLogger(__name__)

OPEN_STATUSES = (SignalStatus.OPEN, SignalStatus.REFERRAL_INVITED)


def _require_coordinator(by: User) -> None:
    if not access.may_handle_signals(by):
        raise PermissionDenied(_("Only a coordinator handles early signals."))


def _save(signal: Signal, by: User | None, fields: list[str]) -> None:
    signal._history_user = by  # type: ignore[attr-defined]
    signal.save(update_fields=[*fields, "updated_at"])


@transaction.atomic
def signal_record(
    *,
    postcode: str,
    house_number: int,
    house_number_addition: str,
    district: District | None,
    nuisance_forms: list[str],
    nuisance_since: datetime.date | None,
    own_actions: str,
    note: str,
    lawful_basis: Any,
    data_category: str,
    consent_date: datetime.date | None,
    basis_motivation: str,
    by: User,
) -> Signal:
    """A partner representative or referrer signals an address for their organisation."""
    if not access.may_record_signal(by) or by.organisation is None:
        raise PermissionDenied(_("You may not record early signals."))
    network = district.networks.filter(is_active=True).first() if district else None
    signal = Signal(
        organisation=by.organisation,
        signalled_by=by,
        postcode=postcode,
        house_number=house_number,
        house_number_addition=house_number_addition,
        district=district,
        network=network,
        nuisance_forms=[NuisanceForm(form).value for form in nuisance_forms],
        nuisance_since=nuisance_since,
        own_actions=own_actions,
        note=note,
        lawful_basis=lawful_basis,
        data_category=data_category,
        consent_date=consent_date,
        basis_motivation=basis_motivation,
    )
    signal._history_user = by  # type: ignore[attr-defined]
    signal.save()
    return signal


@transaction.atomic
def signal_note_add(*, signal: Signal, kind: str, text: str, by: User) -> SignalNote:
    """A note for the coordinators, or advice the signalling organisation reads."""
    _require_coordinator(by)
    if not text.strip():
        raise ValidationError({"text": _("Write the note or the advice.")})
    note = SignalNote.objects.create(signal=signal, kind=NoteKind(kind), text=text, written_by=by)
    _save(signal, by, [])
    return note


def _group(signal: Signal) -> QuerySet[Signal]:
    root = signal.group_id
    return Signal.objects.filter(Q(pk=root) | Q(linked_to_id=root))


@transaction.atomic
def signal_link(*, signal: Signal, other: Signal, by: User) -> Signal:
    """Link `other` (and the signals linked to it) to the group of `signal`: the coordinator
    sees them together; no signalling organisation learns of the others."""
    _require_coordinator(by)
    if signal.group_id == other.group_id:
        raise ValidationError(_("These signals are linked already."))
    root = signal.group_id
    for member in list(_group(other).select_for_update()):
        member.linked_to_id = None if member.pk == root else root
        _save(member, by, ["linked_to"])
    if signal.pk != root:
        signal.refresh_from_db()
    return signal


@transaction.atomic
def signal_invite_referral(*, signal: Signal, advice: str, by: User) -> Signal:
    """The coordinator invites the signalling organisation to refer the address; the
    referral form then starts filled in from the signal (`signal_referral_start`)."""
    _require_coordinator(by)
    signal = Signal.objects.select_for_update().get(pk=signal.pk)
    if signal.status != SignalStatus.OPEN:
        raise ValidationError(_("Only an open signal can lead to an invitation to refer."))
    signal.status = SignalStatus.REFERRAL_INVITED
    signal.invited_at = timezone.now()
    _save(signal, by, ["status", "invited_at"])
    if advice.strip():
        SignalNote.objects.create(signal=signal, kind=NoteKind.ADVICE, text=advice, written_by=by)
    return signal


def _take_into_case(signals: QuerySet[Signal], case: Case, by: User | None) -> int:
    done = 0
    for member in list(signals.select_for_update()):
        member.case = case
        member.status = SignalStatus.IN_CASE
        member.outcome = SignalOutcome.REFERRED
        _save(member, by, ["case", "status", "outcome"])
        done += 1
    return done


@transaction.atomic
def signal_referral_start(*, signal: Signal, by: User) -> Referral:
    """A draft referral for the signal's organisation, filled in from the signal: address,
    district, forms of nuisance, since when, what the organisation did and the description.
    The signal and those linked to it become part of the referral's case."""
    signal = Signal.objects.select_for_update().get(pk=signal.pk)
    if signal.status != SignalStatus.REFERRAL_INVITED or signal.case_id is not None:
        raise ValidationError(_("A referral can be started only from an invitation to refer."))
    referral = case_services.referral_start(by=by, organisation=signal.organisation)
    case_services.referral_update(
        referral=referral,
        by=by,
        version=referral.version,
        referral_data={
            "nuisance_forms": list(signal.nuisance_forms),
            "nuisance_since": signal.nuisance_since,
            "description": signal.note,
            "actions_taken": signal.own_actions,
        },
        case_data={
            "postcode": signal.postcode,
            "house_number": signal.house_number,
            "house_number_addition": signal.house_number_addition,
            "district": signal.district,
        },
        persons=[],
    )
    _take_into_case(_group(signal), referral.case, by)
    return referral


def signals_attach_to_case(*, case: Case, by: Any) -> None:
    """At a referral's submission: the open signals on its address (and those linked to
    them) become part of the case, which the case team sees at intake."""
    if case.house_number is None or not case.postcode:
        return
    same_address = Signal.objects.filter(
        case__isnull=True,
        status__in=OPEN_STATUSES,
        postcode=case.postcode,
        house_number=case.house_number,
        house_number_addition__iexact=case.house_number_addition,
    )
    roots = {signal.group_id for signal in same_address}
    if roots:
        members = Signal.objects.filter(
            Q(pk__in=roots) | Q(linked_to_id__in=roots), case__isnull=True
        )
        _take_into_case(members, case, by if isinstance(by, User) else None)


def signals_move_to_case(*, case: Case, into: Case, by: Any) -> None:
    """A duplicate case is attached to an open case (intake "attach"): its signals become
    part of the open case, whose team sees them from then on."""
    _take_into_case(Signal.objects.filter(case=case), into, by if isinstance(by, User) else None)


@transaction.atomic
def signals_release_from_draft(*, case: Any) -> int:
    """A draft referral started from a signal is deleted before it was submitted: its
    signals are no longer part of a case. An invited signal is invited again (the
    organisation may start the referral once more), any other is open again; the outcome
    "referred" goes."""
    released = 0
    for member in list(Signal.objects.filter(case=case).select_for_update()):
        member.case = None
        member.status = SignalStatus.REFERRAL_INVITED if member.invited_at else SignalStatus.OPEN
        member.outcome = ""
        _save(member, None, ["case", "status", "outcome"])
        released += 1
    return released


@transaction.atomic
def signal_close(*, signal: Signal, outcome: str, outcome_note: str, by: User) -> Signal:
    """The coordinator closes an open signal with its outcome (the signalling organisation
    sees the outcome and its explanation)."""
    _require_coordinator(by)
    signal = Signal.objects.select_for_update().get(pk=signal.pk)
    if signal.status not in OPEN_STATUSES:
        raise ValidationError(_("This signal is not open."))
    signal.status = SignalStatus.CLOSED
    signal.outcome = SignalOutcome(outcome)
    signal.outcome_note = outcome_note
    signal.closed_at = timezone.now()
    signal.closed_by = by
    _save(signal, by, ["status", "outcome", "outcome_note", "closed_at", "closed_by"])
    return signal


# --- Deletion: with the case, and after the retention period ---------------------------------


def _relink_around(signal_ids: list[int]) -> None:
    """Signals linked to a signal that goes stay linked to each other: the oldest one left
    becomes the first of the group and the others point at it."""
    groups: dict[int, list[Signal]] = {}
    for member in Signal.objects.filter(linked_to_id__in=signal_ids).exclude(pk__in=signal_ids):
        groups.setdefault(member.linked_to_id or 0, []).append(member)
    for members in groups.values():
        members.sort(key=lambda m: m.pk)
        root, rest = members[0], members[1:]
        root.linked_to = None
        _save(root, None, ["linked_to"])
        for member in rest:
            member.linked_to = root
            _save(member, None, ["linked_to"])


def _delete(signal_ids: list[int]) -> int:
    """Delete the signals, their notes and every history row of them."""
    if not signal_ids:
        return 0
    _relink_around(signal_ids)
    SignalNote.objects.filter(signal_id__in=signal_ids).delete()
    deleted, _rows = Signal.objects.filter(pk__in=signal_ids).delete()
    Signal.history.model.objects.filter(id__in=signal_ids).delete()
    return len(signal_ids)


def signals_purge_for_case(*, case: Any) -> int:
    """Retention of a case, and erasure of any person in it (privacy, through cases.purge):
    all the case's signals go. A signal is about an address, not about one person, and its
    free text (what was seen, what the organisation does, notes and advice) may name any
    member of the household without the name being known to the application; removing
    names from it cannot be done reliably, so the only safe way to honour an erasure is to
    delete the signals (with notes and history). The case holds what the approach needs."""
    ids = list(Signal.objects.filter(case=case).values_list("pk", flat=True))
    return _delete(ids)


def retention_months() -> int:
    return int(settings.EARLY_SIGNAL_RETENTION_MONTHS)


def retention_due(today: datetime.date | None = None) -> QuerySet[Signal]:
    """Signals not part of a case whose last change (closing, or the last follow-up) is past
    the period: closed ones and those nobody followed up."""
    today = today or timezone.localdate()
    cutoff = domain.retention_cutoff(today, retention_months())
    last_moment = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.max))
    return Signal.objects.filter(case__isnull=True, updated_at__lte=last_moment).order_by(
        "updated_at", "pk"
    )


def retention_rule() -> str:
    return _(
        "Early signals that did not become part of a case are deleted %(months)s months "
        "after their last change (closing or the last follow-up; "
        "EARLY_SIGNAL_RETENTION_MONTHS), with their notes and history; signals that became "
        "part of a case go with the case's personal data, and all of a case's signals are "
        "deleted when any person of that case is erased (their free text may name anyone "
        "of the household)."
    ) % {"months": retention_months()}


def retention_due_lines(*, today: datetime.date | None = None) -> list[str]:
    """For the dry run: one line per signal that goes (no address, no names)."""
    return [
        f"signal {signal.pk}  {signal.status}  last changed "
        f"{timezone.localtime(signal.updated_at).date().isoformat()}"
        for signal in retention_due(today)
    ]


def retention_purge(*, today: datetime.date | None = None) -> int:
    """Delete every signal past retention (the daily job; safe to run twice)."""
    with transaction.atomic():
        ids = list(
            retention_due(today).select_for_update(skip_locked=True).values_list("pk", flat=True)
        )
        done = _delete(ids)
    if done:
        logger.info("retention early signals deleted=%s", done)
    return done
