"""Every read of the plan of approach, actions, evaluations and aftercare.

Each function runs a fixed number of queries, whatever the number of goals, actions or
evaluations (tests/cases/test_plan_selectors.py holds them to it).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from partners.models import Organisation, User

from .. import access
from ..choices_plan import ActionStatus, EvaluationKind, PlanStatus, SupportDecision
from ..domain import plan as rules
from ..models import (
    Action,
    AftercarePlan,
    Case,
    CaseInvolvement,
    Evaluation,
    EvictionAdvice,
    Goal,
    Investigation,
    LifeDomain,
    LifeDomainAssessment,
    LifeDomainScore,
    MaterialSupport,
    Plan,
    PlanAgreement,
    Relocation,
)

# --- Facts for the case workflow -----------------------------------------------------------


def plan_facts(case: Case) -> rules.PlanFacts:
    """(has_agreed_plan, has_final_evaluation, has_open_actions) of the case, one query.

    "Agreed plan" means a version marked agreed (the rules let only a plan with a SMART goal
    and a life-domain analysis be marked so); a version later replaced by a newer agreed one
    no longer counts, the newer one does."""
    row = (
        Case.objects.filter(pk=case.pk)
        .annotate(
            agreed=Exists(Plan.objects.filter(case=OuterRef("pk"), status=PlanStatus.AGREED)),
            final=Exists(Evaluation.objects.filter(case=OuterRef("pk"), kind=EvaluationKind.FINAL)),
            open_actions=Exists(
                Action.objects.filter(case=OuterRef("pk"), status=ActionStatus.OPEN)
            ),
        )
        .values("agreed", "final", "open_actions")
        .get()
    )
    return rules.PlanFacts(
        has_agreed_plan=row["agreed"],
        has_final_evaluation=row["final"],
        has_open_actions=row["open_actions"],
    )


def closing_refusals(case: Case) -> list[str]:
    """Why the case cannot close yet (also a case passed on); empty when it can."""
    return rules.closing_refusals(plan_facts(case))


# --- Life domains --------------------------------------------------------------------------


def life_domains_active() -> list[LifeDomain]:
    return list(LifeDomain.objects.filter(is_active=True))


def visible_special_domains(*, user: User, case: Case) -> set[int]:
    """The special-category domains (mental health, substance use, justice) whose scores
    `user` may see in `case`: all for the case team; for a representative, those for which
    their organisation is named in the case (a partner of a goal on the domain, or assigned
    an action on such a goal or on the domain). One query."""
    special = LifeDomain.objects.filter(is_special_category=True)
    if access.is_case_team(user, case):
        return set(special.values_list("pk", flat=True))
    organisation_id = getattr(user, "organisation_id", None)
    if organisation_id is None:
        return set()
    goals = Goal.objects.filter(case=case, life_domains=OuterRef("pk"))
    on_goal = Exists(goals.filter(agreed_partners=organisation_id)) | Exists(
        goals.filter(actions__organisation_id=organisation_id)
    )
    on_domain = Exists(
        Action.objects.filter(
            case=case, life_domain=OuterRef("pk"), organisation_id=organisation_id
        )
    )
    return set(special.filter(on_goal | on_domain).values_list("pk", flat=True))


@dataclass
class DomainRow:
    domain: LifeDomain
    hidden: bool  # special-category data the user may not see: no scores, no notes
    scores: list[int | None] = field(default_factory=list)  # one per moment, oldest first
    notes: list[str] = field(default_factory=list)


@dataclass
class LifeDomainTimeline:
    """The life-domain scores of a case over time: the rows of the table beside the chart."""

    moments: list[LifeDomainAssessment]
    rows: list[DomainRow]

    @property
    def is_empty(self) -> bool:
        return not self.moments


def life_domain_timeline(*, case: Case, user: User) -> LifeDomainTimeline:
    """Scores per domain over every analysis of the case (plan versions and evaluations).
    Four queries."""
    moments = list(
        LifeDomainAssessment.objects.filter(case=case)
        .select_related("plan", "evaluation")
        .order_by("assessed_on", "pk")
    )
    allowed = visible_special_domains(user=user, case=case)
    column = {m.pk: i for i, m in enumerate(moments)}
    scores: dict[int, dict[int, LifeDomainScore]] = {}
    for score in LifeDomainScore.objects.filter(case=case):
        scores.setdefault(score.domain_id, {})[column[score.assessment_id]] = score
    rows = []
    for domain in LifeDomain.objects.filter(Q(is_active=True) | Q(pk__in=list(scores))):
        hidden = domain.is_special_category and domain.pk not in allowed
        row = DomainRow(domain=domain, hidden=hidden)
        for i in range(len(moments)):
            found = None if hidden else scores.get(domain.pk, {}).get(i)
            row.scores.append(found.score if found else None)
            row.notes.append(found.note if found else "")
        rows.append(row)
    return LifeDomainTimeline(moments=moments, rows=rows)


# --- Plans ---------------------------------------------------------------------------------


def plan_versions(*, case: Case) -> QuerySet[Plan]:
    """Every version of the case's plan, newest first."""
    return Plan.objects.filter(case=case).select_related("created_by", "agreed_by")


def plan_latest(*, case: Case) -> Plan | None:
    """The version being worked on: the draft when there is one, else the agreed one."""
    return (
        plan_versions(case=case).exclude(status=PlanStatus.SUPERSEDED).order_by("-number").first()
    )


def plan_agreed(*, case: Case) -> Plan | None:
    return plan_versions(case=case).filter(status=PlanStatus.AGREED).first()


def plan_detail(*, case: Case, number: int | None = None) -> Plan | None:
    """One version with everything its page shows, in a fixed number of queries: goals (with
    partners, life domains and actions with their organisation and person), agreements, and
    the plan's life-domain analysis. Without `number`: `plan_latest`."""
    plans = plan_versions(case=case).prefetch_related(
        Prefetch(
            "goals",
            queryset=Goal.objects.prefetch_related(
                "agreed_partners",
                "life_domains",
                Prefetch(
                    "actions",
                    queryset=Action.objects.select_related(
                        "organisation", "assignee", "finished_by"
                    ),
                ),
            ),
        ),
        Prefetch("agreements", queryset=_agreements()),
        Prefetch(
            "life_domain_assessments",
            queryset=LifeDomainAssessment.objects.prefetch_related(
                Prefetch("scores", queryset=LifeDomainScore.objects.select_related("domain"))
            ),
        ),
    )
    if number is None:
        return plans.exclude(status=PlanStatus.SUPERSEDED).order_by("-number").first()
    return plans.filter(number=number).first()


def plan_agreement_overview(*, plan: Plan) -> list[tuple[Organisation, PlanAgreement | None]]:
    """Per organisation actively involved in the case (and any other that agreed): its
    agreement with this version, or None while it has not recorded one. Two queries."""
    agreements = {a.organisation_id: a for a in _agreements().filter(plan=plan)}
    involved = CaseInvolvement.objects.filter(case_id=plan.case_id, is_active=True)
    organisations = Organisation.objects.filter(
        Q(pk__in=involved.values("organisation_id")) | Q(pk__in=list(agreements))
    ).order_by("name")
    return [(organisation, agreements.get(organisation.pk)) for organisation in organisations]


def _agreements() -> QuerySet[PlanAgreement]:
    return PlanAgreement.objects.select_related("organisation", "by")


def _snapshots(plan: Plan) -> list[rules.GoalSnapshot]:
    goals = plan.goals.prefetch_related("agreed_partners", "life_domains")
    return [
        rules.GoalSnapshot(
            lineage=goal.lineage,
            specific=goal.specific,
            indicator=goal.indicator,
            target=goal.target,
            feasibility=goal.feasibility,
            target_date=goal.target_date,
            partners=frozenset(o.name for o in goal.agreed_partners.all()),
            life_domains=frozenset(d.name for d in goal.life_domains.all()),
        )
        for goal in goals
    ]


def _plan_scores(plan: Plan) -> dict[str, int]:
    scores = LifeDomainScore.objects.filter(assessment__plan=plan).select_related("domain")
    return {s.domain.name: s.score for s in scores.order_by("domain__order")}


def plan_diff_between(*, old: Plan, new: Plan) -> rules.PlanDiff:
    """What changed between two versions of the same case's plan."""
    if old.case_id != new.case_id:
        raise ValueError("Versions of different cases")
    return rules.plan_diff(
        _snapshots(old),
        _snapshots(new),
        old_scores=_plan_scores(old),
        new_scores=_plan_scores(new),
    )


# --- Actions -------------------------------------------------------------------------------


def my_actions(
    *,
    user: User,
    case: Case | int | None = None,
    due_before: datetime.date | None = None,
    status: ActionStatus | str | None = ActionStatus.OPEN,
) -> QuerySet[Action]:
    """The actions of the user's organisation across the cases the user may see, soonest due
    first; filter by case, due before a date (inclusive) and status (None: every status).
    One query when evaluated."""
    organisation_id = getattr(user, "organisation_id", None)
    if organisation_id is None:
        return Action.objects.none()
    actions = Action.objects.filter(access.sees_case(user), organisation_id=organisation_id)
    if case is not None:
        actions = actions.filter(case=case)
    if due_before is not None:
        actions = actions.filter(due_on__lte=due_before)
    if status:
        actions = actions.filter(status=status)
    return _with_action_rows(actions).order_by("due_on", "pk")


def _with_action_rows(actions: QuerySet[Action]) -> QuerySet[Action]:
    return actions.select_related(
        "case", "goal", "aftercare_plan", "life_domain", "assignee", "organisation"
    )


def my_actions_rows(ids: list[int]) -> QuerySet[Action]:
    """The rows of a page of "my actions" whose ids `my_actions` found (visibility was
    checked there), with what the list shows: an organisation has thousands of open actions,
    and joining each to its case, goal and people before taking the page read them all."""
    return _with_action_rows(Action.objects.filter(pk__in=ids))


def my_actions_cases(
    *, user: User, status: str | None, chosen: str = ""
) -> list[tuple[int, str | None]]:
    """The cases the "my actions" filter offers: (id, number) of the cases with actions of
    the user's organisation in `status` (None: any), and the `chosen` one (as typed in the
    URL) if it has any of its actions. One query."""
    actions = my_actions(user=user, status=None)
    if status is not None:
        wanted = Q(status=status)
        if chosen.isdigit():
            wanted |= Q(case_id=int(chosen))
        actions = actions.filter(wanted)
    return list(actions.order_by().values_list("case_id", "case__number").distinct())


def my_actions_count(*, user: User) -> int:
    """Open actions of the user's organisation (the dashboard and the bell). One query."""
    return my_actions(user=user).count()


def case_actions(*, case: Case, status: ActionStatus | str | None = None) -> QuerySet[Action]:
    """Every action of a case (the case team's overview), soonest due first."""
    actions = Action.objects.filter(case=case)
    if status:
        actions = actions.filter(status=status)
    return actions.select_related("goal", "aftercare_plan", "organisation", "assignee").order_by(
        "due_on", "pk"
    )


def meeting_decided_actions(*, case: Case) -> QuerySet[Action]:
    """The actions case meetings decided for the case (under neither a goal nor the
    aftercare plan), newest meeting first. One query when evaluated."""
    return (
        Action.objects.filter(case=case, decided_in_meeting=True)
        .select_related("organisation", "assignee", "finished_by")
        .order_by(F("decided_on").desc(nulls_last=True), "due_on", "pk")
    )


# --- Evaluations ---------------------------------------------------------------------------


def case_evaluations(*, case: Case) -> QuerySet[Evaluation]:
    """The case's evaluations, oldest first, with their goal results (fixed queries)."""
    return (
        Evaluation.objects.filter(case=case)
        .select_related("plan", "recorded_by")
        .prefetch_related("goal_results__goal")
        .order_by("held_on", "pk")
    )


def final_evaluation(*, case: Case) -> Evaluation | None:
    return case_evaluations(case=case).filter(kind=EvaluationKind.FINAL).first()


def evaluation_goals_achieved(evaluation: Evaluation) -> rules.GoalsAchieved:
    """The share of goals achieved at an evaluation (uses the prefetched results)."""
    return rules.goals_achieved(r.result for r in evaluation.goal_results.all())


# --- Material support and relocation -------------------------------------------------------


def case_material_support(*, case: Case) -> QuerySet[MaterialSupport]:
    return MaterialSupport.objects.filter(case=case).select_related(
        "corporation", "requested_by", "decided_by"
    )


def material_support_to_decide(*, user: User) -> QuerySet[MaterialSupport]:
    """Requests awaiting the decision of the user's corporation, in cases the user may see."""
    organisation_id = getattr(user, "organisation_id", None)
    if organisation_id is None:
        return MaterialSupport.objects.none()
    return (
        MaterialSupport.objects.filter(
            access.sees_case(user),
            corporation_id=organisation_id,
            decision=SupportDecision.PENDING,
        )
        .select_related("case", "corporation")
        .order_by("requested_on", "pk")
    )


def case_relocations(*, case: Case) -> QuerySet[Relocation]:
    return Relocation.objects.filter(case=case).select_related(
        "corporation", "person", "advised_by", "proposed_by"
    )


# --- After the plan: aftercare and the corporation's list (issue 12, wave 2) ----------------


def aftercare_of(*, case: Case) -> AftercarePlan | None:
    return (
        AftercarePlan.objects.filter(case=case)
        .select_related("handover_organisation", "created_by")
        .first()
    )


def aftercare_actions(*, case: Case) -> QuerySet[Action]:
    """The aftercare plan's actions, by due date (one query)."""
    return (
        Action.objects.filter(case=case, aftercare_plan__isnull=False)
        .select_related("organisation", "assignee", "life_domain", "finished_by")
        .order_by("due_on", "pk")
    )


def relocations_to_propose(*, user: User) -> QuerySet[Relocation]:
    """Relocations asked of the user's corporation without its proposal yet, in cases the
    user may see."""
    organisation_id = getattr(user, "organisation_id", None)
    if organisation_id is None:
        return Relocation.objects.none()
    return (
        Relocation.objects.filter(
            access.sees_case(user),
            corporation_id=organisation_id,
            proposal="",
        )
        .select_related("case", "corporation")
        .order_by("advised_on", "pk")
    )


def investigation_of(*, case: Case) -> Investigation | None:
    """The case's investigation record (one per case), or None before it is recorded."""
    return (
        Investigation.objects.filter(case=case)
        .select_related("care_worker_organisation", "recorded_by")
        .first()
    )


# --- Eviction advice and the police situation report -------------------------------------


def eviction_advices_for(*, user: User, case: Case) -> QuerySet[EvictionAdvice]:
    """The case's eviction advices with their situation report, newest first: all for the
    case team; for a representative, those addressed to their corporation or on which their
    organisation was consulted. Two queries (the consulted partners prefetched)."""
    advices = (
        EvictionAdvice.objects.filter(case=case)
        .select_related(
            "corporation",
            "neighbourhood_officer",
            "given_by",
            "situation_report__lawful_basis",
            "situation_report__shared_by",
            "situation_report__shared_by_organisation",
        )
        .prefetch_related(Prefetch("consulted", queryset=Organisation.objects.order_by("name")))
        .order_by("-advised_on", "-pk")
    )
    if access.is_case_team(user, case):
        return advices
    organisation_id = getattr(user, "organisation_id", None)
    if organisation_id is None:
        return advices.none()
    return advices.filter(
        Q(corporation_id=organisation_id)
        | Q(
            pk__in=EvictionAdvice.consulted.through.objects.filter(
                organisation_id=organisation_id
            ).values("evictionadvice_id")
        )
    )


def officer_in_approach(*, case: Case, officer_id: int) -> bool:
    """Was this person part of the case's approach: assigned an action of the case (of a
    goal, the aftercare plan or a meeting decision), finished one, or recorded their
    organisation's agreement with a version of the plan? One query."""
    actions = Action.objects.filter(case=case).filter(
        Q(assignee_id=officer_id) | Q(finished_by_id=officer_id)
    )
    agreements = PlanAgreement.objects.filter(case=case, by_id=officer_id)
    return Case.objects.filter(pk=case.pk).filter(Exists(actions) | Exists(agreements)).exists()
