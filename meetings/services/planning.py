"""Planning meetings: one or a year's series, moving and cancelling; the standing topics and
representatives every new meeting starts with."""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from deadlines import kinds
from deadlines.calendar import working_day_calendar
from deadlines.services import deadline_lapse, deadline_open
from notifications.choices import Event
from partners.choices import RepresentativeKind
from partners.models import Network, NetworkRepresentative, User

from ..access import (
    schedule_problem,
)
from ..choices import (
    ItemSource,
    MeetingKind,
    MeetingStatus,
)
from ..domain import schedule
from ..models import (
    AgendaItem,
    Invitation,
    Meeting,
    MeetingSeries,
)
from .common import (
    _tell_invitees,
    require_coordinator,
)

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
