"""The investigation, evaluations (periodic, six-month, final) and the aftercare plan."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from deadlines import kinds as deadline_kinds
from deadlines.services import deadline_lapse, deadline_meet, deadline_open
from partners.models import User

from ...choices_plan import (
    EvaluationKind,
    FollowUp,
    PlanStatus,
)
from ...domain import plan as rules
from ...domain import workflow
from ...domain.plan import FinalOutcome, PlanRefused
from ...models import (
    AftercarePlan,
    Case,
    Evaluation,
    GoalEvaluation,
    Investigation,
    Plan,
)
from .common import GoalResults, Scores, _require_case_team, _require_open, _save
from .versions import life_domains_assess, plan_new_version

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
