"""The workflow table (cases/domain/workflow.py), checked against DOMAIN.md §4–§5 written out
here a second time: every from → to × every role × the facts each guard reads. Pure, no
database."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest
from django.utils import translation

from cases.choices import CaseStatus as S
from cases.domain import workflow
from cases.domain.workflow import CaseFacts, Effect
from partners.choices import Role

C, CM, REF = Role.COORDINATOR, Role.CASEMANAGER, Role.REFERRER
TEAM = {C, CM}

# (from, to): the roles that may take the step (DOMAIN.md §5; the coordinator decides intake).
ALLOWED: dict[tuple[S, S], set[Role]] = {
    (S.DRAFT, S.REFERRED): {REF, C},
    (S.REFERRED, S.INTAKE): {C},
    (S.REFERRED, S.ATTACHED): {C},
    (S.INTAKE, S.ATTACHED): {C},
    (S.REFERRED, S.REDIRECTED): {C},
    (S.INTAKE, S.REDIRECTED): {C},
    (S.INTAKE, S.ACCEPTED): {C},
    (S.ACCEPTED, S.INVESTIGATION): TEAM,
    (S.INVESTIGATION, S.PLAN_AGREED): TEAM,
    (S.PLAN_AGREED, S.EXECUTION): TEAM,
    (S.EXECUTION, S.FINAL_EVALUATION): TEAM,
    (S.EXECUTION, S.PASSED_ON): TEAM,
    (S.FINAL_EVALUATION, S.AFTERCARE): TEAM,
    (S.FINAL_EVALUATION, S.CLOSED): TEAM,
    (S.AFTERCARE, S.CLOSED): TEAM,
    (S.PASSED_ON, S.CLOSED): TEAM,
    # A closed case is read-only; reopening is the coordinator's, with a reason.
    (S.CLOSED, S.EXECUTION): {C},
}

# Every fact a guard reads, all satisfied.
READY = CaseFacts(
    status=S.DRAFT,
    has_casemanager=True,
    criteria_complete=True,
    criteria_all_met=True,
    screening_settled=True,
    kris_recorded=True,
    has_agreed_plan=True,
    has_final_evaluation=True,
    actor_is_casemanager=True,
)

NOT_POSSIBLE = "This step is not possible from the current status."
ROLE = "Your role may not take this step."
OWN_CASE = "Only the casemanager of this case or a coordinator may take this step."
CASEMANAGER = "Assign a casemanager before accepting the case."
CRITERIA_OPEN = (
    "Assess all criteria, or record a special situation (e.g. acute escalation) with its "
    "motivation."
)
CRITERIA_UNMET = (
    "Not all criteria are met; accept only when a special situation (e.g. acute escalation) "
    "is recorded with its motivation."
)
CONSENT = "The owning corporation has not given its consent."
SCREENING = "The police screening has not been answered yet, nor waived with a reason."
KRIS = "Record the KRIS check before accepting the case."
PLAN = "An agreed plan with at least one SMART goal and a life-domain analysis is required."
FINAL = "A final evaluation is required before closing."
OPEN_ACTIONS = "Every action must be done, or cancelled with a reason, before closing."


def _refusals(facts: CaseFacts, target: S) -> list[str]:
    with translation.override("en"):
        return workflow.refusals(facts, target)


@pytest.mark.parametrize(
    "source, target", list(itertools.product(S, S)), ids=lambda s: str(s.value)
)
def test_every_step_for_every_role(source, target):
    for role in Role:
        facts = replace(READY, status=source, actor_roles=frozenset({role}))
        reasons = _refusals(facts, target)
        if (source, target) not in ALLOWED:
            assert reasons == [NOT_POSSIBLE], (source, target, role)
        elif role in ALLOWED[(source, target)]:
            assert reasons == [], (source, target, role)
        else:
            assert reasons == [ROLE], (source, target, role)


@pytest.mark.parametrize("source, target", [k for k, v in ALLOWED.items() if CM in v])
def test_a_casemanager_acts_only_on_their_own_case(source, target):
    facts = replace(READY, status=source, actor_roles=frozenset({CM}), actor_is_casemanager=False)
    assert _refusals(facts, target) == [OWN_CASE]
    coordinator = replace(facts, actor_roles=frozenset({C}))
    assert _refusals(coordinator, target) == []


ACCEPT = (S.INTAKE, S.ACCEPTED)


@pytest.mark.parametrize(
    "step, facts, reasons",
    [
        (ACCEPT, {}, []),
        (ACCEPT, {"has_casemanager": False}, [CASEMANAGER]),
        (ACCEPT, {"criteria_complete": False, "criteria_all_met": False}, [CRITERIA_OPEN]),
        (ACCEPT, {"criteria_all_met": False}, [CRITERIA_UNMET]),
        # The special situation departs from the criteria ...
        (ACCEPT, {"criteria_complete": False, "criteria_override": True}, []),
        (ACCEPT, {"criteria_all_met": False, "criteria_override": True}, []),
        # ... and from nothing else: a corporation home needs the corporation's consent first.
        (ACCEPT, {"needs_corporation_consent": True}, [CONSENT]),
        (
            ACCEPT,
            {"needs_corporation_consent": True, "criteria_override": True},
            [CONSENT],
        ),
        (
            ACCEPT,
            {
                "needs_corporation_consent": True,
                "criteria_all_met": False,
                "criteria_override": True,
            },
            [CONSENT],
        ),
        (ACCEPT, {"needs_corporation_consent": True, "corporation_consented": True}, []),
        (ACCEPT, {"screening_settled": False}, [SCREENING]),
        (ACCEPT, {"screening_settled": False, "criteria_override": True}, [SCREENING]),
        (ACCEPT, {"kris_recorded": False}, [KRIS]),
        (
            ACCEPT,
            {
                "has_casemanager": False,
                "criteria_complete": False,
                "criteria_all_met": False,
                "needs_corporation_consent": True,
                "screening_settled": False,
                "kris_recorded": False,
            },
            [CASEMANAGER, CRITERIA_OPEN, CONSENT, SCREENING, KRIS],
        ),
        ((S.INVESTIGATION, S.PLAN_AGREED), {"has_agreed_plan": False}, [PLAN]),
        ((S.PLAN_AGREED, S.EXECUTION), {"has_agreed_plan": False}, [PLAN]),
        ((S.FINAL_EVALUATION, S.AFTERCARE), {"has_final_evaluation": False}, [FINAL]),
        ((S.FINAL_EVALUATION, S.CLOSED), {"has_final_evaluation": False}, [FINAL]),
        ((S.AFTERCARE, S.CLOSED), {"has_final_evaluation": False}, [FINAL]),
        # Also a case passed on closes only after a final evaluation (issue 12).
        ((S.PASSED_ON, S.CLOSED), {"has_final_evaluation": False}, [FINAL]),
        ((S.AFTERCARE, S.CLOSED), {"has_open_actions": True}, [OPEN_ACTIONS]),
        ((S.PASSED_ON, S.CLOSED), {"has_open_actions": True}, [OPEN_ACTIONS]),
        (
            (S.FINAL_EVALUATION, S.CLOSED),
            {"has_final_evaluation": False, "has_open_actions": True},
            [f"{FINAL} {OPEN_ACTIONS}"],
        ),
        # Facts no guard of the step reads change nothing.
        ((S.REFERRED, S.INTAKE), {"has_casemanager": False, "kris_recorded": False}, []),
        ((S.INTAKE, S.REDIRECTED), {"needs_corporation_consent": True}, []),
        ((S.EXECUTION, S.PASSED_ON), {"has_agreed_plan": False}, []),
    ],
)
def test_guards_read_their_facts(step, facts, reasons):
    source, target = step
    for role in ALLOWED[step]:
        given = replace(READY, status=source, actor_roles=frozenset({role}), **facts)
        assert _refusals(given, target) == reasons


# The effects of each step (DOMAIN.md §4, §5, §8): written out again, so a change to the
# table is a change to this test too.
ENDS = [Effect.SET_CLOSED, Effect.LAPSE_DEADLINES, Effect.OPEN_RETENTION_DEADLINE]
EFFECTS: dict[tuple[S, S], list[Effect]] = {
    (S.DRAFT, S.REFERRED): [Effect.SUBMIT_REFERRAL, Effect.NOTIFY_NEW_REFERRAL],
    (S.REFERRED, S.INTAKE): [Effect.SET_INTAKE_STARTED, Effect.MEET_INTAKE_DEADLINE],
    (S.REFERRED, S.ATTACHED): [
        Effect.MEET_INTAKE_DEADLINE,
        Effect.MOVE_TO_OPEN_CASE,
        *ENDS,
        Effect.END_INVOLVEMENTS,
    ],
    (S.INTAKE, S.ATTACHED): [Effect.MOVE_TO_OPEN_CASE, *ENDS, Effect.END_INVOLVEMENTS],
    (S.REFERRED, S.REDIRECTED): [
        Effect.MEET_INTAKE_DEADLINE,
        Effect.RECORD_REDIRECT_TARGET,
        *ENDS,
        Effect.END_INVOLVEMENTS,
        Effect.NOTIFY_DECISION,
    ],
    (S.INTAKE, S.REDIRECTED): [
        Effect.RECORD_REDIRECT_TARGET,
        *ENDS,
        Effect.END_INVOLVEMENTS,
        Effect.NOTIFY_DECISION,
    ],
    (S.INTAKE, S.ACCEPTED): [
        Effect.SET_ACCEPTED,
        Effect.OPEN_EVALUATION_DEADLINE,
        Effect.INVOLVE_ASKED_ORGANISATIONS,
        Effect.NOTIFY_DECISION,
    ],
    (S.FINAL_EVALUATION, S.CLOSED): ENDS,
    (S.AFTERCARE, S.CLOSED): ENDS,
    (S.PASSED_ON, S.CLOSED): ENDS,
    (S.CLOSED, S.EXECUTION): [Effect.REOPEN],
}


@pytest.mark.parametrize("step", list(ALLOWED), ids=lambda s: f"{s[0].value}-{s[1].value}")
def test_each_step_declares_its_effects(step):
    transition = workflow.find(*step)
    assert transition is not None
    assert list(transition.effects) == EFFECTS.get(step, [])


def test_reopening_is_the_coordinators_step_and_needs_a_reason():
    closed = replace(READY, status=S.CLOSED, actor_is_casemanager=True)
    for role in (CM, REF):
        assert _refusals(replace(closed, actor_roles=frozenset({role})), S.EXECUTION) == [ROLE]
    # A coordinator reopens any case, not only one they manage.
    coordinator = replace(closed, actor_roles=frozenset({C}), actor_is_casemanager=False)
    assert _refusals(coordinator, S.EXECUTION) == []
    reopen = workflow.find(S.CLOSED, S.EXECUTION)
    with translation.override("en"):
        assert workflow.missing(reopen, motivation="  ", details={}) == [
            "Give the reason for this step."
        ]
        assert workflow.missing(reopen, motivation="Overlast is terug", details={}) == []


def test_redirection_needs_a_reason_and_its_details():
    redirect = workflow.find(S.INTAKE, S.REDIRECTED)
    with translation.override("en"):
        assert workflow.missing(redirect, motivation=" ", details={}) == [
            "Give the reason for this step.",
            "This step needs: target.",
        ]
        assert workflow.missing(redirect, motivation="Bemiddeling", details={"target": "x"}) == []


@pytest.mark.parametrize(
    "status, open_",
    [(s, s in (S.REFERRED, S.INTAKE)) for s in S],
    ids=lambda v: str(getattr(v, "value", v)),
)
def test_the_intake_is_a_phase(status, open_):
    assert workflow.intake_is_open(status) is open_
    assert (workflow.intake_closed_reason(status) is None) is open_


@pytest.mark.parametrize(
    "result, contacted, aligned, outcome, complete",
    [
        ("known", "2026-11-02", True, "", True),
        ("known", "2026-11-02", False, "", True),  # not aligned is an answer too
        ("known", None, True, "", False),
        ("known", "2026-11-02", None, "", False),
        ("unknown", None, None, "Valt niet in de doelgroep", True),
        ("unknown", None, None, "  ", False),
        (None, None, None, None, False),
    ],
)
def test_kris_is_recorded_with_its_follow_up(result, contacted, aligned, outcome, complete):
    assert (
        workflow.kris_is_complete(
            result=result,
            trajectory_manager_contacted_on=contacted,
            plans_aligned=aligned,
            target_group_outcome=outcome,
        )
        is complete
    )
