"""`case_transition`: THE way a case changes status, the facts its guards read, and the effects
the workflow table (domain/workflow.py) lists for each step."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from deadlines import kinds as deadline_kinds
from deadlines.services import (
    deadline_lapse,
    deadline_meet,
    deadline_open,
    deadlines_lapse_for_case,
)
from partners.access import roles_of
from partners.models import User

from .. import extensions
from .. import notifications as case_notifications
from ..choices import (
    CaseStatus,
    ConsentDecision,
    RedirectTarget,
)
from ..domain import workflow
from ..models import (
    Case,
    CaseNumberSequence,
    CaseStatusChange,
    ConsentRequest,
    Criterion,
    CriterionAssessment,
    Person,
    PoliceScreening,
    Referral,
)
from ..selectors.plan import plan_facts
from .common import _on_commit, _today
from .involvement import _end_all_involvements, _involve_asked
from .referral import recidivism_check


def _next_case_number(year: int) -> str:
    sequence, _created = CaseNumberSequence.objects.select_for_update().get_or_create(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{settings.CASE_NUMBER_PREFIX}-{year}-{sequence.last:04d}"


def _count(queryset: Any) -> Any:
    """A subquery counting `queryset`'s rows (0 when none)."""
    counted = queryset.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n"), output_field=IntegerField()), Value(0))


def case_facts(*, case: Case, by: User) -> workflow.CaseFacts:
    """What the workflow guards need, in a handful of queries: the intake facts in one, the
    plan facts (agreed plan, final evaluation, open actions) from `plan_facts` in another.
    Every page that offers steps gets them, so no caller can forget or claim them."""
    needs_consent = case.corporation_id is not None
    active = CriterionAssessment.objects.filter(case=OuterRef("pk"), criterion__is_active=True)
    # Criteria, consent, screening and KRIS in one query.
    row = (
        Case.objects.filter(pk=case.pk)
        .annotate(
            active_criteria=_count(Criterion.objects.filter(is_active=True)),
            assessed=_count(active),
            unmet=Exists(active.filter(is_met=False)),
            consented=Exists(
                ConsentRequest.objects.filter(
                    case=OuterRef("pk"),
                    corporation=OuterRef("corporation"),
                    decision=ConsentDecision.CONSENT,
                )
            ),
            screened=Exists(
                PoliceScreening.objects.filter(case=OuterRef("pk")).exclude(risk_level="")
            ),
        )
        .values(
            "active_criteria",
            "assessed",
            "unmet",
            "consented",
            "screened",
            "kris_check__result",
            "kris_check__trajectory_manager_contacted_on",
            "kris_check__plans_aligned",
            "kris_check__target_group_outcome",
        )
        .get()
    )
    kris_recorded = workflow.kris_is_complete(
        result=row["kris_check__result"],
        trajectory_manager_contacted_on=row["kris_check__trajectory_manager_contacted_on"],
        plans_aligned=row["kris_check__plans_aligned"],
        target_group_outcome=row["kris_check__target_group_outcome"],
    )
    plan = plan_facts(case)
    return workflow.CaseFacts(
        status=CaseStatus(case.status),
        has_casemanager=case.casemanager_id is not None,
        criteria_complete=0 < row["active_criteria"] == row["assessed"],
        criteria_all_met=row["assessed"] > 0 and not row["unmet"],
        criteria_override=case.criteria_override,
        needs_corporation_consent=needs_consent,
        corporation_consented=needs_consent and row["consented"],
        screening_settled=case.screening_waived_on is not None or row["screened"],
        kris_recorded=kris_recorded,
        has_agreed_plan=plan.has_agreed_plan,
        has_final_evaluation=plan.has_final_evaluation,
        has_open_actions=plan.has_open_actions,
        actor_roles=roles_of(by),
        actor_is_casemanager=case.casemanager_id == by.pk,
    )


@transaction.atomic
def case_transition(
    *,
    case: Case,
    to: CaseStatus,
    by: User,
    motivation: str = "",
    **details: Any,
) -> Case:
    """THE way a case changes status: the workflow table's guard, the status change, the
    append-only status-change row and every effect the table lists for the step, in one
    transaction; notices are queued on commit. `details` are what the effects need
    (`referral` to submit, `target` to redirect, `into` to attach)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    facts = case_facts(case=case, by=by)
    step = workflow.require_transition(facts, CaseStatus(to))
    lacking = workflow.missing(step, motivation=motivation, details=details)
    if lacking:
        raise workflow.TransitionRefused(lacking)
    from_status = case.status
    case.status = to
    case._history_user = by  # type: ignore[attr-defined]
    case.save(update_fields=["status", "updated_at"])
    CaseStatusChange.objects.create(
        case=case, from_status=from_status, to_status=to, by=by, motivation=motivation
    )
    for effect in step.effects:
        _EFFECTS[effect](case, by, details)
    return case


# --- The effects of transitions (workflow.Effect): each one small, run in the table's order.

_Details = dict[str, Any]


def _set_date(case: Case, by: User, field: str) -> None:
    setattr(case, field, _today())
    case._history_user = by  # type: ignore[attr-defined]
    case.save(update_fields=[field, "updated_at"])


def _submit_referral(case: Case, by: User, details: _Details) -> None:
    """Case number, received date, the intake deadline (its due date and state live in the
    deadline row only), the recidivism check, and the referral's submission time."""
    today = _today()
    case.number = _next_case_number(today.year)
    case.referred_on = today
    deadline_open(kind=deadline_kinds.INTAKE, case=case, started_on=today)
    case._history_user = by  # type: ignore[attr-defined]
    case.save(update_fields=["number", "referred_on", "updated_at"])
    recidivism_check(case=case)
    # save(), not update(): the submission is part of the referral's history.
    referral = Referral.objects.get(pk=details["referral"].pk, case=case)
    referral.submitted_at = timezone.now()
    referral._history_user = by  # type: ignore[attr-defined]
    referral.save(update_fields=["submitted_at", "updated_at"])
    # Feature apps above cases (early signals on the same address) take part here.
    extensions.referral_submitted_run(case=case, by=by)


def _record_redirect_target(case: Case, by: User, details: _Details) -> None:
    case.redirect_target = RedirectTarget(details["target"])
    case._history_user = by  # type: ignore[attr-defined]
    case.save(update_fields=["redirect_target", "updated_at"])  # a decision: kept in history


def _move_to_open_case(case: Case, by: User, details: _Details) -> None:
    """Attach a duplicate referral: its referrals and new persons move to the open case."""

    into: Case = details["into"]
    if into.pk == case.pk or into.status not in workflow.OPEN_STATUSES:
        raise workflow.TransitionRefused([_("Attach only to another open case.")])
    # Moves of personal data and the decision itself are written with history (not update()).
    referrals = list(Referral.objects.filter(case=case))
    persons = list(
        Person.objects.filter(case=case).exclude(
            person_key__in=into.persons.exclude(person_key="").values("person_key")
        )
    )
    for referral in referrals:
        referral.case = into
    for person in persons:
        person.case = into
    bulk_update_with_history(referrals, Referral, ["case"], default_user=by)
    bulk_update_with_history(persons, Person, ["case"], default_user=by)
    case.merged_into = into
    case._history_user = by  # type: ignore[attr-defined]
    case.save(update_fields=["merged_into", "updated_at"])
    # Feature apps above cases move what they hold of the duplicate (early signals).
    extensions.case_attached_run(case=case, into=into, by=by)


def _reopen(case: Case, by: User, details: _Details) -> None:
    """A reopened case is open again: no closing date, no retention period running."""
    deadline_lapse(kind=deadline_kinds.RETENTION, case=case)
    case.closed_on = None
    case._history_user = by  # type: ignore[attr-defined]
    case.save(update_fields=["closed_on", "updated_at"])


_EFFECTS: dict[workflow.Effect, Any] = {
    workflow.Effect.SUBMIT_REFERRAL: _submit_referral,
    workflow.Effect.NOTIFY_NEW_REFERRAL: lambda case, by, d: _on_commit(
        case_notifications.new_referral, case.pk
    ),
    workflow.Effect.SET_INTAKE_STARTED: lambda case, by, d: _set_date(
        case, by, "intake_started_on"
    ),
    workflow.Effect.MEET_INTAKE_DEADLINE: lambda case, by, d: deadline_meet(
        kind=deadline_kinds.INTAKE, case=case
    ),
    workflow.Effect.SET_ACCEPTED: lambda case, by, d: _set_date(case, by, "accepted_on"),
    workflow.Effect.OPEN_EVALUATION_DEADLINE: lambda case, by, d: deadline_open(
        kind=deadline_kinds.SIX_MONTH_EVALUATION, case=case, started_on=case.accepted_on
    ),
    workflow.Effect.RECORD_REDIRECT_TARGET: _record_redirect_target,
    workflow.Effect.MOVE_TO_OPEN_CASE: _move_to_open_case,
    workflow.Effect.SET_CLOSED: lambda case, by, d: _set_date(case, by, "closed_on"),
    workflow.Effect.LAPSE_DEADLINES: lambda case, by, d: deadlines_lapse_for_case(case=case),
    # The retention period runs from here (a redirected referral's is shorter);
    # privacy.services.retention_apply meets it on its due day.
    workflow.Effect.OPEN_RETENTION_DEADLINE: lambda case, by, d: deadline_open(
        kind=deadline_kinds.RETENTION,
        case=case,
        started_on=case.closed_on,
        variant=workflow.retention_variant(case.status),
    ),
    workflow.Effect.NOTIFY_DECISION: lambda case, by, d: _on_commit(
        case_notifications.decision, case.pk
    ),
    workflow.Effect.REOPEN: _reopen,
    workflow.Effect.INVOLVE_ASKED_ORGANISATIONS: lambda case, by, d: _involve_asked(case, by),
    workflow.Effect.END_INVOLVEMENTS: lambda case, by, d: _end_all_involvements(
        case, by, _("The referral was redirected or attached to another case.")
    ),
}
assert set(_EFFECTS) == set(workflow.Effect), "every effect of the workflow table is performed"
