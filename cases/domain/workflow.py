"""The case lifecycle (DOMAIN.md §5) as one table: from, to, who may, and the guards.

Pure rules: the service gathers `CaseFacts` from the database and asks this module.
Views never compare statuses; they ask `allowed_transitions()` what to offer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from partners.choices import Role

from ..choices import CaseStatus as S


@dataclass(frozen=True)
class CaseFacts:
    """What the guards need to know about a case, gathered by the service."""

    status: S
    has_casemanager: bool = False
    criteria_complete: bool = False  # every active criterion assessed
    criteria_all_met: bool = False
    criteria_override: bool = False
    needs_corporation_consent: bool = False
    corporation_consented: bool = False
    has_agreed_plan: bool = False  # at least one SMART goal and a life-domain analysis
    has_final_evaluation: bool = False
    actor_roles: frozenset[Role] = field(default_factory=frozenset)
    actor_is_casemanager: bool = False


class TransitionRefused(Exception):  # noqa: N818 - it is a refusal, not an error
    """A transition that the table does not allow, with the reasons in the user's language."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(str(r) for r in reasons))
        self.reasons = reasons


Guard = Callable[[CaseFacts], str | None]  # returns a refusal reason, or None when fine


def _acceptance(f: CaseFacts) -> str | None:
    if not f.has_casemanager:
        return str(_("Assign a casemanager before accepting the case."))
    if f.criteria_override:
        return None
    if not f.criteria_complete:
        return str(
            _("Assess all criteria, or record an acute-escalation override with its motivation.")
        )
    if not f.criteria_all_met:
        return str(_("Not all criteria are met; accept only with an acute-escalation override."))
    if f.needs_corporation_consent and not f.corporation_consented:
        return str(_("The owning corporation has not given its consent."))
    return None


def _plan(f: CaseFacts) -> str | None:
    if not f.has_agreed_plan:
        return str(
            _("An agreed plan with at least one SMART goal and a life-domain analysis is required.")
        )
    return None


def _final_evaluation(f: CaseFacts) -> str | None:
    if not f.has_final_evaluation:
        return str(_("A final evaluation is required before closing."))
    return None


COORDINATOR = frozenset({Role.COORDINATOR})
CASE_TEAM = frozenset({Role.COORDINATOR, Role.CASEMANAGER})
REFERRERS = frozenset({Role.REFERRER, Role.COORDINATOR})


@dataclass(frozen=True)
class Transition:
    source: S
    target: S
    roles: frozenset[Role]
    label: str
    guards: tuple[Guard, ...] = ()
    # Casemanagers act only on their own cases; coordinators on all.
    own_case_only: bool = True


TRANSITIONS: tuple[Transition, ...] = (
    Transition(S.DRAFT, S.REFERRED, REFERRERS, _("Submit referral"), own_case_only=False),
    Transition(S.REFERRED, S.INTAKE, COORDINATOR, _("Take into handling")),
    Transition(S.REFERRED, S.ATTACHED, COORDINATOR, _("Attach to the open case")),
    Transition(S.INTAKE, S.ATTACHED, COORDINATOR, _("Attach to the open case")),
    Transition(S.REFERRED, S.REDIRECTED, COORDINATOR, _("Redirect")),
    Transition(S.INTAKE, S.REDIRECTED, COORDINATOR, _("Redirect")),
    Transition(S.INTAKE, S.ACCEPTED, COORDINATOR, _("Accept"), (_acceptance,)),
    Transition(S.ACCEPTED, S.INVESTIGATION, CASE_TEAM, _("Start investigation")),
    Transition(S.INVESTIGATION, S.PLAN_AGREED, CASE_TEAM, _("Record plan as agreed"), (_plan,)),
    Transition(S.PLAN_AGREED, S.EXECUTION, CASE_TEAM, _("Start execution"), (_plan,)),
    Transition(S.EXECUTION, S.FINAL_EVALUATION, CASE_TEAM, _("Start final evaluation")),
    Transition(S.EXECUTION, S.PASSED_ON, CASE_TEAM, _("Pass on to the next step")),
    Transition(
        S.FINAL_EVALUATION, S.AFTERCARE, CASE_TEAM, _("Start aftercare"), (_final_evaluation,)
    ),
    Transition(S.FINAL_EVALUATION, S.CLOSED, CASE_TEAM, _("Close"), (_final_evaluation,)),
    Transition(S.AFTERCARE, S.CLOSED, CASE_TEAM, _("Close"), (_final_evaluation,)),
    Transition(S.PASSED_ON, S.CLOSED, CASE_TEAM, _("Close")),
)

OPEN_STATUSES = frozenset(
    {
        S.REFERRED,
        S.INTAKE,
        S.ACCEPTED,
        S.INVESTIGATION,
        S.PLAN_AGREED,
        S.EXECUTION,
        S.FINAL_EVALUATION,
        S.AFTERCARE,
        S.PASSED_ON,
    }
)
TERMINAL_STATUSES = frozenset({S.REDIRECTED, S.ATTACHED, S.CLOSED})


def find(source: S, target: S) -> Transition | None:
    for transition in TRANSITIONS:
        if transition.source == source and transition.target == target:
            return transition
    return None


def refusals(facts: CaseFacts, target: S) -> list[str]:
    """Why `target` cannot be reached from the current status; empty when it can."""
    transition = find(facts.status, target)
    if transition is None:
        return [str(_("This step is not possible from the current status."))]
    reasons: list[str] = []
    allowed_role = bool(facts.actor_roles & transition.roles)
    if not allowed_role:
        reasons.append(str(_("Your role may not take this step.")))
    elif (
        transition.own_case_only
        and Role.COORDINATOR not in facts.actor_roles
        and not facts.actor_is_casemanager
    ):
        reasons.append(
            str(_("Only the casemanager of this case or a coordinator may take this step."))
        )
    for guard in transition.guards:
        reason = guard(facts)
        if reason:
            reasons.append(reason)
    return reasons


def require_transition(facts: CaseFacts, target: S) -> Transition:
    reasons = refusals(facts, target)
    if reasons:
        raise TransitionRefused(reasons)
    transition = find(facts.status, target)
    assert transition is not None
    return transition


def allowed_transitions(facts: CaseFacts) -> list[Transition]:
    """The steps the actor may offer now (guards may still refuse; the page explains why)."""
    return [t for t in TRANSITIONS if t.source == facts.status and facts.actor_roles & t.roles]
