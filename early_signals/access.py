"""Who sees and does what with early signals, and the one way a view loads a signal.

- The signalling organisation (its partner representatives and referrers) sees its own
  organisation's signals, their status, the coordinator's advice and the outcome; never
  another organisation's signal, nor that one exists (no link, no count, no hint).
- The coordinator sees every signal, per network, with notes, the links between signals on
  the same address, and handles them (note, advice, link, invite a referral, close).
- A signal that became part of a case follows the case: the case team sees it at intake
  (`views.intake_panel`, inside the intake page's access), and it goes with the case.
- Everyone else: 404 (the signal does not exist for them).

    signal = access_signal(request, pk, section=Section.DETAIL)
"""

from __future__ import annotations

import enum

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest

from audit import readlog
from audit.readlog import Basis, ReadBasis, ReadWhat
from cases.access import may_coordinate
from partners.access import AnyUser, has_role, may
from partners.choices import Role
from partners.models import User

from .models import Signal

SIGNALLING_ROLES = (Role.PARTNER_REPRESENTATIVE, Role.REFERRER)


def may_record_signal(user: AnyUser) -> bool:
    """Partner representatives and referrers signal for their organisation."""
    return (
        isinstance(user, User)
        and user.organisation_id is not None
        and has_role(user, *SIGNALLING_ROLES)
    )


def may_handle_signals(user: AnyUser) -> bool:
    """The coordinator: every signal, and the steps on it."""
    return may_coordinate(user)


def may_use_signals(user: AnyUser) -> bool:
    """The signals page exists for those who signal and for the coordinator."""
    return may_handle_signals(user) or may_record_signal(user)


def visible_signals(user: AnyUser) -> QuerySet[Signal]:
    """The coordinator: all; a signalling organisation's users: their organisation's."""
    if may_handle_signals(user):
        return Signal.objects.all()
    if may_record_signal(user) and isinstance(user, User) and user.organisation_id is not None:
        return Signal.objects.filter(organisation_id=user.organisation_id)
    return Signal.objects.none()


def may_start_referral(user: AnyUser, signal: Signal) -> bool:
    """Start the referral the coordinator invited: a referrer (or a coordinator, on the
    organisation's behalf) while the invitation is open."""
    return may(user, "cases.refer_case") and signal.case_id is None


class Section(enum.Enum):
    DETAIL = "detail"  # the signal page: the coordinator and the signalling organisation
    HANDLE = "handle"  # note, advice, link, invite, close: the coordinator (others 403)
    REFER = "refer"  # start the invited referral: a referrer of the organisation (else 403)


def _basis(user: AnyUser) -> Basis:
    if may_handle_signals(user):
        return Basis(ReadBasis.COORDINATOR)
    return Basis(ReadBasis.SIGNALLING_ORGANISATION)


def list_basis(user: AnyUser) -> Basis:
    """The basis of the read-log row of the signals list."""
    return _basis(user)


def access_signal(request: HttpRequest, pk: int, *, section: Section) -> Signal:
    """Signal `pk` for this user and section: Http404 when the user may not see it,
    PermissionDenied for a step their role may not take. The signal page writes its
    read-log row (the signal's id, and its case once it is part of one)."""
    user = request.user
    signal = (
        visible_signals(user)
        .select_related("organisation", "district", "network", "lawful_basis", "case")
        .filter(pk=pk)
        .first()
    )
    if signal is None:
        raise Http404
    if section is Section.HANDLE and not may_handle_signals(user):
        raise PermissionDenied
    if section is Section.REFER and not may_start_referral(user, signal):
        raise PermissionDenied
    if section is Section.DETAIL:
        readlog.record(
            request,
            what=ReadWhat.EARLY_SIGNAL,
            basis=_basis(user),
            case_id=signal.case_id,
            object_id=signal.pk,
        )
    return signal
