"""Every read of early signals, in a fixed number of queries per page."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from cases.models import Case
from partners.access import AnyUser
from partners.models import Network

from . import access
from .choices import NoteKind, SignalStatus
from .models import Signal, SignalNote

OPEN = (SignalStatus.OPEN, SignalStatus.REFERRAL_INVITED)
_RELATED = ("organisation", "district", "network", "lawful_basis")


@dataclass
class NetworkSignals:
    network: Network | None
    signals: list[Signal] = field(default_factory=list)


def open_signals_per_network(*, network_id: int | None = None) -> list[NetworkSignals]:
    """The coordinator's list: open signals grouped per network (one query), each with
    the number of signals in its linked group."""
    signals = (
        Signal.objects.filter(status__in=OPEN)
        .select_related(*_RELATED)
        .annotate(linked_count=Count("linked", distinct=True))
        .order_by("network__name", "postcode", "house_number", "created_at", "pk")
    )
    if network_id is not None:
        signals = signals.filter(network_id=network_id)
    groups: dict[int | None, NetworkSignals] = {}
    for signal in signals:
        group = groups.setdefault(signal.network_id, NetworkSignals(network=signal.network))
        group.signals.append(signal)
    return list(groups.values())


def finished_signals(*, limit: int = 50) -> list[Signal]:
    """The coordinator's list: the most recently closed or referred signals."""
    return list(
        Signal.objects.exclude(status__in=OPEN)
        .select_related(*_RELATED, "case")
        .order_by("-updated_at", "-pk")[:limit]
    )


def networks_with_open_signals() -> QuerySet[Network]:
    return Network.objects.filter(is_active=True).order_by("name")


def signals_of_organisation(*, user: AnyUser) -> list[Signal]:
    """The signalling organisation's own signals (its users see nothing else)."""
    if access.may_handle_signals(user):
        return []
    return list(
        access.visible_signals(user).select_related(*_RELATED).order_by("-created_at", "-pk")
    )


def notes_for(*, signal: Signal, user: AnyUser) -> list[SignalNote]:
    """The coordinator reads every note; the signalling organisation only the advice."""
    notes = signal.notes.select_related("written_by")
    if not access.may_handle_signals(user):
        notes = notes.filter(kind=NoteKind.ADVICE)
    return list(notes)


def linked_signals(*, signal: Signal) -> list[Signal]:
    """The other signals in the signal's linked group (for the coordinator only)."""
    root = signal.group_id
    return list(
        Signal.objects.filter(Q(pk=root) | Q(linked_to_id=root))
        .exclude(pk=signal.pk)
        .select_related(*_RELATED)
        .order_by("created_at", "pk")
    )


def same_address_candidates(*, signal: Signal) -> QuerySet[Signal]:
    """Signals on the same address not yet linked to this one (for the coordinator)."""
    root = signal.group_id
    return (
        Signal.objects.filter(
            postcode=signal.postcode,
            house_number=signal.house_number,
            house_number_addition__iexact=signal.house_number_addition,
        )
        .exclude(Q(pk=root) | Q(linked_to_id=root))
        .select_related("organisation")
        .order_by("created_at", "pk")
    )


def signals_for_case(*, case: Case) -> list[Signal]:
    """The signals that are part of the case (for its case team at intake)."""
    return list(
        Signal.objects.filter(case=case)
        .select_related(*_RELATED, "signalled_by")
        .order_by("created_at", "pk")
    )


def signal_figures(
    *, start: datetime.date, end: datetime.date, network_id: int | None = None
) -> list[dict[str, Any]]:
    """Per network: the signals recorded in the period still held, and how many of them
    became part of a referral."""
    signals = Signal.objects.filter(created_at__date__range=(start, end))
    if network_id is not None:
        signals = signals.filter(network_id=network_id)
    rows = (
        signals.values("network__name")
        .annotate(
            recorded=Count("pk"),
            referred=Count("pk", filter=Q(status=SignalStatus.IN_CASE)),
        )
        .order_by("network__name")
    )
    return [dict(row) for row in rows]


def open_signals(*, user: AnyUser) -> QuerySet[Signal]:
    """The open signals the user may see (open or referral invited), oldest first: the
    coordinator's dashboard counts them."""
    return (
        access.visible_signals(user)
        .filter(status__in=OPEN)
        .select_related(*_RELATED)
        .order_by("created_at", "pk")
    )
