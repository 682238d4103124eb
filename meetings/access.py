"""Who may open a meeting and what it shows: one `access_meeting` call per view that raises
(Http404) and, for the cases a page shows, one read-log call.

- The coordinator opens every meeting and plans, prepares and minutes them.
- Casemanagers open every case meeting (they attend every item).
- A partner representative opens the case meetings their organisation is invited to, and
  sees only the items of cases their organisation is involved in or called for
  (`selectors.agenda_items_for_user`), and only once the agenda is published.
- A meeting member (the municipality's direction) opens the covenant meetings they are
  invited to, never a case meeting.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from audit import readlog
from audit.models import ReadBasis, ReadWhat
from audit.readlog import Basis
from partners.access import AnyUser, has_role
from partners.choices import Role
from partners.models import User

from . import selectors
from .models import AgendaItem, Bottleneck, Invitation, Meeting
from .services import may_send_apologies

MEETING_ROLES = (Role.COORDINATOR, Role.CASEMANAGER, Role.PARTNER_REPRESENTATIVE)


def may_open_meetings(user: AnyUser) -> bool:
    """The meetings page exists for those who take part in meetings."""
    return has_role(user, *MEETING_ROLES, Role.MEETING_MEMBER)


def may_plan_meetings(user: AnyUser) -> bool:
    return has_role(user, Role.COORDINATOR)


def access_meeting(request: HttpRequest, pk: int) -> Meeting:
    """Meeting `pk` if the user may open it; Http404 otherwise (as if it did not exist)."""
    assert isinstance(request.user, User)
    return selectors.meeting_get_for_user(user=request.user, pk=pk)


def sees_the_agenda(user: User, meeting: Meeting) -> bool:
    """The case team sees the agenda while it is being prepared; the others once it is
    published (or the minutes are final)."""
    if has_role(user, Role.COORDINATOR, Role.CASEMANAGER):
        return True
    return meeting.agenda_published_at is not None or meeting.minutes_are_final


def may_print(user: User, meeting: Meeting) -> bool:
    """The coordinator prints the full version; a representative their organisation's
    version, once there is something to print for them (the service checks the same)."""
    if has_role(user, Role.COORDINATOR):
        return True
    if user.organisation_id is None or not sees_the_agenda(user, meeting):
        return False
    return Invitation.objects.filter(meeting=meeting, organisation_id=user.organisation_id).exists()


def _basis(user: User) -> Basis:
    if has_role(user, Role.COORDINATOR):
        return Basis(ReadBasis.COORDINATOR)
    if has_role(user, Role.CASEMANAGER):
        return Basis(ReadBasis.CASEMANAGER)
    return Basis(ReadBasis.INVOLVED_ORGANISATION)


def log_meeting_cases(request: HttpRequest, *, case_ids: Iterable[int | None]) -> int:
    """One read-log row per case an agenda, minutes or their PDF showed (one INSERT)."""
    assert isinstance(request.user, User)
    basis = _basis(request.user)
    ids = sorted({case_id for case_id in case_ids if case_id is not None})
    return readlog.record_many(
        request, what=ReadWhat.MEETING, cases=[(case_id, basis) for case_id in ids]
    )


def access_meeting_to_schedule(request: HttpRequest, pk: int) -> Meeting:
    """Meeting `pk` for a coordinator's step (plan, move, cancel, attendance, addenda):
    Http404 for whoever may not open it, PermissionDenied for the others who may."""
    meeting = access_meeting(request, pk)
    if not may_plan_meetings(request.user):
        raise PermissionDenied
    return meeting


def access_invitation(request: HttpRequest, pk: int, invitation_pk: int) -> Invitation:
    """An invitation to meeting `pk` whose apologies the user may send (the invitee, a
    representative of its organisation, the coordinator): Http404 for an invitation of
    another meeting or a meeting the user may not open, PermissionDenied for the others."""
    meeting = access_meeting(request, pk)
    invitation = selectors.invitation_get(meeting=meeting, pk=invitation_pk)
    if invitation is None:
        raise Http404
    assert isinstance(request.user, User)
    if not may_send_apologies(request.user, invitation):
        raise PermissionDenied
    return invitation


# --- Agenda editing and bottlenecks ---------------------------------------------------------

BOTTLENECK_ROLES = (*MEETING_ROLES, Role.MEETING_MEMBER)
ItemRule = Callable[[AnyUser, AgendaItem], bool]


def may_edit_agenda(user: AnyUser, meeting: Meeting) -> bool:
    """The coordinator edits an agenda until the meeting is cancelled or its minutes final."""
    return (
        has_role(user, Role.COORDINATOR)
        and not meeting.is_cancelled
        and not meeting.minutes_are_final
    )


def may_call_organisation(user: AnyUser, item: AgendaItem) -> bool:
    """The coordinator, or the casemanager of the item's case, asks for an on-call
    organisation (the service checks the same)."""
    case = item.case
    if case is None:
        return False
    if has_role(user, Role.COORDINATOR):
        return True
    return has_role(user, Role.CASEMANAGER) and case.casemanager_id == user.pk


def may_edit_item(user: AnyUser, item: AgendaItem) -> bool:
    return has_role(user, Role.COORDINATOR)


def access_agenda_item(
    request: HttpRequest, pk: int, item_pk: int, *, rule: ItemRule = may_edit_item
) -> AgendaItem:
    """Item `item_pk` (not dropped) of meeting `pk`: Http404 unless the user may open the
    meeting and sees the item, PermissionDenied unless `rule` lets them act on it. Only
    then the item's case goes into the read log (a refused request writes nothing)."""
    meeting = access_meeting(request, pk)
    assert isinstance(request.user, User)
    if not sees_the_agenda(request.user, meeting):
        raise Http404
    items = selectors.agenda_items_for_user(meeting=meeting, user=request.user)
    item = items.select_related("case", "meeting__network").filter(pk=item_pk).first()
    if item is None:
        raise Http404
    if not rule(request.user, item):
        raise PermissionDenied
    log_meeting_cases(request, case_ids=[item.case_id])
    return item


def may_use_bottlenecks(user: AnyUser) -> bool:
    """Partners who take part in meetings signal bottlenecks for their organisation."""
    return has_role(user, *BOTTLENECK_ROLES) and getattr(user, "organisation_id", None) is not None


def may_resolve_bottlenecks(user: AnyUser) -> bool:
    return has_role(user, Role.COORDINATOR)


def access_bottleneck(request: HttpRequest, pk: int) -> Bottleneck:
    """Bottleneck `pk` if the user sees it (the coordinator all, the others their own
    organisation's); Http404 otherwise. No case data, so no read log."""
    assert isinstance(request.user, User)
    if not may_use_bottlenecks(request.user):
        raise Http404
    return get_object_or_404(selectors.bottlenecks_for_user(user=request.user), pk=pk)
