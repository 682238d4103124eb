"""Minutes: per item, decisions and the actions they create, attendance, finalising, addenda;
and the bottlenecks signalled to the advisory group."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.domain import plan as plan_rules
from cases.services import plan as plan_services
from notifications.choices import Event
from partners.choices import Role
from partners.models import Organisation, User

from ..choices import (
    BottleneckStatus,
    MinutesState,
)
from ..models import (
    AgendaItem,
    Attendance,
    Bottleneck,
    Decision,
    IntendedAction,
    Meeting,
    MinutesAddendum,
)
from .common import (
    _current,
    _has_role,
    _require_draft_minutes,
    _require_open_agenda,
    _tell_invitees,
    require_coordinator,
)

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
