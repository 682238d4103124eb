"""`case_transition` performs every effect the workflow table lists, and every page that
offers a status change goes through it (issue 10: accepting from the case page used to skip
the referrers' notice).

- One test per effect (`EFFECT_CHECKS` must name every `workflow.Effect`).
- The page walk: the case page, the intake page and the plan, investigation, evaluation,
  aftercare, support and eviction pages are opened as the coordinator and as the casemanager
  for cases in each status; EVERY form on them that posts to the case is sent
  with valid data; whenever the status changed, the status-change row must be there and every
  effect of that step must have happened. A page that changed a status any other way fails.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from html.parser import HTMLParser
from typing import Any

import pytest
from django.db import transaction
from django.urls import resolve
from django.utils import timezone

from cases import services
from cases.choices import CaseStatus as S
from cases.choices import NuisanceForm, PersonRole, RedirectTarget
from cases.choices_plan import EvaluationKind, PlanStatus
from cases.domain import workflow
from cases.domain.workflow import Effect
from cases.models import Case, CaseStatusChange, Evaluation, Plan, Referral
from deadlines import kinds
from deadlines.models import Deadline
from deadlines.services import deadline_open
from notifications.models import Notification
from partners import access
from partners.choices import Role
from tests.cases import intake_steps
from tests.factories.cases import CaseFactory
from tests.factories.partners import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return make_team()


def make_team():
    """A coordinator and a casemanager of the executing organisation, a referrer and a
    representative of a corporation (the people `_run_step` takes the steps with)."""
    uc = OrganisationFactory(name="U Centraal", executing=True)
    mitros = OrganisationFactory(name="Mitros", corporation=True)
    team = {
        "coordinator": UserFactory(organisation=uc, roles=[Role.COORDINATOR]),
        "casemanager": UserFactory(organisation=uc, roles=[Role.CASEMANAGER]),
        "referrer": UserFactory(organisation=mitros, roles=[Role.REFERRER]),
        "corporation_rep": UserFactory(organisation=mitros, roles=[Role.PARTNER_REPRESENTATIVE]),
        "mitros": mitros,
    }
    access.sync_user_organisation_group(team["corporation_rep"])
    return team


def _draft(team, *, house_number: int = 5) -> Referral:
    referrer = team["referrer"]
    referral = services.referral_start(by=referrer)
    services.referral_update(
        referral=referral,
        by=referrer,
        version=referral.version,
        referral_data={"nuisance_forms": [NuisanceForm.NOISE], "contact_name": "R. Eferent"},
        case_data={
            "postcode": "3511AB",
            "house_number": house_number,
            "street": "Voorstraat",
            "city": "Utrecht",
            "corporation": team["mitros"],
        },
        persons=[
            {
                "role": PersonRole.CAUSER,
                "first_name": "Jan",
                "last_name": "Smit",
                "date_of_birth": dt.date(1970, 1, 1),
            }
        ],
    )
    return referral


def _referred(team, **kwargs: Any) -> Case:
    referral = _draft(team, **kwargs)
    return services.case_transition(
        case=referral.case, to=S.REFERRED, by=team["referrer"], referral=referral
    )


def _in_intake(team, *, ready: bool = True, **kwargs: Any) -> Case:
    case = _referred(team, **kwargs)
    case = services.case_transition(case=case, to=S.INTAKE, by=team["coordinator"])
    services.case_assign_casemanager(
        case=case, casemanager=team["casemanager"], by=team["coordinator"]
    )
    if ready:
        case = intake_steps.ready_for_acceptance(
            case, coordinator=team["coordinator"], corporation_rep=team["corporation_rep"]
        )
    return Case.objects.get(pk=case.pk)


def _later(team, status: S) -> Case:
    case = CaseFactory(
        status=status, casemanager=team["casemanager"], accepted_on=timezone.localdate()
    )
    deadline_open(kind=kinds.SIX_MONTH_EVALUATION, case=case, started_on=case.accepted_on)
    # The plan facts come from the rows (plan_facts): an agreed plan and a final evaluation.
    plan = Plan.objects.create(
        case=case, number=1, status=PlanStatus.AGREED, created_by=team["casemanager"]
    )
    Evaluation.objects.create(
        case=case,
        plan=plan,
        kind=EvaluationKind.FINAL,
        held_on=timezone.localdate(),
        participants="Casemanager",
        recorded_by=team["casemanager"],
    )
    return case


# --- One test per effect ---------------------------------------------------------------

TODAY = timezone.localdate


def _deadline(case: Case, kind: str) -> Deadline:
    return Deadline.objects.get(case=case, kind=kind)


def _notified(case: Case, event: str) -> bool:
    return Notification.objects.filter(key=f"case:{case.pk}:{event}").exists()


EffectCheck = Callable[[Case], bool]
EFFECT_CHECKS: dict[Effect, EffectCheck] = {
    Effect.SUBMIT_REFERRAL: lambda c: bool(
        c.number
        and c.referred_on == TODAY()
        and _deadline(c, kinds.INTAKE).started_on == TODAY()
        and not c.referrals.filter(submitted_at__isnull=True).exists()
    ),
    Effect.NOTIFY_NEW_REFERRAL: lambda c: _notified(c, "new_referral"),
    Effect.SET_INTAKE_STARTED: lambda c: c.intake_started_on == TODAY(),
    Effect.MEET_INTAKE_DEADLINE: lambda c: _deadline(c, kinds.INTAKE).met_at is not None,
    Effect.SET_ACCEPTED: lambda c: c.accepted_on == TODAY(),
    Effect.OPEN_EVALUATION_DEADLINE: lambda c: (
        _deadline(c, kinds.SIX_MONTH_EVALUATION).started_on == c.accepted_on
    ),
    Effect.RECORD_REDIRECT_TARGET: lambda c: bool(c.redirect_target),
    Effect.MOVE_TO_OPEN_CASE: lambda c: (
        c.merged_into_id is not None
        and not c.referrals.exists()
        and c.merged_into.referrals.count() == 2
    ),
    Effect.SET_CLOSED: lambda c: c.closed_on == TODAY(),
    Effect.LAPSE_DEADLINES: lambda c: (
        not Deadline.objects.open().filter(case=c).exclude(kind=kinds.RETENTION).exists()
    ),
    Effect.OPEN_RETENTION_DEADLINE: lambda c: (
        Deadline.objects.open()
        .filter(case=c, kind=kinds.RETENTION, started_on=c.closed_on)
        .exists()
    ),
    Effect.NOTIFY_DECISION: lambda c: _notified(c, "decision"),
    Effect.REOPEN: lambda c: (
        c.closed_on is None
        and not Deadline.objects.open().filter(case=c, kind=kinds.RETENTION).exists()
    ),
    # Access follows the need: the corporation that consented becomes involved at acceptance;
    # redirecting or attaching ends every involvement.
    Effect.INVOLVE_ASKED_ORGANISATIONS: lambda c: all(
        c.involvements.filter(organisation_id=r.corporation_id, is_active=True).exists()
        for r in c.consent_requests.filter(decision="consent")
    ),
    Effect.END_INVOLVEMENTS: lambda c: not c.involvements.filter(is_active=True).exists(),
}


def test_every_effect_has_its_check():
    assert set(EFFECT_CHECKS) == set(Effect)


def _run_step(team, source: S, target: S) -> Case:
    """Make a case in `source` that may go to `target`, and take the step as the coordinator."""
    by = team["coordinator"]
    details: dict[str, Any] = {}
    if source == S.DRAFT:
        referral = _draft(team)
        case, details = referral.case, {"referral": referral}
        by = team["referrer"]
    elif source == S.REFERRED:
        case = _referred(team)
    elif source == S.INTAKE:
        case = _in_intake(team)
    else:
        case = _later(team, source)
    if target == S.REDIRECTED:
        details["target"] = RedirectTarget.MEDIATION
    if target == S.ATTACHED:
        details["into"] = _referred(team, house_number=case.house_number)
    return services.case_transition(
        case=case,
        to=target,
        by=by,
        motivation="Zo besloten.",
        **details,
    )


def _a_step_with(effect: Effect) -> tuple[S, S]:
    return next((t.source, t.target) for t in workflow.TRANSITIONS if effect in t.effects)


@pytest.mark.parametrize("effect", list(Effect), ids=lambda e: e.value)
def test_each_effect_happens(effect, team, django_capture_on_commit_callbacks):
    source, target = _a_step_with(effect)
    with django_capture_on_commit_callbacks(execute=True):
        case = _run_step(team, source, target)
    case = Case.objects.get(pk=case.pk)
    assert case.status == target
    assert EFFECT_CHECKS[effect](case)


@pytest.mark.parametrize(
    "step",
    [(t.source, t.target) for t in workflow.TRANSITIONS if t.effects],
    ids=lambda s: f"{s[0].value}-{s[1].value}",
)
def test_every_step_performs_all_its_effects(step, team, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = _run_step(team, *step)
    case = Case.objects.get(pk=case.pk)
    change = CaseStatusChange.objects.filter(case=case).last()
    assert (change.from_status, change.to_status, change.motivation) == (
        step[0],
        step[1],
        "Zo besloten.",
    )
    for effect in workflow.find(*step).effects:
        assert EFFECT_CHECKS[effect](case), effect


def test_a_refused_step_changes_nothing(team, django_capture_on_commit_callbacks):
    case = _in_intake(team, ready=False)
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(workflow.TransitionRefused),
    ):
        services.case_transition(case=case, to=S.ACCEPTED, by=team["coordinator"])
    case = Case.objects.get(pk=case.pk)
    assert case.status == S.INTAKE and case.accepted_on is None
    assert not callbacks
    assert not Deadline.objects.filter(case=case, kind=kinds.SIX_MONTH_EVALUATION).exists()


def test_a_redirection_without_reason_or_target_is_refused(team):
    case = _referred(team)
    with pytest.raises(workflow.TransitionRefused):
        services.case_transition(case=case, to=S.REDIRECTED, by=team["coordinator"], target="")
    with pytest.raises(workflow.TransitionRefused):
        services.case_transition(
            case=case, to=S.REDIRECTED, by=team["coordinator"], motivation="Bemiddeling"
        )
    assert Case.objects.get(pk=case.pk).status == S.REFERRED


# --- The page walk -----------------------------------------------------------------------


class _Forms(HTMLParser):
    """Every form of a page: its action and its fields' first values."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "").lower() == "post":
            self.forms.append({"action": a.get("action") or "", "fields": {}})
        elif tag in ("input", "textarea", "select") and self.forms and a.get("name"):
            fields = self.forms[-1]["fields"]
            if a.get("type") == "radio":
                fields.setdefault(a["name"], a.get("value"))
            elif a.get("type") == "checkbox" and a["name"].endswith("confirm"):
                # An irreversible step (closing) asks for confirmation: the user ticks it.
                fields.setdefault(a["name"], a.get("value") or "on")
            elif a.get("type") != "checkbox":
                fields.setdefault(a["name"], a.get("value") or "")


def _valid(fields: dict[str, Any]) -> dict[str, Any]:
    """Fill what a form asks with something valid: text for a reason or motivation."""
    data = {k: v for k, v in fields.items() if k != "csrfmiddlewaretoken"}
    for name in data:
        if re.search(r"(motivation|reason)$", name) and not data[name]:
            data[name] = "Besproken in het intakeoverleg."
    return data


def _walk(
    client, case: Case, page: str, django_capture_on_commit_callbacks, posted: set[str]
) -> list[str]:
    """POST every form of `page` that posts to this case; return the steps taken. `page` is
    added to `posted` when it had such a form."""
    html = client.get(page).content.decode()
    parser = _Forms()
    parser.feed(html)
    taken: list[str] = []
    for form in parser.forms:
        action = form["action"] or page
        if f"/{case.pk}/" not in action:
            continue
        posted.add(page)
        before = Case.objects.get(pk=case.pk)
        changes = CaseStatusChange.objects.filter(case=case).count()
        with transaction.atomic():
            with django_capture_on_commit_callbacks(execute=True):
                response = client.post(action, _valid(form["fields"]))
            assert response.status_code in (200, 302), (action, response.status_code)
            after = Case.objects.get(pk=case.pk)
            if after.status != before.status:
                step = workflow.find(S(before.status), S(after.status))
                where = f"{resolve(action).url_name}: {before.status} → {after.status}"
                assert step is not None, where
                assert CaseStatusChange.objects.filter(case=case).count() == changes + 1, where
                for effect in step.effects:
                    assert EFFECT_CHECKS[effect](after), f"{where}: {effect} did not happen"
                taken.append(f"{resolve(action).url_name}:{after.status}")
            transaction.set_rollback(True)
    return taken


# Every page of a case with forms that act on it: besides the case and intake pages, the
# plan, the investigation, the evaluations, aftercare, support and the eviction advice. Only
# the first two offer status changes today; the others are walked so that a form added there
# that changes the status outside `case_transition` fails this test.
PAGES = {
    "case": "/casussen/{pk}/",
    "intake": "/casussen/{pk}/intake/",
    "plan": "/casussen/{pk}/plan/",
    "plan_edit": "/casussen/{pk}/plan/bewerken/",
    "investigation": "/casussen/{pk}/onderzoek/",
    "evaluations": "/casussen/{pk}/evaluaties/",
    "evaluation_add": "/casussen/{pk}/evaluaties/nieuw/",
    "aftercare": "/casussen/{pk}/nazorg/",
    "support": "/casussen/{pk}/wisselgeld-en-verhuizing/",
    "eviction": "/casussen/{pk}/ontruimingsadvies/",
}


@pytest.mark.parametrize(
    "status, role, expected",
    [
        (
            S.REFERRED,
            "coordinator",
            {"transition:intake", "intake_take:intake", "intake_redirect:redirected"},
        ),
        (
            S.INTAKE,
            "coordinator",
            {
                "transition:accepted",  # the case page: this is where the notice was lost
                "intake_accept:accepted",
                "intake_redirect:redirected",
                "intake_attach:attached",
            },
        ),
        (S.INTAKE, "casemanager", set()),
        (S.ACCEPTED, "coordinator", {"transition:investigation"}),
        (S.ACCEPTED, "casemanager", {"transition:investigation"}),
        (S.EXECUTION, "casemanager", {"transition:final_evaluation", "transition:passed_on"}),
        (S.PASSED_ON, "casemanager", {"transition:closed"}),
    ],
)
def test_every_offered_step_runs_through_case_transition(
    status, role, expected, team, verified_client, django_capture_on_commit_callbacks
):
    if status == S.REFERRED:
        case = _referred(team)
    elif status == S.INTAKE:
        case = _in_intake(team)
        _referred(team)  # an open duplicate on the same address: attaching is offered
    else:
        case = _later(team, status)
    client = verified_client(team[role])
    taken: set[str] = set()
    posted: set[str] = set()
    for name, page in PAGES.items():
        path = page.format(pk=case.pk)
        if client.get(path).status_code == 200:
            walked: set[str] = set()
            taken |= set(_walk(client, case, path, django_capture_on_commit_callbacks, walked))
            if walked:
                posted.add(name)
    assert taken == expected
    if status not in (S.REFERRED, S.INTAKE):
        # The walk reached the casework pages' forms (it would pass vacuously otherwise).
        assert {"evaluation_add", "aftercare", "investigation", "support", "eviction"} <= posted
