"""Who may open a meeting and what it shows or lets them do: one `access_*` call per view
that returns the object, raises (Http404 outside the need to know, PermissionDenied for a
section the role may not use) and writes the read log for the cases the section shows.

- The coordinator opens every meeting and plans, prepares and minutes them.
- Casemanagers open every case meeting (they attend every item).
- A partner representative opens the case meetings their organisation is invited to, and
  sees only the items of cases their organisation is involved in or called for
  (`selectors.agenda_items_for_user`), and only once the agenda is published.
- A meeting member (the municipality's direction) opens the covenant meetings they are
  invited to, never a case meeting.
- Apologies: the invitee, a representative of the invitation's organisation, or the
  coordinator, until the meeting is cancelled or has been held.

`Section` names what a view shows or does with a meeting; its rule (who, 404 or 403, which
cases go into the read log) is one line of `_RULES`. A new page adds a member there.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone

from audit import readlog
from audit.models import ReadBasis, ReadWhat
from audit.readlog import Basis
from partners.access import AnyUser, has_role
from partners.choices import OrganisationKind, Role
from partners.models import Organisation, User

from . import selectors
from .choices import DocumentKind
from .domain import schedule
from .models import AgendaItem, Bottleneck, Invitation, Meeting, MeetingDocument

MEETING_ROLES = (Role.COORDINATOR, Role.CASEMANAGER, Role.PARTNER_REPRESENTATIVE)
# Who can stand in at a case meeting: a role that lets them see (their organisation's)
# cases, to prepare the meeting.
PREPARING_ROLES = frozenset(MEETING_ROLES)
# Who takes part in meetings at all: also the members of the covenant's other meetings
# (no case access). Invited members and their substitutes hold one of these roles.
PARTICIPANT_ROLES = frozenset({*MEETING_ROLES, Role.MEETING_MEMBER})


def member_organisation_kinds(meeting: Meeting) -> frozenset[OrganisationKind] | None:
    """The kinds of organisation whose people may be invited as members (None: any). From
    the setting MEETING_MEMBER_ORGANISATION_KINDS (the covenant's meeting structure, §5 in
    Utrecht's: the steering group is the municipality, the corporations and the executing
    organisation; the director meeting the municipality and the executing organisation)."""
    kinds = settings.MEETING_MEMBER_ORGANISATION_KINDS.get(meeting.kind)
    return None if kinds is None else frozenset(OrganisationKind(kind) for kind in kinds)


def substitute_roles(meeting: Meeting) -> frozenset[Role]:
    """The roles a substitute needs: a case meeting's must be able to see the cases."""
    return PREPARING_ROLES if meeting.is_case_meeting else PARTICIPANT_ROLES


def may_open_meetings(user: AnyUser) -> bool:
    """The meetings page exists for those who take part in meetings."""
    return has_role(user, *MEETING_ROLES, Role.MEETING_MEMBER)


def may_plan_meetings(user: AnyUser) -> bool:
    return has_role(user, Role.COORDINATOR)


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


def _log_meeting_cases(request: HttpRequest, *, case_ids: Iterable[int | None]) -> int:
    """One read-log row per case an agenda, minutes or their PDF showed (one INSERT)."""
    assert isinstance(request.user, User)
    basis = _basis(request.user)
    ids = sorted({case_id for case_id in case_ids if case_id is not None})
    return readlog.record_many(
        request, what=ReadWhat.MEETING, cases=[(case_id, basis) for case_id in ids]
    )


# --- When a meeting can still change ---------------------------------------------------------


def schedule_problem(meeting: Meeting) -> str | None:
    """Why a meeting can no longer be moved or cancelled (cancelled, or taken place), or None."""
    return schedule.schedule_problem(meeting, starts=meeting.starts_at, now=timezone.now())


def apologies_problem(meeting: Meeting) -> str | None:
    """Why apologies can no longer be sent for the meeting (cancelled, or held), or None."""
    return schedule.apologies_problem(meeting, starts=meeting.starts_at, now=timezone.now())


def may_send_apologies(user: AnyUser, invitation: Invitation) -> bool:
    """Who: the invitee, or a representative (or the coordinator) for the invitation's
    organisation. When is `apologies_problem`."""
    if user.pk is not None and user.pk == invitation.user_id:
        return True
    if has_role(user, Role.COORDINATOR):
        return True
    return has_role(user, Role.PARTNER_REPRESENTATIVE) and (
        getattr(user, "organisation_id", None) == invitation.organisation_id
    )


@dataclass(frozen=True)
class ScheduleRights:
    """What the scheduling part of a meeting's page offers this user (the views and the
    services check the same again)."""

    coordinator: bool
    may_reschedule: bool
    may_record_attendance: bool
    may_invite_members: bool
    apologies_open: bool

    def may_send_apologies_for(self, user: AnyUser, invitation: Invitation) -> bool:
        return self.apologies_open and may_send_apologies(user, invitation)


def schedule_rights(user: AnyUser, meeting: Meeting) -> ScheduleRights:
    coordinator = may_plan_meetings(user)
    open_minutes = not meeting.is_cancelled and not meeting.minutes_are_final
    return ScheduleRights(
        coordinator=coordinator,
        may_reschedule=coordinator and schedule_problem(meeting) is None,
        may_record_attendance=coordinator and open_minutes,
        may_invite_members=coordinator and not meeting.is_case_meeting and not meeting.is_cancelled,
        apologies_open=apologies_problem(meeting) is None,
    )


# --- One meeting: the sections and their rules -------------------------------------------------


class Section(enum.Enum):
    """What a view shows or does with a meeting. The rule of each is in `_RULES` below."""

    PAGE = "page"  # the meeting's page: its agenda or minutes as the user may see them
    COORDINATE = "coordinate"  # a coordinator's step that shows no case (plan, move, publish)
    MINUTES = "minutes"  # write the minutes of an item: the coordinator; the page is shown again
    AGENDA_EDIT = "agenda_edit"  # the coordinator's agenda, with the dropped items
    PRINT = "print"  # ask for the PDF: the coordinator, an invited organisation's representative


class Shows(enum.Enum):
    """Which cases the section shows (they go into the read log)."""

    NOTHING = "nothing"
    AGENDA = "agenda"  # the items the user sees, once the agenda is theirs to see
    AGENDA_WITH_DROPPED = "agenda_with_dropped"  # every item, the dropped ones too


@dataclass(frozen=True)
class _Rule:
    may: Callable[[User, Meeting], bool] | None  # None: whoever may open the meeting (else 403)
    shows: Shows


def _coordinator(user: User, meeting: Meeting) -> bool:
    return may_plan_meetings(user)


_RULES: dict[Section, _Rule] = {
    Section.PAGE: _Rule(None, Shows.AGENDA),
    Section.COORDINATE: _Rule(_coordinator, Shows.NOTHING),
    Section.MINUTES: _Rule(_coordinator, Shows.AGENDA),
    Section.AGENDA_EDIT: _Rule(_coordinator, Shows.AGENDA_WITH_DROPPED),
    Section.PRINT: _Rule(may_print, Shows.NOTHING),
}


def _load_meeting(request: HttpRequest, pk: int) -> Meeting:
    """Meeting `pk` if the user may open it; Http404 otherwise (as if it did not exist)."""
    assert isinstance(request.user, User)
    return selectors.meeting_get_for_user(user=request.user, pk=pk)


def _shown_case_ids(user: User, meeting: Meeting, shows: Shows) -> list[int | None]:
    if shows is Shows.AGENDA and sees_the_agenda(user, meeting):
        items = selectors.agenda_items_for_user(meeting=meeting, user=user)
        return list(items.values_list("case_id", flat=True))
    if shows is Shows.AGENDA_WITH_DROPPED:
        return list(AgendaItem.objects.filter(meeting=meeting).values_list("case_id", flat=True))
    return []


def access_meeting(request: HttpRequest, pk: int, *, section: Section) -> Meeting:
    """Meeting `pk` for this user and section: Http404 for whoever may not open it,
    PermissionDenied for a section their role may not use; the cases the section shows go
    into the read log (one row each)."""
    meeting = _load_meeting(request, pk)
    assert isinstance(request.user, User)
    rule = _RULES[section]
    if rule.may is not None and not rule.may(request.user, meeting):
        raise PermissionDenied
    case_ids = _shown_case_ids(request.user, meeting, rule.shows)
    if case_ids:
        _log_meeting_cases(request, case_ids=case_ids)
    return meeting


def print_version(user: AnyUser) -> Organisation | None:
    """Whose version of the PDFs the user gets: None, the coordinator's full version; else
    their organisation's (only its items)."""
    if may_plan_meetings(user):
        return None
    return getattr(user, "organisation", None)


def access_meeting_document(request: HttpRequest, pk: int, kind: str) -> MeetingDocument:
    """The ready PDF of kind `kind` in the user's version of meeting `pk`: Http404 for a
    meeting they may not open, an unknown kind or a PDF not made (yet); PermissionDenied for
    whoever may open but not print. The read log names every case the PDF shows."""
    meeting = _load_meeting(request, pk)
    user = request.user
    assert isinstance(user, User)
    if not may_print(user, meeting):
        raise PermissionDenied
    if kind not in DocumentKind.values:
        raise Http404
    organisation = print_version(user)
    document = selectors.ready_document(
        meeting=meeting,
        kind=kind,
        organisation_id=organisation.pk if organisation is not None else None,
    )
    if document is None:
        raise Http404
    items = selectors.agenda_items_for_organisation(meeting=meeting, organisation=organisation)
    _log_meeting_cases(request, case_ids=items.values_list("case_id", flat=True))
    document.meeting = meeting
    return document


def access_invitation(request: HttpRequest, pk: int, invitation_pk: int) -> Invitation:
    """An invitation to meeting `pk` whose apologies the user may send (the invitee, a
    representative of its organisation, the coordinator): Http404 for an invitation of
    another meeting or a meeting the user may not open, PermissionDenied for the others.
    Whether the meeting still takes apologies is `apologies_problem` (a message, not a 403)."""
    meeting = _load_meeting(request, pk)
    invitation = selectors.invitation_get(meeting=meeting, pk=invitation_pk)
    if invitation is None:
        raise Http404
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
    meeting = _load_meeting(request, pk)
    assert isinstance(request.user, User)
    if not sees_the_agenda(request.user, meeting):
        raise Http404
    items = selectors.agenda_items_for_user(meeting=meeting, user=request.user)
    item = items.select_related("case", "meeting__network").filter(pk=item_pk).first()
    if item is None:
        raise Http404
    if not rule(request.user, item):
        raise PermissionDenied
    _log_meeting_cases(request, case_ids=[item.case_id])
    return item


def may_use_bottlenecks(user: AnyUser) -> bool:
    """Partners who take part in meetings signal bottlenecks for their organisation."""
    return has_role(user, *BOTTLENECK_ROLES) and getattr(user, "organisation_id", None) is not None


def may_resolve_bottlenecks(user: AnyUser) -> bool:
    return has_role(user, Role.COORDINATOR)


def access_bottleneck(request: HttpRequest, pk: int, *, to_resolve: bool = False) -> Bottleneck:
    """Bottleneck `pk` if the user sees it (the coordinator all, the others their own
    organisation's); Http404 otherwise; `to_resolve`: PermissionDenied for whoever sees it
    but may not resolve it. No case data, so no read log."""
    assert isinstance(request.user, User)
    if not may_use_bottlenecks(request.user):
        raise Http404
    bottleneck = get_object_or_404(selectors.bottlenecks_for_user(user=request.user), pk=pk)
    if to_resolve and not may_resolve_bottlenecks(request.user):
        raise PermissionDenied
    return bottleneck
