"""Plan versions (draft → agreed → superseded), SMART goals and the life-domain analysis."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deadlines import kinds as deadline_kinds
from deadlines.services import deadline_lapse, deadline_open
from partners.models import Organisation, User

from ... import access
from ...choices_plan import (
    ActionStatus,
    AssessmentMoment,
    PlanStatus,
)
from ...domain import plan as rules
from ...domain.plan import PlanRefused
from ...models import (
    Action,
    Case,
    Evaluation,
    Goal,
    LifeDomain,
    LifeDomainAssessment,
    LifeDomainScore,
    Plan,
    PlanAgreement,
)
from ..common import _today
from .common import (
    Scores,
    _require,
    _require_case_team,
    _require_open,
    _save,
    bump_plan_version,
)

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
    bump_plan_version(Plan, plan.pk, version)
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
    bumped = bump_plan_version(Goal, goal.pk, version)
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
    """Remove a goal from a draft plan; refused once an action was assigned under it, also
    a cancelled or done one: a partner was asked to do it (and told), and the action's record
    — with its reason for cancelling — is kept with the goal it served (`Action.goal` is
    PROTECT; an action stands under a goal, the aftercare plan or a meeting decision). A goal
    that lapses is left out of the next version instead: a new version copies the goals
    without their actions, and only open ones move on when it is agreed."""
    _require_case_team(case=goal.plan.case, by=by)
    _require_draft(Plan.objects.select_for_update().get(pk=goal.plan_id))
    if goal.actions.exists():
        raise PlanRefused(
            _(
                "Actions were assigned under this goal, so it stays in this version of the "
                "plan: their record stays with it, also when cancelled. Change the goal "
                "instead, or cancel its open actions and leave the goal out of the next "
                "version of the plan."
            )
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
