"""Every write of the plan of approach, its actions, evaluations, aftercare, material support
and relocation (DOMAIN.md §5–6). Keyword-only, the acting user as `by`; rights are checked
here (`cases/access.py`), rules asked from `cases/domain/plan.py`; deadlines are opened
and met here, notifications queued on commit.

Refusals: `PermissionDenied` when the user may not do this at all, `PlanRefused` (with the
reasons in the user's language) when the rules do not allow it now.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from deadlines import kinds as deadline_kinds
from deadlines.services import deadline_lapse, deadline_meet, deadline_open
from notifications.choices import Event
from notifications.services import notify
from partners.access import has_role, may_manage_partners
from partners.choices import OrganisationKind, Role
from partners.models import Organisation, User

from .. import access
from ..choices import DataCategory
from ..choices_plan import (
    ActionStatus,
    AssessmentMoment,
    EvaluationKind,
    FollowUp,
    PlanStatus,
    SupportDecision,
)
from ..domain import plan as rules
from ..domain import workflow
from ..domain.plan import FinalOutcome, PlanRefused
from ..models import (
    Action,
    AftercarePlan,
    Case,
    CaseInvolvement,
    Evaluation,
    EvictionAdvice,
    Goal,
    GoalEvaluation,
    Investigation,
    LifeDomain,
    LifeDomainAssessment,
    LifeDomainScore,
    MaterialSupport,
    Person,
    Plan,
    PlanAgreement,
    PoliceSituationReport,
    Relocation,
)
from ..selectors import plan as plan_selectors
from .involvement import involvement_add
from .journal import _basis_fields

__all__ = ["PlanRefused"]

# Scores of a life-domain analysis: domain pk → (score 1–5, short note).
Scores = Mapping[int, tuple[int, str]]
# Results of an evaluation: goal pk → (result, note).
GoalResults = Mapping[int, tuple[str, str]]


def _today() -> datetime.date:
    return timezone.localdate()


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _require_case_team(*, case: Case, by: User) -> None:
    _require(access.may_write_plan(by, case))


def _require_open(case: Case) -> None:
    if case.status in workflow.TERMINAL_STATUSES:
        raise PlanRefused(_("The case is closed: it can no longer be changed."))


def _save(obj: Any, *, by: User, **kwargs: Any) -> None:
    obj._history_user = by
    obj.save(**kwargs)


def _bump_version(model: type[Any], pk: int, expected: int | None) -> int | None:
    """Optimistic locking in one statement: UPDATE … SET version = version + 1 WHERE version
    = expected. A concurrent save of the same row waits for the other's COMMIT and then finds
    the version changed, so of two saves of one loaded form exactly one wins. Returns the new
    version (None: no form version given, nothing checked)."""
    if expected is None:
        return None
    if not model.objects.filter(pk=pk, version=expected).update(version=F("version") + 1):
        raise PlanRefused(
            _("Someone else saved this in the meantime. Your input is kept; check and save again.")
        )
    return expected + 1


# --- Investigation -------------------------------------------------------------------------

INVESTIGATION_FIELDS = (
    "causer_heard_on",
    "neighbours_heard_on",
    "nuisance_origin",
    "origin_motivation",
    "lead_trajectory",
    "care_worker_name",
    "care_worker_organisation",
    "plans_aligned",
    "alignment_note",
)


@transaction.atomic
def investigation_record(*, case: Case, by: User, data: Mapping[str, Any]) -> Investigation:
    """Create or update the case's investigation record with the fields in `data`."""
    _require_case_team(case=case, by=by)
    _require_open(case)
    unknown = set(data) - set(INVESTIGATION_FIELDS)
    if unknown:
        raise ValueError(f"Not fields of the investigation: {sorted(unknown)}")
    investigation = Investigation.objects.select_for_update().filter(
        case=case
    ).first() or Investigation(case=case, recorded_by=by)
    for name, value in data.items():
        setattr(investigation, name, value)
    investigation.recorded_by = by
    _save(investigation, by=by)
    return investigation


# --- Plan versions -------------------------------------------------------------------------


@transaction.atomic
def plan_start(
    *, case: Case, by: User, summary: str = "", evaluation_interval_months: int = 3
) -> Plan:
    """The first draft of the plan (version 1). Later versions come from `plan_new_version`."""
    _require_case_team(case=case, by=by)
    _require_open(case)
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.plans.exists():
        raise PlanRefused(
            _("This case already has a plan; adjust it through an evaluation (a new version).")
        )
    plan = Plan(
        case=case,
        number=1,
        summary=summary,
        evaluation_interval_months=evaluation_interval_months,
        created_by=by,
    )
    _save(plan, by=by)
    return plan


def _require_draft(plan: Plan) -> None:
    if plan.status != PlanStatus.DRAFT:
        raise PlanRefused(_("This version of the plan is no longer a draft: it is read-only."))


@transaction.atomic
def plan_update(
    *,
    plan: Plan,
    by: User,
    summary: str,
    evaluation_interval_months: int,
    version: int | None = None,
) -> Plan:
    """Change the draft's summary and interval; PlanRefused when someone saved it since
    `version` (the form's) was loaded."""
    _require_case_team(case=plan.case, by=by)
    _bump_version(Plan, plan.pk, version)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _require_draft(plan)
    plan.summary = summary
    plan.evaluation_interval_months = evaluation_interval_months
    _save(plan, by=by, update_fields=["summary", "evaluation_interval_months"])
    return plan


@transaction.atomic
def plan_new_version(*, plan: Plan, by: User) -> Plan:
    """A draft next version of an agreed plan: its summary, goals (each continuing the goal
    it copies, for the diff) and life-domain scores copied. The agreed version stays in force
    until the new one is agreed."""
    _require_case_team(case=plan.case, by=by)
    _require_open(plan.case)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.AGREED:
        raise PlanRefused(_("Only the agreed plan can be adjusted into a new version."))
    if Plan.objects.filter(case_id=plan.case_id, status=PlanStatus.DRAFT).exists():
        raise PlanRefused(_("A new version of the plan is already being drafted."))
    new = Plan(
        case_id=plan.case_id,
        number=plan.number + 1,
        previous=plan,
        summary=plan.summary,
        evaluation_interval_months=plan.evaluation_interval_months,
        created_by=by,
    )
    _save(new, by=by)
    for goal in plan.goals.prefetch_related("agreed_partners", "life_domains"):
        copy = Goal(
            case_id=goal.case_id,
            plan=new,
            origin=goal,
            lineage=goal.lineage,
            order=goal.order,
            specific=goal.specific,
            indicator=goal.indicator,
            target=goal.target,
            feasibility=goal.feasibility,
            target_date=goal.target_date,
            covenant_elements=list(goal.covenant_elements),
        )
        _save(copy, by=by)
        copy.agreed_partners.set(goal.agreed_partners.all())
        copy.life_domains.set(goal.life_domains.all())
    latest = _latest_scores(case_id=plan.case_id)
    if latest:
        life_domains_assess(
            case=plan.case,
            by=by,
            plan=new,
            scores={domain_id: (score, note) for domain_id, (score, note) in latest.items()},
        )
    return new


def _latest_scores(*, case_id: int) -> dict[int, tuple[int, str]]:
    assessment = (
        LifeDomainAssessment.objects.filter(case_id=case_id).order_by("-assessed_on", "-pk").first()
    )
    if assessment is None:
        return {}
    return {s.domain_id: (s.score, s.note) for s in assessment.scores.all()}


@transaction.atomic
def plan_agreement_record(*, plan: Plan, by: User, note: str = "") -> PlanAgreement:
    """A representative records that their organisation agrees with this (draft) version."""
    _require(access.may_agree_plan(by, plan.case))
    _require_draft(plan)
    agreement, created = PlanAgreement.objects.get_or_create(
        plan=plan,
        organisation=by.organisation,
        defaults={"case_id": plan.case_id, "by": by, "note": note},
    )
    if not created and note != agreement.note:
        agreement.note = note
        _save(agreement, by=by, update_fields=["note"])
    return agreement


@transaction.atomic
def plan_mark_agreed(*, plan: Plan, by: User) -> Plan:
    """The casemanager marks the draft agreed: at least one SMART goal and a life-domain
    analysis. The version it replaces becomes read-only; open actions of goals carried over
    move to their continuation; the periodic evaluation deadline opens at the plan's
    interval. The case's status is moved by `case_transition` (its guard asks
    `selectors.plan.plan_facts`)."""
    _require_case_team(case=plan.case, by=by)
    _require_open(plan.case)
    plan = Plan.objects.select_for_update().select_related("case").get(pk=plan.pk)
    goals = list(plan.goals.prefetch_related("agreed_partners"))
    smart = [g for g in goals if rules.is_smart(_goal_values(g))]
    reasons = rules.agreement_refusals(
        is_draft=plan.status == PlanStatus.DRAFT,
        smart_goals=len(smart),
        has_life_domain_analysis=plan.life_domain_assessments.filter(
            moment=AssessmentMoment.PLAN, scores__isnull=False
        ).exists(),
    )
    if reasons:
        raise PlanRefused(reasons)
    now = timezone.now()
    for previous in Plan.objects.select_for_update().filter(
        case_id=plan.case_id, status=PlanStatus.AGREED
    ):
        previous.status = PlanStatus.SUPERSEDED
        _save(previous, by=by, update_fields=["status"])
        deadline_lapse(kind=deadline_kinds.PERIODIC_EVALUATION, subject=previous)
    plan.status = PlanStatus.AGREED
    plan.agreed_by, plan.agreed_at = by, now
    _save(plan, by=by, update_fields=["status", "agreed_by", "agreed_at"])
    for goal in goals:
        if goal.origin_id is None:
            continue
        for action in Action.objects.select_for_update().filter(
            goal_id=goal.origin_id, status=ActionStatus.OPEN
        ):
            action.goal = goal
            _save(action, by=by, update_fields=["goal"])
    deadline_open(
        kind=deadline_kinds.PERIODIC_EVALUATION,
        case=plan.case,
        subject=plan,
        started_on=timezone.localdate(now),
        amount=plan.evaluation_interval_months,
    )
    return plan


# --- Goals ---------------------------------------------------------------------------------


def _goal_values(goal: Goal) -> dict[str, Any]:
    return {
        "specific": goal.specific,
        "indicator": goal.indicator,
        "target": goal.target,
        "agreed_partners": list(goal.agreed_partners.all()),
        "feasibility": goal.feasibility,
        "target_date": goal.target_date,
    }


def _check_smart(values: Mapping[str, Any]) -> datetime.date:
    """Refuse a goal that is not SMART; return its target date (then known to be set)."""
    problems = rules.smart_problems(values)
    if problems:
        raise PlanRefused(list(problems.values()))
    target_date: datetime.date = values["target_date"]
    return target_date


@transaction.atomic
def goal_add(
    *,
    plan: Plan,
    by: User,
    specific: str,
    indicator: str,
    target: str,
    agreed_partners: Iterable[Organisation],
    feasibility: str,
    target_date: datetime.date | None,
    life_domains: Iterable[LifeDomain] = (),
    covenant_elements: Iterable[str] = (),
) -> Goal:
    """A SMART goal in a draft plan; refused with a reason per missing part."""
    _require_case_team(case=plan.case, by=by)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    _require_draft(plan)
    partners = list(agreed_partners)
    target_date = _check_smart(
        {
            "specific": specific,
            "indicator": indicator,
            "target": target,
            "agreed_partners": partners,
            "feasibility": feasibility,
            "target_date": target_date,
        }
    )
    order = plan.goals.count() + 1
    goal = Goal(
        case_id=plan.case_id,
        plan=plan,
        order=order,
        specific=specific,
        indicator=indicator,
        target=target,
        feasibility=feasibility,
        target_date=target_date,
        covenant_elements=list(covenant_elements),
    )
    _save(goal, by=by)
    goal.agreed_partners.set(partners)
    goal.life_domains.set(list(life_domains))
    return goal


@transaction.atomic
def goal_update(
    *,
    goal: Goal,
    by: User,
    specific: str,
    indicator: str,
    target: str,
    agreed_partners: Iterable[Organisation],
    feasibility: str,
    target_date: datetime.date | None,
    life_domains: Iterable[LifeDomain] = (),
    covenant_elements: Iterable[str] = (),
    version: int | None = None,
) -> Goal:
    """Change a goal of the draft; PlanRefused when someone saved it since `version` (the
    form's) was loaded."""
    _require_case_team(case=goal.plan.case, by=by)
    _require_draft(Plan.objects.select_for_update().get(pk=goal.plan_id))
    bumped = _bump_version(Goal, goal.pk, version)
    if bumped is not None:
        goal.version = bumped
    partners = list(agreed_partners)
    target_date = _check_smart(
        {
            "specific": specific,
            "indicator": indicator,
            "target": target,
            "agreed_partners": partners,
            "feasibility": feasibility,
            "target_date": target_date,
        }
    )
    goal.specific, goal.indicator, goal.target = specific, indicator, target
    goal.feasibility, goal.target_date = feasibility, target_date
    goal.covenant_elements = list(covenant_elements)
    _save(goal, by=by)
    goal.agreed_partners.set(partners)
    goal.life_domains.set(list(life_domains))
    return goal


@transaction.atomic
def goal_remove(*, goal: Goal, by: User) -> None:
    """Remove a goal from a draft plan; refused while actions hang under it."""
    _require_case_team(case=goal.plan.case, by=by)
    _require_draft(Plan.objects.select_for_update().get(pk=goal.plan_id))
    if goal.actions.exists():
        raise PlanRefused(
            _("Actions belong to this goal: cancel them, or keep the goal in the plan.")
        )
    goal._history_user = by  # type: ignore[attr-defined]
    goal.delete()


# --- Life-domain analysis ------------------------------------------------------------------


@transaction.atomic
def life_domains_assess(
    *,
    case: Case,
    by: User,
    scores: Scores,
    plan: Plan | None = None,
    evaluation: Evaluation | None = None,
    assessed_on: datetime.date | None = None,
) -> LifeDomainAssessment:
    """Score every active life domain 1–5 with a short note, for a (draft) plan version or at
    an evaluation. A plan's analysis is replaced when scored again while it is a draft."""
    _require_case_team(case=case, by=by)
    _require_open(case)
    if (plan is None) == (evaluation is None):
        raise ValueError("Score for a plan or for an evaluation")
    active = list(LifeDomain.objects.filter(is_active=True).values_list("pk", flat=True))
    reasons = rules.scores_problems(
        {pk: score for pk, (score, _note) in scores.items()}, domains=active
    )
    if set(scores) - set(active):
        reasons.append(_("A score was given for a domain that is not in use."))
    if reasons:
        raise PlanRefused(reasons)
    if plan is not None:
        _require_draft(plan)
        LifeDomainAssessment.objects.filter(plan=plan, moment=AssessmentMoment.PLAN).delete()
        assessment = LifeDomainAssessment(
            case=case, moment=AssessmentMoment.PLAN, plan=plan, assessed_by=by
        )
    else:
        assessment = LifeDomainAssessment(
            case=case, moment=AssessmentMoment.EVALUATION, evaluation=evaluation, assessed_by=by
        )
    assessment.assessed_on = assessed_on or (evaluation.held_on if evaluation else _today())
    _save(assessment, by=by)
    LifeDomainScore.objects.bulk_create(
        [
            LifeDomainScore(
                case=case, assessment=assessment, domain_id=pk, score=int(score), note=note or ""
            )
            for pk, (score, note) in scores.items()
        ]
    )
    return assessment


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


# --- Evaluations ---------------------------------------------------------------------------


@transaction.atomic
def evaluation_record(
    *,
    case: Case,
    by: User,
    kind: EvaluationKind | str,
    held_on: datetime.date,
    participants: str,
    notes: str = "",
    goal_results: GoalResults | None = None,
    scores: Scores | None = None,
    adjusts_plan: bool = False,
    outcome: FinalOutcome | None = None,
) -> Evaluation:
    """Record an evaluation of the agreed plan.

    Every goal of the agreed plan gets a result and the life domains are scored again (a
    case that ends early may skip both). Effects: a six-month or final evaluation meets the
    six-month deadline; the plan's periodic deadline is met and, unless the plan is adjusted
    or this is the final one, the next opens at the plan's interval; `adjusts_plan` creates
    the next draft version (agreeing it opens its own deadline). Final: the outcome is
    checked (`domain.plan.final_outcome_problems`)."""
    _require_case_team(case=case, by=by)
    case = Case.objects.select_for_update().get(pk=case.pk)
    kind = EvaluationKind(kind)
    plan = Plan.objects.filter(case=case, status=PlanStatus.AGREED).first()
    reasons = rules.evaluation_refusals(
        kind=kind,
        case_is_closed=case.status in workflow.TERMINAL_STATUSES,
        has_final_evaluation=Evaluation.objects.filter(
            case=case, kind=EvaluationKind.FINAL
        ).exists(),
        has_agreed_plan=plan is not None,
        adjusts_plan=adjusts_plan,
    )
    if reasons:
        raise PlanRefused(reasons)
    if not participants.strip():
        raise PlanRefused(_("Name the participants."))
    outcome = outcome or FinalOutcome()
    early = kind == EvaluationKind.FINAL and bool(outcome.early_end_reason)
    if kind == EvaluationKind.FINAL:
        problems = rules.final_outcome_problems(outcome)
        if problems:
            raise PlanRefused(list(problems.values()))
    elif outcome != FinalOutcome():
        raise ValueError("Only a final evaluation has an outcome")
    goal_results = goal_results or {}
    goal_ids = list(plan.goals.values_list("pk", flat=True)) if plan else []
    if not (early and not goal_results):
        reasons = rules.goal_results_problems(
            goal_ids=goal_ids, results={pk: result for pk, (result, _n) in goal_results.items()}
        )
        if reasons:
            raise PlanRefused(reasons)
    if scores is None and not early:
        raise PlanRefused(_("Score the life domains again at the evaluation."))
    evaluation = Evaluation(
        case=case,
        plan=plan,
        kind=kind,
        held_on=held_on,
        participants=participants,
        notes=notes,
        adjusts_plan=adjusts_plan,
        recorded_by=by,
    )
    if kind == EvaluationKind.FINAL:
        evaluation.early_end_reason = outcome.early_end_reason
        evaluation.neighbours_outcome = outcome.neighbours_outcome
        evaluation.partners_outcome = outcome.partners_outcome
        evaluation.resolved_at_sources = sorted(outcome.resolved_at_sources)
        evaluation.causer_in_care = outcome.causer_in_care
        evaluation.housing_outcome = outcome.housing_outcome
        evaluation.follow_up = outcome.follow_up
        evaluation.passed_on_to = (
            outcome.passed_on_to if outcome.follow_up == FollowUp.PASSED_ON else ""
        )
    _save(evaluation, by=by)
    GoalEvaluation.objects.bulk_create(
        [
            GoalEvaluation(
                case=case, evaluation=evaluation, goal_id=pk, result=result, note=note or ""
            )
            for pk, (result, note) in goal_results.items()
        ]
    )
    if scores is not None:
        life_domains_assess(case=case, by=by, scores=scores, evaluation=evaluation)
    _evaluation_deadlines(case=case, plan=plan, evaluation=evaluation)
    if adjusts_plan and plan is not None:
        plan_new_version(plan=plan, by=by)
    return evaluation


def _evaluation_deadlines(*, case: Case, plan: Plan | None, evaluation: Evaluation) -> None:
    if evaluation.kind in (EvaluationKind.SIX_MONTH, EvaluationKind.FINAL):
        deadline_meet(kind=deadline_kinds.SIX_MONTH_EVALUATION, case=case)
    if plan is None:
        return
    deadline_meet(kind=deadline_kinds.PERIODIC_EVALUATION, case=case, subject=plan)
    if evaluation.kind == EvaluationKind.FINAL:
        deadline_lapse(kind=deadline_kinds.PERIODIC_EVALUATION, case=case)
    elif not evaluation.adjusts_plan:
        deadline_open(
            kind=deadline_kinds.PERIODIC_EVALUATION,
            case=case,
            subject=plan,
            started_on=evaluation.held_on,
            amount=plan.evaluation_interval_months,
        )


# --- Aftercare -----------------------------------------------------------------------------

AFTERCARE_FIELDS = (
    "summary",
    "end_date",
    "handover_to",
    "handover_organisation",
    "handover_on",
    "handover_what",
)


@transaction.atomic
def aftercare_plan_record(*, case: Case, by: User, data: Mapping[str, Any]) -> AftercarePlan:
    """Create or update the aftercare plan (end date, agreements, warm handover). Needs the
    final evaluation first, with aftercare as its follow-up."""
    _require_case_team(case=case, by=by)
    _require_open(case)
    unknown = set(data) - set(AFTERCARE_FIELDS)
    if unknown:
        raise ValueError(f"Not fields of the aftercare plan: {sorted(unknown)}")
    if not Evaluation.objects.filter(
        case=case, kind=EvaluationKind.FINAL, follow_up=FollowUp.AFTERCARE
    ).exists():
        raise PlanRefused(
            _("Aftercare follows a final evaluation that chose aftercare as the follow-up.")
        )
    aftercare = AftercarePlan.objects.select_for_update().filter(case=case).first()
    aftercare = aftercare or AftercarePlan(case=case, created_by=by)
    for name, value in data.items():
        setattr(aftercare, name, value)
    if aftercare.end_date is None:
        raise PlanRefused(_("Give the date the aftercare ends."))
    _save(aftercare, by=by)
    return aftercare


# --- Material support and relocation -------------------------------------------------------


def _involve(*, case: Case, organisation: Organisation, by: User) -> None:
    """The corporation asked to decide or propose sees the case: involve it when it is not."""
    if not CaseInvolvement.objects.filter(
        case=case, organisation=organisation, is_active=True
    ).exists():
        involvement_add(case=case, organisation=organisation, by=by)


@transaction.atomic
def material_support_request(
    *,
    case: Case,
    by: User,
    amount: Decimal,
    purpose: str,
    corporation: Organisation,
    why_not_regular: str,
) -> MaterialSupport:
    _require_case_team(case=case, by=by)
    _require_open(case)
    if amount <= 0:
        raise PlanRefused(_("The amount must be more than zero."))
    _involve(case=case, organisation=corporation, by=by)
    support = MaterialSupport(
        case=case,
        amount=amount,
        purpose=purpose,
        corporation=corporation,
        why_not_regular=why_not_regular,
        requested_by=by,
        requested_on=_today(),
    )
    _save(support, by=by)
    return support


@transaction.atomic
def material_support_decide(
    *, support: MaterialSupport, by: User, granted: bool, note: str = ""
) -> MaterialSupport:
    """The paying corporation grants or refuses (a refusal needs its explanation)."""
    _require(access.may_decide_material_support(by, support))
    support = MaterialSupport.objects.select_for_update().get(pk=support.pk)
    if support.decision != SupportDecision.PENDING:
        raise PlanRefused(_("The corporation has already decided on this request."))
    if not granted and not note.strip():
        raise PlanRefused(_("Explain why the request is refused."))
    support.decision = SupportDecision.GRANTED if granted else SupportDecision.REFUSED
    support.decision_note, support.decided_by, support.decided_on = note, by, _today()
    _save(support, by=by)
    return support


@transaction.atomic
def relocation_advise(
    *,
    case: Case,
    by: User,
    relocated: str,
    corporation: Organisation,
    advice: str,
    person: Person | None = None,
) -> Relocation:
    """The casemanager advises relocating the causer or a vulnerable neighbour."""
    _require_case_team(case=case, by=by)
    _require_open(case)
    if person is not None and person.case_id != case.pk:
        raise PlanRefused(_("The person must belong to this case."))
    if not advice.strip():
        raise PlanRefused(_("Write the advice."))
    _involve(case=case, organisation=corporation, by=by)
    relocation = Relocation(
        case=case,
        relocated=relocated,
        person=person,
        corporation=corporation,
        advice=advice,
        advised_by=by,
        advised_on=_today(),
    )
    _save(relocation, by=by)
    return relocation


@transaction.atomic
def relocation_propose(*, relocation: Relocation, by: User, proposal: str) -> Relocation:
    """The corporation proposes (its representatives)."""
    _require(access.may_propose_relocation(by, relocation))
    if not proposal.strip():
        raise PlanRefused(_("Write the proposal."))
    relocation.proposal, relocation.proposed_by, relocation.proposed_on = proposal, by, _today()
    _save(relocation, by=by)
    return relocation


@transaction.atomic
def relocation_note_permit(
    *, relocation: Relocation, by: User, note: str, on: datetime.date | None = None
) -> Relocation:
    """Note the housing permit (huisvestingsvergunning) of the relocation."""
    _require(access.may_note_housing_permit(by, relocation))
    if not note.strip():
        raise PlanRefused(_("Describe the housing permit."))
    relocation.housing_permit_note = note
    relocation.housing_permit_on = on or _today()
    _save(relocation, by=by)
    return relocation


# --- The life-domain matrix (data, per municipality) ---------------------------------------


@transaction.atomic
def life_domain_save(
    *,
    by: User,
    code: str,
    name: str,
    order: int,
    is_special_category: bool,
    is_active: bool = True,
    description: str = "",
    domain: LifeDomain | None = None,
) -> LifeDomain:
    """Add or change a domain of the matrix: the functional administrator. Domains are
    deactivated, never deleted (earlier scores keep pointing at them)."""
    _require(may_manage_partners(by))
    if not name.strip() or not code.strip():
        raise PlanRefused(_("A life domain needs a code and a name."))
    clash = LifeDomain.objects.filter(code=code)
    if domain is not None:
        clash = clash.exclude(pk=domain.pk)
    if clash.exists():
        raise PlanRefused(_("Another life domain already has this code."))
    domain = domain or LifeDomain()
    domain.code, domain.name, domain.description = code, name, description
    domain.order, domain.is_special_category, domain.is_active = (
        order,
        is_special_category,
        is_active,
    )
    domain.save()
    return domain


# --- Eviction advice and the police situation report --------------------------------------


@transaction.atomic
def eviction_advice_give(
    *,
    case: Case,
    by: User,
    corporation: Organisation,
    advice: str,
    advised_on: datetime.date,
    consulted: Sequence[Organisation],
    neighbourhood_officer: User | None = None,
    care_need_motivation: str = "",
) -> EvictionAdvice:
    """The network's eviction advice to the landlord, recorded under the casemanager's lead
    (the case team): the corporation becomes involved in the case, so it can read it."""
    _require_case_team(case=case, by=by)
    _require_open(case)
    consulted_ids = {o.pk for o in consulted}
    officer = neighbourhood_officer
    problems = rules.eviction_advice_problems(
        advice=advice,
        advised_on=advised_on,
        today=_today(),
        is_corporation=corporation.kind == OrganisationKind.CORPORATION,
        consulted_count=len(consulted_ids),
        officer_named=officer is not None,
        officer_is_police_representative=officer is not None
        and officer.is_active
        and officer.organisation is not None
        and officer.organisation.kind == OrganisationKind.POLICE
        and has_role(officer, Role.PARTNER_REPRESENTATIVE),
        officer_organisation_consulted=officer is not None
        and officer.organisation_id in consulted_ids,
        nuisance_origin=Investigation.objects.filter(case=case)
        .values_list("nuisance_origin", flat=True)
        .first()
        or "",
        care_need_motivation=care_need_motivation,
    )
    if problems:
        raise PlanRefused(list(problems.values()))
    _involve(case=case, organisation=corporation, by=by)
    given = EvictionAdvice(
        case=case,
        corporation=corporation,
        advice=advice,
        advised_on=advised_on,
        care_need_motivation=care_need_motivation.strip(),
        neighbourhood_officer=officer,
        given_by=by,
    )
    _save(given, by=by)
    given.consulted.set(consulted_ids)
    return given


@transaction.atomic
def situation_report_share(
    *,
    advice: EvictionAdvice,
    by: User,
    report: str,
    lawful_basis: Any,
    consent_date: datetime.date | None = None,
    basis_motivation: str = "",
) -> PoliceSituationReport:
    """The police share their situation report with the eviction advice: offered only when
    the neighbourhood officer was involved in both the approach and the advice; the sharing
    records its basis (police data, the Wpg: the police's own decision)."""
    advice = (
        EvictionAdvice.objects.select_for_update(of=("self",))
        .select_related("case", "neighbourhood_officer")
        .get(pk=advice.pk)
    )
    _require(access.may_share_situation_report(by, advice))
    _require_open(advice.case)
    officer_id = advice.neighbourhood_officer_id
    reasons = rules.situation_report_refusals(
        officer_named=officer_id is not None,
        officer_in_approach=officer_id is not None
        and plan_selectors.officer_in_approach(case=advice.case, officer_id=officer_id),
        already_shared=PoliceSituationReport.objects.filter(advice=advice).exists(),
    )
    if not report.strip():
        reasons.append(_("Write the situation report."))
    if lawful_basis is None:
        reasons.append(_("Choose the lawful basis on which the police share the report."))
    if reasons:
        raise PlanRefused(reasons)
    police = by.organisation
    assert police is not None  # a police representative (may_share_situation_report)
    try:
        basis = _basis_fields(
            organisation_kind=police.kind,
            lawful_basis=lawful_basis,
            data_category=DataCategory.POLICE,
            consent_date=consent_date,
            basis_motivation=basis_motivation,
        )
    except ValueError as error:
        raise PlanRefused(
            _("This lawful basis does not cover police data shared by the police (Wpg).")
        ) from error
    shared = PoliceSituationReport(
        case=advice.case,
        advice=advice,
        report=report,
        shared_by=by,
        shared_by_organisation=police,
        shared_on=_today(),
        **basis,
    )
    _save(shared, by=by)
    return shared
