"""Every read on meetings. Permission filters are in the query (one statement, joined)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cases.choices import CaseStatus, PersonRole
from cases.models import Case, CaseInvolvement, Person
from deadlines import kinds
from deadlines.domain.state import DeadlineState
from deadlines.models import Deadline, state_filter
from partners.choices import Role
from partners.models import Organisation, User

from .choices import BottleneckStatus, MeetingKind, MeetingStatus, MinutesState, RenderState
from .domain.agenda import OPEN_STATUSES, ItemView, initials, item_view
from .models import (
    AgendaItem,
    Attendance,
    Bottleneck,
    Decision,
    IntendedAction,
    Invitation,
    Meeting,
    MeetingDocument,
    MinutesAddendum,
)

EVALUATION_KINDS = (kinds.PERIODIC_EVALUATION, kinds.SIX_MONTH_EVALUATION)
# Roles that attend every item of a case meeting.
CASE_TEAM_ROLES = frozenset({Role.COORDINATOR, Role.CASEMANAGER})
HORIZON_WITHOUT_NEXT_MEETING = datetime.timedelta(days=31)


def _roles(user: User) -> set[Role]:
    return set(user.roles) if user.is_authenticated else set()


# --- Meetings ----------------------------------------------------------------------------------


def meetings_for_network(*, network: Any, year: int | None = None) -> QuerySet[Meeting]:
    meetings = Meeting.objects.filter(network=network).select_related("chair")
    if year is not None:
        meetings = meetings.filter(date__year=year)
    return meetings


def meeting_list_for_user(*, user: User) -> QuerySet[Meeting]:
    """The meetings a user may open: all for the coordinator; otherwise those they (or their
    organisation, for a case meeting) are invited to, or substitute at. Meeting members see
    no case meetings."""
    meetings = Meeting.objects.select_related("network", "chair")
    roles = _roles(user)
    if Role.COORDINATOR in roles:
        return meetings
    invited = Invitation.objects.filter(meeting=OuterRef("pk")).filter(
        Q(user=user) | Q(substitute=user)
    )
    condition: Any = Exists(invited)  # OR-ed with Q objects below
    if Role.CASEMANAGER in roles:
        condition |= Q(kind=MeetingKind.CASE)
    if Role.PARTNER_REPRESENTATIVE in roles and user.organisation_id:
        condition |= Q(kind=MeetingKind.CASE) & Exists(
            Invitation.objects.filter(meeting=OuterRef("pk"), organisation_id=user.organisation_id)
        )
    meetings = meetings.filter(condition)
    if roles <= {Role.MEETING_MEMBER}:
        meetings = meetings.exclude(kind=MeetingKind.CASE)
    return meetings


def meeting_get_for_user(*, user: User, pk: int) -> Meeting:
    """The meeting, or Http404 when it does not exist or the user may not open it."""
    return get_object_or_404(meeting_list_for_user(user=user), pk=pk)


def next_meeting_date(*, meeting: Meeting) -> datetime.date:
    """The date of the network's next planned meeting after this one (or a month on)."""
    following = (
        Meeting.objects.filter(
            Q(network__isnull=True)
            if meeting.network_id is None
            else Q(network_id=meeting.network_id),
            kind=meeting.kind,
            date__gt=meeting.date,
            status=MeetingStatus.PLANNED,
        )
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )
    return following or meeting.date + HORIZON_WITHOUT_NEXT_MEETING


def meeting_invitees(*, meeting: Meeting) -> list[User]:
    """Who is told about the meeting: each invitation's attendee (the substitute after
    apologies), and the chair. Active users only, each once."""
    invitations = Invitation.objects.filter(meeting=meeting).select_related("user", "substitute")
    users: dict[int, User] = {}
    for invitation in invitations:
        attendee = invitation.substitute if invitation.apologies_at else invitation.user
        if attendee is not None and attendee.is_active:
            users[attendee.pk] = attendee
    chair = meeting.chair
    if chair is not None and chair.is_active:
        users[chair.pk] = chair
    return list(users.values())


def invitations_of(*, meeting: Meeting) -> QuerySet[Invitation]:
    return Invitation.objects.filter(meeting=meeting).select_related(
        "organisation", "user", "substitute", "agenda_item"
    )


def invitations_shown(*, meeting: Meeting, user: User) -> list[Invitation]:
    """The invitations a meeting's page lists for this user: the standing ones and the
    members; the on-call invitations for one item only for the coordinator (the item itself
    may be one the reader does not see)."""
    invitations = invitations_of(meeting=meeting)
    if Role.COORDINATOR not in _roles(user):
        invitations = invitations.filter(agenda_item__isnull=True)
    return list(invitations)


def invitation_for_user(*, meeting: Meeting, user: User) -> Invitation | None:
    """The user's own invitation (not an on-call one) to this meeting, if any."""
    return Invitation.objects.filter(meeting=meeting, user=user, agenda_item__isnull=True).first()


def recipient_organisations(*, meeting: Meeting) -> QuerySet[Organisation]:
    """The organisations that get the agenda and minutes (one PDF version each)."""
    return Organisation.objects.filter(
        pk__in=Invitation.objects.filter(meeting=meeting).values("organisation_id")
    ).order_by("name")


# --- Agenda ------------------------------------------------------------------------------------


def agenda_candidates(*, meeting: Meeting, now: datetime.datetime) -> QuerySet[Case]:
    """The network's open cases not yet on this agenda (kept or dropped), with what makes
    them due: an evaluation due before the next meeting, an overdue action."""
    horizon = next_meeting_date(meeting=meeting)
    open_deadlines = Deadline.objects.open().filter(case=OuterRef("pk"))
    return (
        Case.objects.filter(
            Q(network_id=meeting.network_id)
            | Q(network__isnull=True, district__networks=meeting.network_id),
            status__in=OPEN_STATUSES,
        )
        .exclude(agenda_items__meeting=meeting)
        .annotate(
            evaluation_due=Exists(
                open_deadlines.filter(kind__in=EVALUATION_KINDS, due_on__lte=horizon)
            ),
            # Overdue as on every other page: the deadlines app's state, on the local day.
            action_overdue=Exists(
                open_deadlines.filter(
                    state_filter(DeadlineState.OVERDUE, timezone.localdate(now)),
                    kind=kinds.ACTION,
                )
            ),
        )
        .only("pk", "status")
        .order_by("number", "pk")
        .distinct()
    )


def _kept_items(meeting: Meeting) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(meeting=meeting, dropped_at__isnull=True)


def agenda_items_for_organisation(
    *, meeting: Meeting, organisation: Organisation | None
) -> QuerySet[AgendaItem]:
    """The kept items a representative of `organisation` sees: general items, and items of
    cases their organisation is involved in or is called for. None: every item (the
    coordinator's full version)."""
    items = _kept_items(meeting)
    if organisation is None:
        return items
    involved = CaseInvolvement.objects.filter(
        case_id=OuterRef("case_id"), organisation=organisation, is_active=True
    )
    called = Invitation.objects.filter(agenda_item=OuterRef("pk"), organisation=organisation)
    return items.filter(Q(case__isnull=True) | Exists(involved) | Exists(called))


def agenda_items_for_user(*, meeting: Meeting, user: User) -> QuerySet[AgendaItem]:
    """The items this user sees: all for the coordinator and casemanagers (they attend every
    item), otherwise those of their organisation."""
    if _roles(user) & CASE_TEAM_ROLES:
        return _kept_items(meeting)
    if user.organisation_id is None:
        return AgendaItem.objects.none()
    return agenda_items_for_organisation(meeting=meeting, organisation=user.organisation)


def dropped_items(*, meeting: Meeting) -> QuerySet[AgendaItem]:
    return AgendaItem.objects.filter(meeting=meeting, dropped_at__isnull=False)


@dataclass(frozen=True)
class AgendaLine:
    """What a reader sees of one item: computed from the case when shown, never stored."""

    item: AgendaItem
    number: str
    initials: str
    street: str
    phase: str
    question: str
    view: ItemView
    decisions: tuple[Decision, ...]

    @property
    def is_case_item(self) -> bool:
        return self.item.case_id is not None


def _causers() -> Prefetch[str, QuerySet[Person], str]:
    return Prefetch(
        "case__persons",
        queryset=Person.objects.filter(role=PersonRole.CAUSER, erased_at__isnull=True).order_by(
            "pk"
        ),
        to_attr="meeting_causers",
    )


def agenda_lines(
    *,
    items: QuerySet[AgendaItem],
    with_minutes: bool = False,
    organisation: Organisation | None = None,
) -> list[AgendaLine]:
    """The lines of an agenda or minutes, in order, in a fixed number of queries. Case
    items show the case number, the causers' initials, the street without house number,
    the phase and the question; a referral in intake its number and initials only. With
    minutes, the decisions and (for `organisation`, or all when None) their actions."""
    items = items.select_related("case", "bottleneck").prefetch_related(_causers())
    if with_minutes:
        actions_filter = Q() if organisation is None else Q(organisation=organisation)
        items = items.prefetch_related(
            Prefetch(
                "decisions",
                queryset=Decision.objects.order_by("pk").prefetch_related(
                    Prefetch(
                        "actions",
                        queryset=IntendedAction.objects.filter(actions_filter).select_related(
                            "organisation", "person"
                        ),
                    )
                ),
            )
        )
    lines = []
    for item in items.order_by("position", "pk"):
        case = item.case
        decisions = tuple(item.decisions.all()) if with_minutes else ()
        if case is None:
            lines.append(
                AgendaLine(
                    item=item,
                    number="",
                    initials="",
                    street="",
                    phase="",
                    question=item.question,
                    view=item_view(None),
                    decisions=decisions,
                )
            )
            continue
        view = item_view(case.status)
        causer_initials = ", ".join(
            initials(p.first_name, p.last_name)
            for p in case.meeting_causers  # type: ignore[attr-defined]  # _causers() prefetch
        )
        phase = item.phase or case.status
        lines.append(
            AgendaLine(
                item=item,
                number=case.number or "",
                initials=causer_initials,
                street=case.street if view.street else "",
                phase=str(CaseStatus(phase).label) if view.phase and phase else "",
                question=item.question if view.question else "",
                view=view,
                decisions=decisions,
            )
        )
    return lines


def open_bottlenecks() -> QuerySet[Bottleneck]:
    return Bottleneck.objects.filter(status=BottleneckStatus.OPEN).select_related("organisation")


def bottlenecks_for_user(*, user: User) -> QuerySet[Bottleneck]:
    """The coordinator sees every bottleneck; others those of their own organisation."""
    bottlenecks = Bottleneck.objects.select_related("organisation", "signalled_by")
    if Role.COORDINATOR in _roles(user):
        return bottlenecks
    if user.organisation_id is None:
        return bottlenecks.none()
    return bottlenecks.filter(organisation_id=user.organisation_id)


# --- Documents ---------------------------------------------------------------------------------


def kept_item(*, meeting: Meeting, pk: int) -> AgendaItem | None:
    """An item of the meeting that was not dropped."""
    return _kept_items(meeting).filter(pk=pk).first()


def documents_of(*, meeting: Meeting, organisation_id: int | None) -> QuerySet[MeetingDocument]:
    """The cached PDFs of one version (None: the coordinator's full version)."""
    documents = MeetingDocument.objects.filter(meeting=meeting)
    if organisation_id is None:
        return documents.filter(organisation__isnull=True)
    return documents.filter(organisation_id=organisation_id)


def ready_document(
    *, meeting: Meeting, kind: str, organisation_id: int | None
) -> MeetingDocument | None:
    document = (
        documents_of(meeting=meeting, organisation_id=organisation_id)
        .filter(kind=kind, state=RenderState.DONE)
        .first()
    )
    return document if document is not None and document.file else None


# --- Scheduling and attendance -------------------------------------------------------------


def invitation_get(*, meeting: Meeting, pk: int) -> Invitation | None:
    """One invitation of this meeting (with its meeting, organisation and people)."""
    return (
        Invitation.objects.filter(meeting=meeting, pk=pk)
        .select_related("meeting", "organisation", "user", "substitute")
        .first()
    )


def attendance_of(*, meeting: Meeting) -> QuerySet[Attendance]:
    return Attendance.objects.filter(meeting=meeting).select_related("organisation", "user")


def addenda_of(*, meeting: Meeting) -> QuerySet[MinutesAddendum]:
    return MinutesAddendum.objects.filter(meeting=meeting).order_by("created_at", "pk")


# --- Agenda editing and bottlenecks ------------------------------------------------------------


def kept_item_ids(*, meeting: Meeting) -> list[int]:
    """The kept items' ids in agenda order."""
    return list(_kept_items(meeting).order_by("position", "pk").values_list("pk", flat=True))


def called_organisations(*, meeting: Meeting) -> dict[int, list[str]]:
    """Per item id, the names of the on-call organisations asked for it (one query)."""
    called: dict[int, list[str]] = {}
    rows = (
        Invitation.objects.filter(meeting=meeting, agenda_item__isnull=False)
        .order_by("organisation__name")
        .values_list("agenda_item_id", "organisation__name")
        .distinct()
    )
    for item_id, name in rows:
        called.setdefault(item_id, []).append(name)
    return called


def called_invitations(*, item: AgendaItem) -> QuerySet[Invitation]:
    return Invitation.objects.filter(agenda_item=item).select_related("organisation", "user")


BOTTLENECK_KINDS = (MeetingKind.ADVISORY, MeetingKind.STEERING)


def meetings_taking_bottlenecks(*, today: datetime.date) -> QuerySet[Meeting]:
    """Upcoming advisory and steering meetings whose agenda can still change."""
    return Meeting.objects.filter(
        kind__in=BOTTLENECK_KINDS,
        status=MeetingStatus.PLANNED,
        minutes_state=MinutesState.DRAFT,
        date__gte=today,
    ).order_by("date", "start_time")


def bottleneck_log_for_user(*, user: User) -> QuerySet[Bottleneck]:
    """`bottlenecks_for_user` with the meetings whose agenda took each (a fixed number of
    queries for the bottleneck log)."""
    return bottlenecks_for_user(user=user).prefetch_related(
        Prefetch(
            "agenda_items",
            queryset=AgendaItem.objects.select_related("meeting").order_by("meeting__date"),
        )
    )


def meetings_in_month(*, user: User, today: datetime.date) -> QuerySet[Meeting]:
    """The meetings of `today`'s month the user may open, in date order (the dashboard)."""
    return (
        meeting_list_for_user(user=user)
        .filter(date__year=today.year, date__month=today.month)
        .order_by("date", "start_time", "pk")
    )
