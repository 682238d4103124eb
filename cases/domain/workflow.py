"""The case lifecycle (DOMAIN.md §5) as one table: from, to, who may, the guards **and the
effects** of every step.

Pure rules: the service gathers `CaseFacts` from the database and asks this module. An
effect here is only a name (WHAT happens: a date set, a deadline opened or met, a notice
sent); `cases.services.case_transition` performs each one, in the order listed, in the same
transaction as the status change. Views never compare statuses; they ask
`allowed_transitions()` what to offer and hand the chosen step to `case_transition`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from deadlines import kinds as deadline_kinds
from partners.choices import Role

from ..choices import CaseStatus as S
from . import plan as plan_rules


@dataclass(frozen=True)
class CaseFacts:
    """What the guards need to know about a case, gathered by the service."""

    status: S
    has_casemanager: bool = False
    criteria_complete: bool = False  # every active criterion assessed
    criteria_all_met: bool = False
    criteria_override: bool = False  # special situation (e.g. acute escalation): criteria only
    needs_corporation_consent: bool = False
    corporation_consented: bool = False
    screening_settled: bool = False  # the police answered, or the case team waived it
    kris_recorded: bool = False  # the KRIS check with its follow-up (DOMAIN.md §4)
    has_agreed_plan: bool = False  # at least one SMART goal and a life-domain analysis
    has_final_evaluation: bool = False
    has_open_actions: bool = False  # an action neither done nor cancelled with a reason
    actor_roles: frozenset[Role] = field(default_factory=frozenset)
    actor_is_casemanager: bool = False


def kris_is_complete(
    *,
    result: str | None,
    trajectory_manager_contacted_on: object,
    plans_aligned: bool | None,
    target_group_outcome: str | None,
) -> bool:
    """The KRIS check is recorded with its follow-up (DOMAIN.md §4): known → the trajectory
    manager contacted and whether the plans were aligned; unknown → the target-group outcome
    (the Altrecht registration is a yes/no that always has a value)."""
    if result == "known":
        return trajectory_manager_contacted_on is not None and plans_aligned is not None
    if result == "unknown":
        return bool((target_group_outcome or "").strip())
    return False


class TransitionRefused(Exception):  # noqa: N818 - it is a refusal, not an error
    """A transition that the table does not allow, with the reasons in the user's language."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(str(r) for r in reasons))
        self.reasons = reasons


Guard = Callable[[CaseFacts], str | None]  # returns a refusal reason, or None when fine


def _casemanager(f: CaseFacts) -> str | None:
    if not f.has_casemanager:
        return str(_("Assign a casemanager before accepting the case."))
    return None


def _criteria(f: CaseFacts) -> str | None:
    """The override for a special situation departs from the criteria, and from nothing else."""
    if f.criteria_override:
        return None
    if not f.criteria_complete:
        return str(
            _(
                "Assess all criteria, or record a special situation (e.g. acute escalation) "
                "with its motivation."
            )
        )
    if not f.criteria_all_met:
        return str(
            _(
                "Not all criteria are met; accept only when a special situation "
                "(e.g. acute escalation) is recorded with its motivation."
            )
        )
    return None


def _consent(f: CaseFacts) -> str | None:
    """A corporation home needs the corporation's consent first, also in a special situation."""
    if f.needs_corporation_consent and not f.corporation_consented:
        return str(_("The owning corporation has not given its consent."))
    return None


def _screening(f: CaseFacts) -> str | None:
    if not f.screening_settled:
        return str(_("The police screening has not been answered yet, nor waived with a reason."))
    return None


def _kris(f: CaseFacts) -> str | None:
    if not f.kris_recorded:
        return str(_("Record the KRIS check before accepting the case."))
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


def _closing(f: CaseFacts) -> str | None:
    """Closing (also a case passed on): a final evaluation and no open actions, in the plan
    rules' words (`cases.domain.plan.closing_refusals`)."""
    reasons = plan_rules.closing_refusals(
        plan_rules.PlanFacts(
            has_agreed_plan=f.has_agreed_plan,
            has_final_evaluation=f.has_final_evaluation,
            has_open_actions=f.has_open_actions,
        )
    )
    return " ".join(reasons) or None


COORDINATOR = frozenset({Role.COORDINATOR})
CASE_TEAM = frozenset({Role.COORDINATOR, Role.CASEMANAGER})
REFERRERS = frozenset({Role.REFERRER, Role.COORDINATOR})


class Effect(StrEnum):
    """What a transition does besides changing the status. `case_transition` performs them."""

    # Submitting: case number, received date, intake deadline, recidivism check, submitted_at.
    SUBMIT_REFERRAL = "submit_referral"
    NOTIFY_NEW_REFERRAL = "notify_new_referral"  # the coordinators
    SET_INTAKE_STARTED = "set_intake_started"  # case.intake_started_on = today
    MEET_INTAKE_DEADLINE = "meet_intake_deadline"
    SET_ACCEPTED = "set_accepted"  # case.accepted_on = today
    OPEN_EVALUATION_DEADLINE = "open_evaluation_deadline"  # six months from acceptance
    RECORD_REDIRECT_TARGET = "record_redirect_target"  # detail `target`
    MOVE_TO_OPEN_CASE = "move_to_open_case"  # detail `into`: referrals and persons move
    SET_CLOSED = "set_closed"  # case.closed_on = today
    LAPSE_DEADLINES = "lapse_deadlines"  # every open deadline of the case
    OPEN_RETENTION_DEADLINE = "open_retention_deadline"  # from closing: retention_variant
    NOTIFY_DECISION = "notify_decision"  # the referrers: the intake decided
    REOPEN = "reopen"  # closed_on cleared, the retention deadline lapsed
    # Access follows the need (DOMAIN.md §7): at acceptance the corporation that consented and
    # the police organisation that recorded the screening become involved (until then they
    # saw only the request); at redirection or attaching every involvement ends at once.
    # After closing, involvements end after the handover period (a daily job, not an effect).
    INVOLVE_ASKED_ORGANISATIONS = "involve_asked_organisations"
    END_INVOLVEMENTS = "end_involvements"


# Which details (`case_transition(**details)`) an effect needs.
EFFECT_DETAILS: dict[Effect, frozenset[str]] = {
    Effect.SUBMIT_REFERRAL: frozenset({"referral"}),
    Effect.RECORD_REDIRECT_TARGET: frozenset({"target"}),
    Effect.MOVE_TO_OPEN_CASE: frozenset({"into"}),
}

E = Effect
_ENDS = (E.SET_CLOSED, E.LAPSE_DEADLINES, E.OPEN_RETENTION_DEADLINE)
_DECIDED_AT_INTAKE = (E.MEET_INTAKE_DEADLINE,)


@dataclass(frozen=True)
class Transition:
    source: S
    target: S
    roles: frozenset[Role]
    label: StrOrPromise  # shown in the user's language when rendered
    guards: tuple[Guard, ...] = ()
    effects: tuple[Effect, ...] = ()
    # Casemanagers act only on their own cases; coordinators on all.
    own_case_only: bool = True
    # The step needs a motivation (a redirection's reason).
    needs_motivation: bool = False

    @property
    def details(self) -> frozenset[str]:
        """The details `case_transition` must be given for this step's effects."""
        return frozenset().union(*(EFFECT_DETAILS.get(e, frozenset()) for e in self.effects))


_ACCEPTANCE = (_casemanager, _criteria, _consent, _screening, _kris)

TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        S.DRAFT,
        S.REFERRED,
        REFERRERS,
        _("Submit referral"),
        effects=(E.SUBMIT_REFERRAL, E.NOTIFY_NEW_REFERRAL),
        own_case_only=False,
    ),
    Transition(
        S.REFERRED,
        S.INTAKE,
        COORDINATOR,
        _("Take into handling"),
        effects=(E.SET_INTAKE_STARTED, E.MEET_INTAKE_DEADLINE),
    ),
    Transition(
        S.REFERRED,
        S.ATTACHED,
        COORDINATOR,
        _("Attach to the open case"),
        effects=(*_DECIDED_AT_INTAKE, E.MOVE_TO_OPEN_CASE, *_ENDS, E.END_INVOLVEMENTS),
    ),
    Transition(
        S.INTAKE,
        S.ATTACHED,
        COORDINATOR,
        _("Attach to the open case"),
        effects=(E.MOVE_TO_OPEN_CASE, *_ENDS, E.END_INVOLVEMENTS),
    ),
    Transition(
        S.REFERRED,
        S.REDIRECTED,
        COORDINATOR,
        _("Redirect"),
        effects=(
            *_DECIDED_AT_INTAKE,
            E.RECORD_REDIRECT_TARGET,
            *_ENDS,
            E.END_INVOLVEMENTS,
            E.NOTIFY_DECISION,
        ),
        needs_motivation=True,
    ),
    Transition(
        S.INTAKE,
        S.REDIRECTED,
        COORDINATOR,
        _("Redirect"),
        effects=(E.RECORD_REDIRECT_TARGET, *_ENDS, E.END_INVOLVEMENTS, E.NOTIFY_DECISION),
        needs_motivation=True,
    ),
    Transition(
        S.INTAKE,
        S.ACCEPTED,
        COORDINATOR,
        _("Accept"),
        _ACCEPTANCE,
        effects=(
            E.SET_ACCEPTED,
            E.OPEN_EVALUATION_DEADLINE,
            E.INVOLVE_ASKED_ORGANISATIONS,
            E.NOTIFY_DECISION,
        ),
    ),
    Transition(S.ACCEPTED, S.INVESTIGATION, CASE_TEAM, _("Start investigation")),
    Transition(S.INVESTIGATION, S.PLAN_AGREED, CASE_TEAM, _("Record plan as agreed"), (_plan,)),
    Transition(S.PLAN_AGREED, S.EXECUTION, CASE_TEAM, _("Start execution"), (_plan,)),
    Transition(S.EXECUTION, S.FINAL_EVALUATION, CASE_TEAM, _("Start final evaluation")),
    Transition(S.EXECUTION, S.PASSED_ON, CASE_TEAM, _("Pass on to the next step")),
    Transition(
        S.FINAL_EVALUATION, S.AFTERCARE, CASE_TEAM, _("Start aftercare"), (_final_evaluation,)
    ),
    Transition(S.FINAL_EVALUATION, S.CLOSED, CASE_TEAM, _("Close"), (_closing,), effects=_ENDS),
    Transition(S.AFTERCARE, S.CLOSED, CASE_TEAM, _("Close"), (_closing,), effects=_ENDS),
    Transition(S.PASSED_ON, S.CLOSED, CASE_TEAM, _("Close"), (_closing,), effects=_ENDS),
    # A closed case is read-only; the coordinator reopens it, with the reason, for execution.
    Transition(
        S.CLOSED,
        S.EXECUTION,
        COORDINATOR,
        _("Reopen"),
        effects=(E.REOPEN,),
        own_case_only=False,
        needs_motivation=True,
    ),
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
# The retention period that starts when a case ends (Effect.OPEN_RETENTION_DEADLINE, kind
# deadlines.kinds.RETENTION) has the kind's rule, RETENTION_YEARS_AFTER_CLOSING years, except
# for a referral redirected at intake: a shorter period of its own (DOMAIN.md §7). The
# privacy app's retention job takes its cutoff per status from the same rule.
_RETENTION_VARIANTS = {S.REDIRECTED: deadline_kinds.RETENTION_REDIRECTED}


def retention_variant(status: S | str) -> str:
    """The variant of the retention deadline of a case that ended in `status` ("": the
    kind's own rule)."""
    return _RETENTION_VARIANTS.get(S(status), "")


# The intake is a phase: consent, screening, KRIS and criteria are asked, answered and changed
# only while the case is in one of these (DOMAIN.md §4).
INTAKE_STATUSES = frozenset({S.REFERRED, S.INTAKE})


def is_terminal(status: S | str) -> bool:
    """Closed, redirected or attached: the case is read-only (except for privacy tasks)."""
    return status in TERMINAL_STATUSES


def intake_is_open(status: S | str) -> bool:
    return status in INTAKE_STATUSES


def intake_closed_reason(status: S | str) -> str | None:
    """Why an intake step (consent, screening, KRIS, criteria) is no longer possible."""
    if intake_is_open(status):
        return None
    return str(
        _(
            "The intake is over: consent, screening, KRIS and criteria can only be asked, "
            "answered or changed while the case is in intake."
        )
    )


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


def missing(transition: Transition, *, motivation: str, details: dict[str, object]) -> list[str]:
    """What the caller must still give for this step (a reason, a target, a case)."""
    reasons: list[str] = []
    if transition.needs_motivation and not motivation.strip():
        reasons.append(str(_("Give the reason for this step.")))
    for name in sorted(transition.details - {k for k, v in details.items() if v is not None}):
        reasons.append(str(_("This step needs: %(detail)s.") % {"detail": name}))
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
