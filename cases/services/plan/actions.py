"""Actions: assigned to a partner organisation (and a person), done or cancelled."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from deadlines import kinds as deadline_kinds
from deadlines.services import deadline_meet, deadline_open
from notifications.choices import Event
from notifications.services import notify
from partners.choices import Role
from partners.models import Organisation, User

from ... import access
from ...choices_plan import (
    ActionStatus,
    PlanStatus,
)
from ...domain import plan as rules
from ...domain.plan import PlanRefused
from ...models import (
    Action,
    AftercarePlan,
    Case,
    CaseInvolvement,
    Goal,
    LifeDomain,
)
from ..common import _today
from ..involvement import involvement_add
from .common import _require, _require_case_team, _require_open, _save

# --- Actions -------------------------------------------------------------------------------


def _action_url(action: Action) -> str:
    """Where the notice of an assigned or overdue action leads: "my actions"."""
    return reverse("cases:my_actions")


@transaction.atomic
def action_assign(
    *,
    by: User,
    organisation: Organisation,
    description: str,
    due_on: datetime.date,
    goal: Goal | None = None,
    aftercare_plan: AftercarePlan | None = None,
    assignee: User | None = None,
    life_domain: LifeDomain | None = None,
    decided_for: Case | None = None,
    decided_on: datetime.date | None = None,
) -> Action:
    """An action for an organisation (optionally one of its people) under a goal, the
    aftercare plan, or (`decided_for`: the case; `decided_on`: the meeting's date) a
    decision of a case meeting. The
    organisation becomes involved in the case when it was not; its representatives (and the
    person) are told; the action's deadline opens."""
    if [goal, aftercare_plan, decided_for].count(None) != 2:
        raise ValueError("An action belongs to a goal, the aftercare plan or a meeting decision")
    if decided_for is not None:
        case = decided_for
    else:
        case = goal.case if goal is not None else aftercare_plan.case  # type: ignore[union-attr]
    _require_case_team(case=case, by=by)
    _require_open(case)
    if goal is not None and goal.plan.status == PlanStatus.SUPERSEDED:
        raise PlanRefused(
            _("This version of the plan is replaced: add the action to the current one.")
        )
    problems = rules.action_due_problems(due_on=due_on, today=_today())
    if not description.strip():
        problems["description"] = str(_("Say what is to be done."))
    if assignee is not None and assignee.organisation_id != organisation.pk:
        problems["assignee"] = str(_("The person must belong to the organisation."))
    if problems:
        raise PlanRefused(list(problems.values()))
    if not CaseInvolvement.objects.filter(
        case=case, organisation=organisation, is_active=True
    ).exists():
        involvement_add(case=case, organisation=organisation, by=by)
    action = Action(
        case=case,
        goal=goal,
        aftercare_plan=aftercare_plan,
        decided_in_meeting=decided_for is not None,
        decided_on=decided_on if decided_for is not None else None,
        life_domain=life_domain,
        description=description,
        organisation=organisation,
        assignee=assignee,
        due_on=due_on,
        created_by=by,
    )
    _save(action, by=by)
    deadline_open(
        kind=deadline_kinds.ACTION,
        case=case,
        subject=action,
        organisation=organisation,
        started_on=_today(),
        given=due_on,
    )
    action_pk = action.pk
    transaction.on_commit(lambda: action_assigned_notify(action_pk), robust=True)
    return action


def action_assigned_notify(action_pk: int) -> int:
    """Tell the organisation's active representatives (and the assigned person) once."""
    action = Action.objects.select_related("case").get(pk=action_pk)
    recipients = list(
        User.objects.filter(
            is_active=True,
            organisation_id=action.organisation_id,
            groups__name=Role.PARTNER_REPRESENTATIVE.value,
        ).distinct()
    )
    if action.assignee is not None and action.assignee not in recipients:
        recipients.append(action.assignee)
    return notify(
        recipients=recipients,
        event=Event.ACTION_ASSIGNED,
        key=f"action:{action.pk}:assigned",
        case=action.case,
        url=_action_url(action),
    )


def _finish(action: Action, *, by: User, status: ActionStatus, note: str) -> Action:
    action = Action.objects.select_for_update().select_related("case").get(pk=action.pk)
    if action.status != ActionStatus.OPEN:
        raise PlanRefused(_("This action is already done or cancelled."))
    action.status = status
    if status == ActionStatus.DONE:
        action.completion_note = note
    else:
        action.cancel_reason = note
    action.finished_by, action.finished_at = by, timezone.now()
    _save(action, by=by)
    deadline_meet(kind=deadline_kinds.ACTION, case=action.case, subject=action)
    return action


@transaction.atomic
def action_complete(*, action: Action, by: User, note: str = "") -> Action:
    """Mark an open action done: its organisation's representatives, or the case team."""
    _require(access.may_finish_action(by, action))
    return _finish(action, by=by, status=ActionStatus.DONE, note=note)


@transaction.atomic
def action_cancel(*, action: Action, by: User, reason: str) -> Action:
    """Cancel an open action with a reason: the case team."""
    _require(access.may_cancel_action(by, action))
    if not reason.strip():
        raise PlanRefused(_("Give the reason for cancelling the action."))
    return _finish(action, by=by, status=ActionStatus.CANCELLED, note=reason)
