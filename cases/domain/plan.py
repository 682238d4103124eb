"""Pure rules of the plan of approach, evaluations and closing (DOMAIN.md §5–6). No ORM:
the services gather plain values and ask these functions; the forms use the same rules so a
user sees the refusal next to the field.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.utils.translation import gettext_lazy as _

from ..choices_plan import (
    ComplaintSource,
    EvaluationKind,
    FollowUp,
    GoalResult,
    NuisanceOrigin,
    NuisanceOutcome,
)


class PlanRefused(Exception):  # noqa: N818 - a refusal shown to the user
    """A plan, goal, action or evaluation step the rules do not allow, with the reasons."""

    def __init__(self, reasons: list[str] | str) -> None:
        self.reasons = [reasons] if isinstance(reasons, str) else list(reasons)
        super().__init__("; ".join(str(r) for r in self.reasons))


class StalePlanEdit(PlanRefused):
    """Someone else saved the plan or goal after it was loaded; `current_version` is what
    the form must carry for a second save."""

    def __init__(self, reasons: list[str] | str, *, current_version: int) -> None:
        super().__init__(reasons)
        self.current_version = current_version


# --- SMART goals ---------------------------------------------------------------------------

# Each part of SMART, the field that holds it, and the message when it is missing.
SMART_PARTS: tuple[tuple[str, Any], ...] = (
    ("specific", _("Specific: say what will change.")),
    ("indicator", _("Measurable: name the indicator you will measure.")),
    ("target", _("Measurable: give the target value of the indicator.")),
    ("agreed_partners", _("Acceptable: name at least one partner organisation that agreed.")),
    ("feasibility", _("Realistic: explain why the goal is feasible.")),
    ("target_date", _("Time-bound: give the date by which the goal is reached.")),
)


def _missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, datetime.date):
        return False
    try:
        return len(value) == 0
    except TypeError:
        return False


def smart_problems(goal: Mapping[str, Any]) -> dict[str, str]:
    """Field → message for every SMART part the goal misses; empty when it is SMART."""
    return {name: str(message) for name, message in SMART_PARTS if _missing(goal.get(name))}


def is_smart(goal: Mapping[str, Any]) -> bool:
    return not smart_problems(goal)


# --- Agreeing a plan -----------------------------------------------------------------------


def agreement_refusals(
    *, is_draft: bool, smart_goals: int, has_life_domain_analysis: bool
) -> list[str]:
    """Why a plan version cannot be marked agreed; empty when it can."""
    reasons: list[str] = []
    if not is_draft:
        reasons.append(str(_("Only a draft plan can be marked agreed.")))
    if smart_goals < 1:
        reasons.append(str(_("The plan needs at least one SMART goal.")))
    if not has_life_domain_analysis:
        reasons.append(str(_("The plan needs a life-domain analysis.")))
    return reasons


# --- Differences between two plan versions -------------------------------------------------

GOAL_FIELDS = ("specific", "indicator", "target", "feasibility", "target_date")


@dataclass(frozen=True)
class GoalSnapshot:
    """A goal as the diff sees it. `lineage` is the same for a goal and its continuation in
    the next version."""

    lineage: Any
    specific: str
    indicator: str = ""
    target: str = ""
    feasibility: str = ""
    target_date: datetime.date | None = None
    partners: frozenset[str] = frozenset()
    life_domains: frozenset[str] = frozenset()


@dataclass(frozen=True)
class GoalChange:
    before: GoalSnapshot
    after: GoalSnapshot
    fields: tuple[str, ...]  # names of GOAL_FIELDS, "partners", "life_domains" that differ


@dataclass(frozen=True)
class ScoreChange:
    domain: str
    before: int | None
    after: int | None

    @property
    def delta(self) -> int | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass
class PlanDiff:
    added: list[GoalSnapshot] = field(default_factory=list)
    removed: list[GoalSnapshot] = field(default_factory=list)
    changed: list[GoalChange] = field(default_factory=list)
    unchanged: list[GoalSnapshot] = field(default_factory=list)
    scores: list[ScoreChange] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (
            self.added
            or self.removed
            or self.changed
            or any(s.before != s.after for s in self.scores)
        )


def plan_diff(
    old_goals: Iterable[GoalSnapshot],
    new_goals: Iterable[GoalSnapshot],
    *,
    old_scores: Mapping[str, int] | None = None,
    new_scores: Mapping[str, int] | None = None,
) -> PlanDiff:
    """What changed from one plan version to the next: goals added, removed and changed
    (matched by lineage), and the life-domain scores per domain (in the order of the new
    version's domains, then any only the old one had)."""
    old = {g.lineage: g for g in old_goals}
    new = {g.lineage: g for g in new_goals}
    diff = PlanDiff()
    for lineage, after in new.items():
        before = old.get(lineage)
        if before is None:
            diff.added.append(after)
            continue
        fields = [name for name in GOAL_FIELDS if getattr(before, name) != getattr(after, name)]
        if before.partners != after.partners:
            fields.append("partners")
        if before.life_domains != after.life_domains:
            fields.append("life_domains")
        if fields:
            diff.changed.append(GoalChange(before=before, after=after, fields=tuple(fields)))
        else:
            diff.unchanged.append(after)
    diff.removed = [goal for lineage, goal in old.items() if lineage not in new]
    old_scores, new_scores = old_scores or {}, new_scores or {}
    domains = list(new_scores) + [d for d in old_scores if d not in new_scores]
    diff.scores = [ScoreChange(d, old_scores.get(d), new_scores.get(d)) for d in domains]
    return diff


# --- Evaluations ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FinalOutcome:
    """What a final evaluation records besides the goal results."""

    neighbours_outcome: str = ""
    partners_outcome: str = ""
    resolved_at_sources: frozenset[str] = frozenset()
    causer_in_care: bool | None = None
    housing_outcome: str = ""
    follow_up: str = ""
    passed_on_to: str = ""
    early_end_reason: str = ""


ALL_SOURCES = frozenset(ComplaintSource.values)


def final_outcome_problems(outcome: FinalOutcome) -> dict[str, str]:
    """Field → message for what a final evaluation misses or contradicts.

    A case that ends early (moved, admitted, died) needs only the reason and the follow-up
    (a short final evaluation). Otherwise both judgements, whether the causer is in care, the
    housing outcome and the follow-up are required. "Fully resolved" needs no substantial
    complaints left at every source (police, landlord, casemanager, partners). Passed on
    needs its destination."""
    problems: dict[str, str] = {}
    early = bool(outcome.early_end_reason)
    if not early:
        if not outcome.neighbours_outcome:
            problems["neighbours_outcome"] = str(_("Record the neighbours' judgement."))
        if not outcome.partners_outcome:
            problems["partners_outcome"] = str(_("Record the partners' judgement."))
        if outcome.causer_in_care is None:
            problems["causer_in_care"] = str(_("Say whether the causer is in care."))
        if not outcome.housing_outcome:
            problems["housing_outcome"] = str(_("Record the housing outcome."))
    resolved = NuisanceOutcome.RESOLVED in (outcome.neighbours_outcome, outcome.partners_outcome)
    if resolved and not ALL_SOURCES.issubset(outcome.resolved_at_sources):
        problems["resolved_at_sources"] = str(
            _(
                "Fully resolved means no substantial complaints are left at the police, the "
                "landlord, the casemanager and the partners: check each source, or choose "
                "'manageable'."
            )
        )
    if not outcome.follow_up:
        problems["follow_up"] = str(_("Choose the follow-up."))
    if outcome.follow_up == FollowUp.PASSED_ON and not outcome.passed_on_to:
        problems["passed_on_to"] = str(_("Say where the case is passed on to."))
    if outcome.follow_up != FollowUp.PASSED_ON and outcome.passed_on_to:
        problems["passed_on_to"] = str(_("A destination belongs only to a case passed on."))
    return problems


def evaluation_refusals(
    *,
    kind: str,
    case_is_closed: bool,
    has_final_evaluation: bool,
    has_agreed_plan: bool,
    adjusts_plan: bool,
) -> list[str]:
    """Why an evaluation cannot be recorded now; empty when it can."""
    reasons: list[str] = []
    if case_is_closed:
        reasons.append(str(_("The case is closed: no evaluation can be added.")))
    if has_final_evaluation:
        reasons.append(str(_("The case already has its final evaluation.")))
    if kind != EvaluationKind.FINAL and not has_agreed_plan:
        reasons.append(str(_("Only an agreed plan can be evaluated.")))
    if kind == EvaluationKind.FINAL and adjusts_plan:
        reasons.append(str(_("A final evaluation does not adjust the plan.")))
    return reasons


def goal_results_problems(*, goal_ids: Iterable[int], results: Mapping[int, str]) -> list[str]:
    """Every goal of the evaluated plan needs a result, and only those goals."""
    expected = set(goal_ids)
    reasons: list[str] = []
    if expected - set(results):
        reasons.append(str(_("Give a result for every goal of the plan.")))
    if set(results) - expected:
        reasons.append(str(_("A result was given for a goal that is not in this plan.")))
    if any(result not in GoalResult.values for result in results.values()):
        reasons.append(str(_("Unknown result.")))
    return reasons


@dataclass(frozen=True)
class GoalsAchieved:
    achieved: int
    partly: int
    total: int

    @property
    def share(self) -> float | None:
        """Share of goals fully achieved (0–1); None without goals."""
        return self.achieved / self.total if self.total else None

    @property
    def percentage(self) -> int | None:
        return None if self.share is None else round(self.share * 100)


def goals_achieved(results: Iterable[str]) -> GoalsAchieved:
    results = list(results)
    return GoalsAchieved(
        achieved=sum(r == GoalResult.ACHIEVED for r in results),
        partly=sum(r == GoalResult.PARTLY for r in results),
        total=len(results),
    )


def scores_problems(scores: Mapping[Any, int], *, domains: Iterable[Any]) -> list[str]:
    """A life-domain analysis scores every active domain, each 1 to 5."""
    reasons: list[str] = []
    if set(domains) - set(scores):
        reasons.append(str(_("Score every life domain.")))
    if any(not (1 <= int(score) <= 5) for score in scores.values()):
        reasons.append(str(_("A score is between 1 (acute problems) and 5 (fully self-reliant).")))
    return reasons


# --- Actions -------------------------------------------------------------------------------


def may_finish_action(
    *,
    actor_organisation_id: int | None,
    action_organisation_id: int,
    is_case_team: bool,
    is_representative: bool,
) -> bool:
    """Marking an action done: the representatives of the organisation it is assigned to, or
    the case team (coordinator, the case's casemanager)."""
    if is_case_team:
        return True
    return is_representative and actor_organisation_id == action_organisation_id


def action_due_problems(*, due_on: datetime.date | None, today: datetime.date) -> dict[str, str]:
    if due_on is None:
        return {"due_on": str(_("Give a due date."))}
    if due_on < today:
        return {"due_on": str(_("The due date cannot be in the past."))}
    return {}


# --- Closing -------------------------------------------------------------------------------


class PlanFacts(NamedTuple):
    """What the case workflow's guards need from the plan (cases/domain/workflow.py):
    `has_agreed_plan, has_final_evaluation, has_open_actions = plan_facts(case)`."""

    has_agreed_plan: bool = False
    has_final_evaluation: bool = False
    has_open_actions: bool = False


def closing_refusals(facts: PlanFacts) -> list[str]:
    """Closing (also a case passed on) needs a final evaluation and no open actions."""
    reasons: list[str] = []
    if not facts.has_final_evaluation:
        reasons.append(str(_("A final evaluation is required before closing.")))
    if facts.has_open_actions:
        reasons.append(
            str(_("Every action must be done, or cancelled with a reason, before closing."))
        )
    return reasons


# --- Eviction advice and the police situation report ----------------------------------------


def eviction_advice_problems(
    *,
    advice: str,
    advised_on: datetime.date | None,
    today: datetime.date,
    is_corporation: bool,
    consulted_count: int,
    officer_named: bool,
    officer_is_police_representative: bool,
    officer_organisation_consulted: bool,
    nuisance_origin: str = "",
    care_need_motivation: str = "",
) -> dict[str, str]:
    """What is wrong with an eviction advice, per field: the network gives it to the
    landlord (a housing corporation), dated, with the partners it consulted; a neighbourhood
    officer named for it is a police representative of a consulted police organisation.

    Covenant §2: the approach solves the nuisance without evicting a causer who needs care;
    that aim does not hold for deliberate ("willens en wetens") antisocial behaviour. So the
    investigation must first have said where the nuisance comes from (`nuisance_origin`, ""
    without an investigation), and with a care need the advice says why eviction is advised
    all the same (the approach could not solve it)."""
    problems: dict[str, str] = {}
    if nuisance_origin in ("", NuisanceOrigin.UNCLEAR):
        problems["nuisance_origin"] = str(
            _(
                "Record in the investigation first whether the nuisance comes from a care need "
                "or is deliberate: that decides whether eviction is an acceptable outcome."
            )
        )
    elif nuisance_origin == NuisanceOrigin.CARE_NEED and not care_need_motivation.strip():
        problems["care_need_motivation"] = str(
            _(
                "The investigation found a care need, and the approach aims to avoid evicting "
                "someone who needs care: explain why the approach could not solve the nuisance."
            )
        )
    if not advice.strip():
        problems["advice"] = str(_("Write the advice to the landlord."))
    if advised_on is None:
        problems["advised_on"] = str(_("Enter the date of the advice."))
    elif advised_on > today:
        problems["advised_on"] = str(_("The advice cannot be dated in the future."))
    if not is_corporation:
        problems["corporation"] = str(
            _("The advice goes to the landlord: choose a housing corporation.")
        )
    if consulted_count < 1:
        problems["consulted"] = str(_("Name the partners the network consulted for the advice."))
    if officer_named:
        if not officer_is_police_representative:
            problems["neighbourhood_officer"] = str(
                _("The neighbourhood officer must be a representative of the police.")
            )
        elif not officer_organisation_consulted:
            problems["neighbourhood_officer"] = str(
                _("Name the officer's police organisation among the partners consulted.")
            )
    return problems


def situation_report_refusals(
    *, officer_named: bool, officer_in_approach: bool, already_shared: bool
) -> list[str]:
    """Why the police situation report cannot be shared with this advice: it is offered only
    when the neighbourhood officer was involved in both the approach and the advice."""
    reasons: list[str] = []
    if not officer_named:
        reasons.append(
            str(
                _(
                    "The police situation report is offered only when the neighbourhood "
                    "officer was involved in the advice."
                )
            )
        )
    elif not officer_in_approach:
        reasons.append(
            str(
                _(
                    "The police situation report is offered only when the neighbourhood "
                    "officer was involved in the approach (an action of the case, or the "
                    "police's agreement with the plan)."
                )
            )
        )
    if already_shared:
        reasons.append(str(_("The police situation report of this advice was already shared.")))
    return reasons
