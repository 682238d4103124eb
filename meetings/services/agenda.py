"""The agenda: proposals from the cases, bottlenecks and hand-made items; order; publishing."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case
from deadlines import kinds
from deadlines.services import deadline_meet
from notifications.choices import Event
from partners.models import User

from .. import selectors
from ..choices import (
    BottleneckStatus,
    ItemSource,
    MeetingKind,
)
from ..domain.agenda import proposal_source
from ..models import (
    AgendaItem,
    Bottleneck,
    Meeting,
)
from .common import (
    _require_agenda_editable,
    _tell_invitees,
    require_coordinator,
)

# --- Agenda ----------------------------------------------------------------------------------


def _next_position(meeting: Meeting) -> int:
    top = AgendaItem.objects.filter(meeting=meeting).aggregate(top=Max("position"))["top"]
    return (top or 0) + 1


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
