"""Every write on meetings: plan, move, cancel, invite, apologies, agenda, minutes,
bottlenecks and the PDF documents. Rights are checked here (coordinator plans, publishes
and writes minutes; representatives send apologies for their organisation)."""

from __future__ import annotations

import datetime
import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from cases.domain import plan as plan_rules
from cases.models import Case
from cases.services import plan as plan_services
from deadlines import kinds
from deadlines.calendar import working_day_calendar
from deadlines.services import deadline_lapse, deadline_meet, deadline_open
from notifications.choices import Event
from notifications.services import notify
from partners.choices import RepresentativeKind, Role
from partners.models import Network, NetworkRepresentative, Organisation, User

from . import selectors
from .access import (
    PARTICIPANT_ROLES,
    apologies_problem,
    may_send_apologies,
    member_organisation_kinds,
    schedule_problem,
    substitute_roles,
)
from .choices import (
    BottleneckStatus,
    DocumentKind,
    ItemSource,
    MeetingKind,
    MeetingStatus,
    MinutesState,
    RenderState,
)
from .domain import schedule
from .domain.agenda import proposal_source
from .models import (
    AgendaItem,
    Attendance,
    Bottleneck,
    Decision,
    IntendedAction,
    Invitation,
    Meeting,
    MeetingDocument,
    MeetingSeries,
    MinutesAddendum,
)
from .pdf import content_hash, document_context, render_pdf
from .tasks import render_meeting_document

logger = logging.getLogger(__name__)

AGENDA_WORKING_DAYS_DEFAULT = 5

# The covenant's standing topics (convenant 2015, §5 "Overlegstructuur" and
# "Begeleidingsgroep"); stored in Dutch in the item's title when an agenda is seeded.
STANDING_TOPICS: dict[str, tuple[str, ...]] = {
    MeetingKind.ADVISORY: (
        gettext_noop("Structural problems in the cooperation"),
        gettext_noop("Bottlenecks in the care on offer"),
        gettext_noop("The course of the neighbourhood case meetings"),
        gettext_noop("Balance between tackling extreme nuisance and the interest of care"),
        gettext_noop("Bottlenecks in arranging aftercare"),
        gettext_noop("Composition of the case meetings: are new partners needed?"),
        gettext_noop("New initiatives related to the approach"),
        gettext_noop("Proposals to improve the approach and the cooperation"),
        gettext_noop("Advice and tips"),
    ),
    MeetingKind.STEERING: (
        gettext_noop("Policy"),
        gettext_noop("Annual report"),
        gettext_noop("Work plan"),
        gettext_noop("Progress"),
        gettext_noop("Bottlenecks"),
        gettext_noop("Results"),
        gettext_noop("Recommendations"),
        gettext_noop("Financial accounting"),
        gettext_noop("Commission for the coming year"),
    ),
    MeetingKind.DIRECTOR: (
        gettext_noop("Progress of the execution"),
        gettext_noop("Interim adjustments"),
    ),
}
# --- Rights --------------------------------------------------------------------------------


def _has_role(user: User, *roles: Role) -> bool:
    return bool(user.is_authenticated and user.is_active and set(user.roles) & set(roles))


def require_coordinator(user: User) -> None:
    if not _has_role(user, Role.COORDINATOR):
        raise PermissionDenied(_("Only the coordinator may do this."))


def _current(meeting: Meeting) -> tuple[str, str]:
    """The meeting's status and minutes state as stored now (the caller's copy may be old)."""
    return Meeting.objects.values_list("status", "minutes_state").get(pk=meeting.pk)


def _require_open_agenda(meeting: Meeting) -> None:
    if _current(meeting)[0] == MeetingStatus.CANCELLED:
        raise ValidationError(_("This meeting has been cancelled."))


def _require_draft_minutes(meeting: Meeting) -> None:
    if _current(meeting)[1] == MinutesState.FINAL:
        raise ValidationError(_("The minutes are final; add a correction as an addendum instead."))


# --- Notifications ---------------------------------------------------------------------------


def meeting_url(meeting: Meeting) -> str:
    """The meeting's page (behind sign-in); empty until the pages exist."""
    try:
        return reverse("meetings:detail", args=[meeting.pk])
    except NoReverseMatch:
        return ""


def _meeting_name(meeting: Meeting) -> str:
    if meeting.network is not None:
        return meeting.network.name
    with translation.override("nl"):
        return str(meeting.get_kind_display())


def _tell_invitees(meeting: Meeting, *, event: Event, key: str, date: datetime.date) -> int:
    return notify(
        recipients=selectors.meeting_invitees(meeting=meeting),
        event=event,
        key=key,
        url=meeting_url(meeting),
        context={"network": _meeting_name(meeting), "date": date},
    )


# --- Planning --------------------------------------------------------------------------------


def _agenda_deadline_open(meeting: Meeting) -> None:
    if not meeting.is_case_meeting:
        return

    amount = int(getattr(settings, "MEETING_AGENDA_WORKING_DAYS", AGENDA_WORKING_DAYS_DEFAULT))
    deadline_open(
        kind=kinds.MEETING_AGENDA, started_on=meeting.date, subject=meeting, amount=amount
    )


def _invite_standing_representatives(meeting: Meeting) -> None:
    if meeting.network_id is None:  # only a network's case meeting has standing members
        return
    representatives = NetworkRepresentative.objects.filter(
        network_id=meeting.network_id,
        kind=RepresentativeKind.STANDING,
        is_active=True,
        user__is_active=True,
    )
    Invitation.objects.bulk_create(
        [
            Invitation(meeting=meeting, organisation_id=rep.organisation_id, user_id=rep.user_id)
            for rep in representatives
        ],
        ignore_conflicts=True,
    )


def _seed_standing_topics(meeting: Meeting) -> None:
    topics = STANDING_TOPICS.get(meeting.kind, ())
    with translation.override("nl"):
        titles = [_(topic) for topic in topics]
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                meeting=meeting, position=index, source=ItemSource.STANDING_TOPIC, title=title
            )
            for index, title in enumerate(titles, start=1)
        ]
    )


@transaction.atomic
def meeting_plan(
    *,
    kind: MeetingKind | str,
    date: datetime.date,
    start_time: datetime.time,
    location: str,
    by: User,
    network: Network | None = None,
    chair: User | None = None,
    end_time: datetime.time | None = None,
    series: MeetingSeries | None = None,
) -> Meeting:
    """Plan one meeting. A case meeting invites the network's standing representatives and
    opens its agenda-out deadline; a covenant meeting gets its standing topics."""
    require_coordinator(by)
    kind = MeetingKind(kind)
    if (kind == MeetingKind.CASE) != (network is not None):
        raise ValidationError(_("A case meeting belongs to a network; other meetings do not."))
    meeting = Meeting.objects.create(
        kind=kind,
        network=network,
        series=series,
        date=date,
        start_time=start_time,
        end_time=end_time,
        location=location,
        chair=chair,
    )
    if kind == MeetingKind.CASE:
        _invite_standing_representatives(meeting)
        _agenda_deadline_open(meeting)
    else:
        _seed_standing_topics(meeting)
    return meeting


@transaction.atomic
def meeting_series_plan(
    *,
    network: Network,
    year: int,
    weekday: int,
    nth: int,
    start_time: datetime.time,
    location: str,
    by: User,
    chair: User | None = None,
    end_time: datetime.time | None = None,
    skip_months: Iterable[int] = schedule.DEFAULT_SKIP_MONTHS,
    skip_dates: Iterable[datetime.date] = (),
) -> MeetingSeries:
    """Plan a network's year of case meetings at once (the n-th weekday of each month,
    moved off holidays, none in the skipped months or on the skipped dates)."""
    require_coordinator(by)
    try:
        with transaction.atomic():
            series = MeetingSeries.objects.create(network=network, year=year, created_by=by)
    except IntegrityError:
        raise ValidationError(
            _("This network already has a series of meetings in %(year)s.") % {"year": year}
        ) from None
    dates = schedule.series_dates(
        year,
        weekday=weekday,
        nth=nth,
        cal=working_day_calendar(),
        skip_months=skip_months,
        skip_dates=skip_dates,
    )
    for day in dates:
        meeting_plan(
            kind=MeetingKind.CASE,
            network=network,
            series=series,
            date=day,
            start_time=start_time,
            end_time=end_time,
            location=location,
            chair=chair,
            by=by,
        )
    return series


@transaction.atomic
def meeting_move(
    *,
    meeting: Meeting,
    date: datetime.date,
    start_time: datetime.time,
    location: str,
    by: User,
    end_time: datetime.time | None = None,
    chair: User | None = None,
    reason: str = "",
) -> Meeting:
    """Move a meeting (date, time, place) that has not taken place, to a moment to come; the
    invitees are told when the date, time or place changed, and the agenda-out deadline
    follows the new date. The reason is kept in the meeting's history."""
    require_coordinator(by)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    problem = schedule_problem(meeting)
    if problem:
        raise ValidationError(problem)
    if timezone.make_aware(datetime.datetime.combine(date, start_time)) <= timezone.now():
        raise ValidationError({"date": _("A meeting can only be moved to a moment to come.")})
    changed = (meeting.date, meeting.start_time, meeting.location) != (date, start_time, location)
    date_changed = meeting.date != date
    meeting.date, meeting.start_time, meeting.end_time = date, start_time, end_time
    meeting.location = location
    if chair is not None:
        meeting.chair = chair
    meeting._history_user = by  # type: ignore[attr-defined]
    meeting._change_reason = reason[:100]  # type: ignore[attr-defined]  # in its history
    meeting.save()
    if date_changed and meeting.agenda_published_at is None:
        deadline_lapse(kind=kinds.MEETING_AGENDA, subject=meeting)
        _agenda_deadline_open(meeting)
    if changed:
        stamp = f"{date.isoformat()}T{start_time:%H%M}:{hashlib.sha1(location.encode()).hexdigest()[:8]}"  # noqa: S324
        _tell_invitees(
            meeting, event=Event.MEETING_MOVED, key=f"meeting:{meeting.pk}:moved:{stamp}", date=date
        )
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, reason: str, by: User) -> Meeting:
    """Cancel a meeting; the invitees are told, its agenda deadline lapses."""
    require_coordinator(by)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled:
        return meeting
    problem = schedule_problem(meeting)
    if problem:
        raise ValidationError(problem)
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancel_reason = reason
    meeting._history_user = by  # type: ignore[attr-defined]
    meeting.save(update_fields=["status", "cancel_reason", "updated_at"])
    deadline_lapse(kind=kinds.MEETING_AGENDA, subject=meeting)
    _tell_invitees(
        meeting,
        event=Event.MEETING_CANCELLED,
        key=f"meeting:{meeting.pk}:cancelled",
        date=meeting.date,
    )
    return meeting


# --- Invitations -----------------------------------------------------------------------------


@transaction.atomic
def meeting_member_invite(*, meeting: Meeting, user: User, by: User) -> Invitation:
    """Invite someone to an advisory, steering or director meeting (for their organisation)."""
    require_coordinator(by)
    if meeting.is_case_meeting:
        raise ValidationError(_("Case meetings invite the network's representatives."))
    if user.organisation_id is None:
        raise ValidationError(_("This person belongs to no organisation."))
    if not _has_role(user, *PARTICIPANT_ROLES):
        raise ValidationError(
            _("This person has no role that takes part in meetings (meeting member).")
        )
    kinds = member_organisation_kinds(meeting)
    if kinds is not None and (user.organisation is None or user.organisation.kind not in kinds):
        raise ValidationError(
            _("People of this organisation do not take part in this kind of meeting.")
        )
    invitation, _created = Invitation.objects.get_or_create(
        meeting=meeting,
        user=user,
        agenda_item=None,
        defaults={"organisation_id": user.organisation_id},
    )
    return invitation


def substitute_problem(*, invitation: Invitation, substitute: User) -> str | None:
    """Why `substitute` cannot stand in for this invitation, or None."""
    if not substitute.is_active:
        return _("The substitute's account is not active.")
    if substitute.organisation_id != invitation.organisation_id:
        return _("The substitute must work for the same organisation.")
    if substitute.pk == invitation.user_id:
        return _("Name someone else as the substitute.")
    meeting = invitation.meeting
    if not _has_role(substitute, *substitute_roles(meeting)):
        if meeting.is_case_meeting:
            return _(
                "The substitute needs a role that lets them see the cases to prepare the "
                "meeting (partner representative)."
            )
        return _("The substitute needs a role that takes part in meetings (meeting member).")
    return None


@transaction.atomic
def invitation_send_apologies(
    *, invitation: Invitation, by: User, substitute: User | None = None
) -> Invitation:
    """Send apologies for an invitation; for a case meeting a substitute is named, who must
    be of the same organisation and able to see its cases."""
    if not may_send_apologies(by, invitation):
        raise PermissionDenied(_("You may not send apologies for this invitation."))
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("meeting__network")
        .get(pk=invitation.pk)
    )
    meeting = invitation.meeting
    problem = apologies_problem(meeting)
    if problem:
        raise ValidationError(problem)
    if meeting.is_case_meeting and substitute is None:
        raise ValidationError({"substitute": _("Name a substitute for your organisation.")})
    if substitute is not None:
        problem = substitute_problem(invitation=invitation, substitute=substitute)
        if problem:
            raise ValidationError({"substitute": problem})
    invitation.apologies_at = timezone.now()
    invitation.substitute = substitute
    invitation._history_user = by  # type: ignore[attr-defined]
    invitation.save(update_fields=["apologies_at", "substitute"])
    if substitute is not None:
        # Told with a link behind sign-in (the e-mail is queued after commit by notify()).
        notify(
            recipients=[substitute],
            event=Event.SUBSTITUTE_INVITED,
            key=f"meeting:{meeting.pk}:invitation:{invitation.pk}:substitute:{substitute.pk}",
            url=meeting_url(meeting),
            context={"network": _meeting_name(meeting), "date": meeting.date},
        )
    return invitation


@transaction.atomic
def agenda_item_call_organisation(
    *, item: AgendaItem, organisation: Organisation, by: User
) -> list[Invitation]:
    """Invite an on-call organisation (Victas, OOV) for one case item, at the request of
    the case's casemanager or the coordinator. Its representatives are invited."""
    case = item.case
    if case is None:
        raise ValidationError(_("On-call organisations are invited for a case item."))
    if not (
        _has_role(by, Role.COORDINATOR)
        or (_has_role(by, Role.CASEMANAGER) and case.casemanager_id == by.pk)
    ):
        raise PermissionDenied(_("Only the coordinator or the case's casemanager may do this."))
    _require_agenda_editable(item.meeting)
    if not organisation.on_call_only:
        raise ValidationError(_("This organisation is invited to every meeting already."))
    users = User.objects.filter(
        organisation=organisation,
        is_active=True,
        groups__name=Role.PARTNER_REPRESENTATIVE.value,
    ).distinct()
    if not users:
        raise ValidationError(_("This organisation has no active representative to invite."))
    Invitation.objects.bulk_create(
        [
            Invitation(
                meeting_id=item.meeting_id, organisation=organisation, user=user, agenda_item=item
            )
            for user in users
        ],
        ignore_conflicts=True,
    )
    return list(Invitation.objects.filter(agenda_item=item, organisation=organisation))


# --- Agenda ----------------------------------------------------------------------------------


def _next_position(meeting: Meeting) -> int:
    top = AgendaItem.objects.filter(meeting=meeting).aggregate(top=Max("position"))["top"]
    return (top or 0) + 1


def _require_agenda_editable(meeting: Meeting) -> None:
    _require_open_agenda(meeting)
    _require_draft_minutes(meeting)


@transaction.atomic
def agenda_propose(
    *, meeting: Meeting, by: User, now: datetime.datetime | None = None
) -> list[AgendaItem]:
    """Add the proposals from the network's cases to the agenda (each case once; a case
    whose proposal was dropped is not proposed again). Returns the new items."""
    require_coordinator(by)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not meeting.is_case_meeting:
        return agenda_propose_bottlenecks(meeting=meeting, by=by)
    _require_agenda_editable(meeting)
    now = now or timezone.now()
    candidates = selectors.agenda_candidates(meeting=meeting, now=now)
    position = _next_position(meeting)
    new = []
    for candidate in candidates:
        source = proposal_source(
            candidate.status,
            # annotated by selectors.agenda_candidates
            evaluation_due=candidate.evaluation_due,  # type: ignore[attr-defined]
            action_overdue=candidate.action_overdue,  # type: ignore[attr-defined]
        )
        if source is None:
            continue
        new.append(
            AgendaItem(
                meeting=meeting,
                position=position,
                source=source,
                case_id=candidate.pk,
                phase=candidate.status,
            )
        )
        position += 1
    # The meeting row is locked and the candidates exclude cases already on it: no conflicts.
    return AgendaItem.objects.bulk_create(new)


@transaction.atomic
def agenda_propose_bottlenecks(*, meeting: Meeting, by: User) -> list[AgendaItem]:
    """Put the open bottlenecks on an advisory or steering agenda (each once)."""
    require_coordinator(by)
    if meeting.kind not in (MeetingKind.ADVISORY, MeetingKind.STEERING):
        return []
    _require_agenda_editable(meeting)
    already = AgendaItem.objects.filter(meeting=meeting, bottleneck__isnull=False).values(
        "bottleneck_id"
    )
    position = _next_position(meeting)
    items = []
    for offset, bottleneck in enumerate(
        Bottleneck.objects.filter(status=BottleneckStatus.OPEN).exclude(pk__in=already)
    ):
        items.append(
            AgendaItem.objects.create(
                meeting=meeting,
                position=position + offset,
                source=ItemSource.BOTTLENECK,
                bottleneck=bottleneck,
                title=bottleneck.title,
            )
        )
    return items


@transaction.atomic
def agenda_item_add(
    *, meeting: Meeting, title: str, by: User, question: str = "", case: Case | None = None
) -> AgendaItem:
    """Add a general item (or, for a case meeting, a case of the network by hand)."""
    require_coordinator(by)
    _require_agenda_editable(meeting)
    if case is not None:
        if not meeting.is_case_meeting:
            raise ValidationError(_("This meeting discusses no cases."))
        if case.network_id != meeting.network_id:
            raise ValidationError({"case": _("This case belongs to another network.")})
        if AgendaItem.objects.filter(meeting=meeting, case=case).exists():
            raise ValidationError({"case": _("This case is on the agenda already.")})
    return AgendaItem.objects.create(
        meeting=meeting,
        position=_next_position(meeting),
        source=ItemSource.GENERAL,
        case=case,
        phase=case.status if case else "",
        title=title,
        question=question,
    )


@transaction.atomic
def agenda_item_update(
    *, item: AgendaItem, by: User, question: str, title: str | None = None
) -> AgendaItem:
    """Change an item's question to the meeting (and a general item's title)."""
    require_coordinator(by)
    _require_agenda_editable(item.meeting)
    item.question = question
    if title is not None and item.case_id is None:
        item.title = title
    item._history_user = by  # type: ignore[attr-defined]
    item.save(update_fields=["question", "title"])
    return item


@transaction.atomic
def agenda_item_drop(*, item: AgendaItem, by: User) -> AgendaItem:
    """Take an item off the agenda (kept, so the proposal does not come back)."""
    require_coordinator(by)
    _require_agenda_editable(item.meeting)
    item.dropped_at = timezone.now()
    item._history_user = by  # type: ignore[attr-defined]
    item.save(update_fields=["dropped_at"])
    return item


@transaction.atomic
def agenda_reorder(*, meeting: Meeting, item_ids: Sequence[int], by: User) -> None:
    """Put the agenda's items in the given order (all of its kept items, each once)."""
    require_coordinator(by)
    _require_agenda_editable(meeting)
    items = {
        item.pk: item
        for item in AgendaItem.objects.select_for_update().filter(
            meeting=meeting, dropped_at__isnull=True
        )
    }
    if sorted(item_ids) != sorted(items):
        raise ValidationError(_("The order must list every item of the agenda once."))
    for position, pk in enumerate(item_ids, start=1):
        items[pk].position = position
    AgendaItem.objects.bulk_update(list(items.values()), ["position"])


@transaction.atomic
def agenda_publish(*, meeting: Meeting, by: User) -> Meeting:
    """Publish the agenda: the agenda-out deadline is met and the invitees are told, with a
    link behind sign-in (never an attachment). Publishing again after changes tells again."""
    require_coordinator(by)
    meeting = (
        Meeting.objects.select_for_update(of=("self",)).select_related("network").get(pk=meeting.pk)
    )
    _require_agenda_editable(meeting)
    now = timezone.now()
    for item in AgendaItem.objects.filter(meeting=meeting, case__isnull=False).select_related(
        "case"
    ):
        case = item.case
        assert case is not None  # filtered on case__isnull=False
        if item.phase != case.status:
            item.phase = case.status
            item.save(update_fields=["phase"])
    first = meeting.agenda_published_at is None
    meeting.agenda_published_at = now
    meeting._history_user = by  # type: ignore[attr-defined]
    meeting.save(update_fields=["agenda_published_at", "updated_at"])
    if first:
        deadline_meet(kind=kinds.MEETING_AGENDA, subject=meeting, at=now)
    _tell_invitees(
        meeting,
        event=Event.AGENDA_PUBLISHED,
        key=f"meeting:{meeting.pk}:agenda:{now.isoformat()}",
        date=meeting.date,
    )
    return meeting


# --- Minutes ---------------------------------------------------------------------------------


def minutes_item_record(*, item: AgendaItem, summary: str, by: User) -> AgendaItem:
    """Write the minutes of one item."""
    require_coordinator(by)
    _require_draft_minutes(item.meeting)
    item.summary = summary
    item._history_user = by  # type: ignore[attr-defined]
    item.save(update_fields=["summary"])
    return item


@dataclass(frozen=True)
class ActionSpec:
    """An action a decision asks for: organisation, optional person, due date, what."""

    organisation: Organisation
    due_on: datetime.date
    description: str
    person: User | None = None


@transaction.atomic
def decision_add(
    *, item: AgendaItem, text: str, by: User, actions: Sequence[ActionSpec] = ()
) -> Decision:
    """Record a decision on an item with the actions it asks for (kept as intended actions;
    `decision_create_actions` turns them into plan actions)."""
    require_coordinator(by)
    _require_draft_minutes(item.meeting)
    for spec in actions:
        if spec.person is not None and spec.person.organisation_id != spec.organisation.pk:
            raise ValidationError(
                {"person": _("The person must work for the organisation of the action.")}
            )
        if not spec.description.strip():
            raise ValidationError({"description": _("Say what is to be done.")})
        # The plan's own rule, now: an action it would refuse when the minutes are made
        # final must not get that far.
        problems = plan_rules.action_due_problems(due_on=spec.due_on, today=timezone.localdate())
        if problems:
            raise ValidationError(problems)
    decision = Decision.objects.create(item=item, text=text, created_by=by)
    IntendedAction.objects.bulk_create(
        [
            IntendedAction(
                decision=decision,
                organisation=spec.organisation,
                person=spec.person,
                due_on=spec.due_on,
                description=spec.description,
            )
            for spec in actions
        ]
    )
    return decision


@transaction.atomic
def decision_create_actions(*, decision: Decision, by: User) -> list[IntendedAction]:
    """Turn the decision's intended actions into actions on the case (once each): they
    appear on the case and under "My actions" of the organisation, whose representatives are
    told. A general item's decision has no case: its actions stay intended (in the minutes)."""
    pending = list(
        IntendedAction.objects.select_for_update(of=("self",))
        .filter(decision=decision, action_id__isnull=True)
        .select_related("organisation", "person")
    )
    if decision.item.case_id is None:
        return pending
    case = decision.item.case
    for intended in pending:
        action = plan_services.action_assign(
            by=by,
            organisation=intended.organisation,
            assignee=intended.person,
            due_on=intended.due_on,
            description=intended.description,
            decided_for=case,
            decided_on=decision.item.meeting.date,
        )
        intended.action_id = action.pk
        intended._history_user = by  # type: ignore[attr-defined]
        intended.save(update_fields=["action_id"])
    return pending


def attendance_record(
    *,
    meeting: Meeting,
    organisation: Organisation,
    present: bool,
    by: User,
    user: User | None = None,
) -> Attendance:
    """Record whether (and by whom) an organisation attended."""
    require_coordinator(by)
    _require_draft_minutes(meeting)
    if user is not None and user.organisation_id != organisation.pk:
        raise ValidationError({"user": _("This person does not work for the organisation.")})
    attendance, _created = Attendance.objects.update_or_create(
        meeting=meeting, organisation=organisation, defaults={"present": present, "user": user}
    )
    return attendance


@transaction.atomic
def minutes_finalise(*, meeting: Meeting, by: User) -> Meeting:
    """Make the minutes final (read-only from now on; corrections go in an addendum), turn
    decisions into actions where possible, and tell the invitees."""
    require_coordinator(by)
    meeting = (
        Meeting.objects.select_for_update(of=("self",)).select_related("network").get(pk=meeting.pk)
    )
    _require_open_agenda(meeting)
    if meeting.minutes_are_final:
        return meeting
    meeting.minutes_state = MinutesState.FINAL
    meeting.minutes_finalised_at = timezone.now()
    meeting._history_user = by  # type: ignore[attr-defined]
    meeting.save(update_fields=["minutes_state", "minutes_finalised_at", "updated_at"])
    for decision in Decision.objects.filter(item__meeting=meeting).select_related("item__meeting"):
        decision_create_actions(decision=decision, by=by)
    _tell_invitees(
        meeting,
        event=Event.MINUTES_FINAL,
        key=f"meeting:{meeting.pk}:minutes_final",
        date=meeting.date,
    )
    return meeting


@transaction.atomic
def minutes_addendum_add(*, meeting: Meeting, text: str, by: User) -> MinutesAddendum:
    """A dated correction to final minutes."""
    require_coordinator(by)
    if _current(meeting)[1] != MinutesState.FINAL:
        raise ValidationError(_("Change the draft minutes themselves; they are not final yet."))
    if not text.strip():
        raise ValidationError({"text": _("Write the correction.")})
    return MinutesAddendum.objects.create(meeting=meeting, text=text, created_by=by)


# --- Bottlenecks -----------------------------------------------------------------------------


@transaction.atomic
def bottleneck_signal(*, title: str, description: str, by: User) -> Bottleneck:
    """A partner signals a bottleneck to the coordinator (for their organisation)."""
    if by.organisation_id is None or not _has_role(
        by, Role.PARTNER_REPRESENTATIVE, Role.CASEMANAGER, Role.COORDINATOR, Role.MEETING_MEMBER
    ):
        raise PermissionDenied(_("You may not signal bottlenecks."))
    return Bottleneck.objects.create(
        organisation_id=by.organisation_id, signalled_by=by, title=title, description=description
    )


@transaction.atomic
def bottleneck_resolve(*, bottleneck: Bottleneck, resolution: str, by: User) -> Bottleneck:
    """The coordinator resolves an open bottleneck and says how."""
    require_coordinator(by)
    bottleneck = Bottleneck.objects.select_for_update().get(pk=bottleneck.pk)
    if bottleneck.status != BottleneckStatus.OPEN:
        raise ValidationError(_("This bottleneck has been resolved already."))
    if not resolution.strip():
        raise ValidationError({"resolution": _("Say how the bottleneck was resolved.")})
    bottleneck.status = BottleneckStatus.RESOLVED
    bottleneck.resolution = resolution
    bottleneck.resolved_at = timezone.now()
    bottleneck._history_user = by  # type: ignore[attr-defined]
    bottleneck.save(update_fields=["status", "resolution", "resolved_at"])
    return bottleneck


# --- Documents (PDF) -------------------------------------------------------------------------


def meeting_document_request(
    *, meeting: Meeting, kind: DocumentKind | str, by: User, organisation: Organisation | None
) -> MeetingDocument:
    """The PDF of the agenda or minutes for one recipient organisation (None: the full
    version, coordinator only). Reused while its content is unchanged; otherwise queued for
    the worker (after commit). Poll `state`/`progress` for its progress."""

    kind = DocumentKind(kind)
    meeting = Meeting.objects.select_related("network").get(pk=meeting.pk)
    if not _has_role(by, Role.COORDINATOR):
        # A representative gets their own organisation's version of a published agenda
        # (or of the minutes) of a meeting their organisation is invited to.
        own = organisation is not None and organisation.pk == by.organisation_id
        invited = Invitation.objects.filter(meeting=meeting, organisation=organisation).exists()
        published = kind == DocumentKind.MINUTES or meeting.agenda_published_at is not None
        if not (own and invited and published):
            raise PermissionDenied(_("You may not print this document."))
    digest = content_hash(document_context(meeting=meeting, kind=kind, organisation=organisation))
    with transaction.atomic():
        document, _created = MeetingDocument.objects.select_for_update().get_or_create(
            meeting=meeting, kind=kind, organisation=organisation
        )
        if document.content_hash == digest and document.state in (
            RenderState.DONE,
            RenderState.QUEUED,
            RenderState.RUNNING,
        ):
            return document
        document.state = RenderState.QUEUED
        document.progress = 0
        document.error = ""
        document.content_hash = digest
        document.save()

        pk = document.pk
        transaction.on_commit(lambda: _queue_render(pk))
    return document


def _queue_render(document_pk: int) -> None:
    """Queue the render task; with the broker away the row stays queued (the page says so)
    and `meeting_documents_requeue_stuck` (beat) queues it again later."""
    try:
        render_meeting_document.delay(document_pk)
    except Exception:
        logger.exception("meeting document not queued document=%s", document_pk)


# A PDF takes seconds; one still queued or being made this long after it was asked for lost
# its task (broker away when it was queued, or the message lost with its worker).
DOCUMENT_STUCK_AFTER = datetime.timedelta(minutes=10)


def meeting_documents_requeue_stuck(*, older_than: datetime.timedelta | None = None) -> int:
    """Queue again every document still waiting `older_than` after it was requested. Safe
    when the first task was not lost after all: the render does its work only while the row
    is still pending, and keeps its result only if no other run finished first."""
    cutoff = timezone.now() - (older_than if older_than is not None else DOCUMENT_STUCK_AFTER)
    pks = list(
        MeetingDocument.objects.filter(
            state__in=[RenderState.QUEUED, RenderState.RUNNING], requested_at__lt=cutoff
        )
        .order_by("requested_at")
        .values_list("pk", flat=True)[:1000]
    )
    for pk in pks:
        render_meeting_document.delay(pk)
    if pks:
        logger.warning("meeting documents requeued count=%s", len(pks))
    return len(pks)


def meeting_document_render(*, document_pk: int) -> bool:
    """The task body: make the PDF once. False when there is nothing (left) to do.

    Safe to run twice, also at the same time (a task queued again by the beat job, or
    redelivered after its worker died): the row is claimed under a lock only while queued or
    being made, and the result is kept only if the row is still being made for the same
    content; otherwise this run's PDF is discarded (another run finished, or the content
    changed and a newer task makes it)."""

    with transaction.atomic():
        document = (
            MeetingDocument.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("meeting__network", "organisation")
            .filter(pk=document_pk, state__in=[RenderState.QUEUED, RenderState.RUNNING])
            .first()
        )
        if document is None:
            return False
        claimed_hash = document.content_hash
        MeetingDocument.objects.filter(pk=document_pk).update(
            state=RenderState.RUNNING, progress=10
        )
    try:
        context = document_context(
            meeting=document.meeting, kind=document.kind, organisation=document.organisation
        )
        MeetingDocument.objects.filter(pk=document_pk).update(progress=40)
        pdf = render_pdf(context)
    except Exception:
        MeetingDocument.objects.filter(pk=document_pk).update(
            state=RenderState.FAILED, error="render failed", finished_at=timezone.now()
        )
        raise
    with transaction.atomic():
        document = MeetingDocument.objects.select_for_update().get(pk=document_pk)
        if document.state != RenderState.RUNNING or document.content_hash != claimed_hash:
            return False  # another run finished first, or newer content is queued
        if document.file:
            document.file.delete(save=False)
        name = f"{document.kind}-{document.meeting_id}-{document.organisation_id or 'all'}.pdf"
        document.file.save(name, ContentFile(pdf), save=False)
        document.content_hash = content_hash(context)
        document.state = RenderState.DONE
        document.progress = 100
        document.finished_at = timezone.now()
        document.save()
    return True


def meeting_documents_purge_for_case(*, case: Case) -> int:
    """Delete the cached PDFs of every meeting that discussed `case` (erasure, retention):
    they are made again, without the erased data, when someone asks for them."""
    documents = list(MeetingDocument.objects.filter(meeting__items__case=case).distinct())
    for document in documents:
        if document.file:
            document.file.delete(save=False)
    MeetingDocument.objects.filter(pk__in=[d.pk for d in documents]).delete()
    return len(documents)
